"""A seller sets viewing hours in chat, offers a buyer other times, and lets buyers book instantly."""

from __future__ import annotations

from datetime import UTC, date, datetime

from core.viewings.model import Viewing, ViewingOverride, ViewingSettings
from tests.e2e.test_viewings import (
    PLACE,
    buyer_opens_the_flat,
    seller_publishes_saturdays,
    sent_to_buyer,
    sent_to_seller,
)
from tests.support import Platform, buttons, whatsapp_options

SHOW_BUTTONS = [
    ["Change days", "Change hours"],
    ["Viewing length", "Block a date"],
    ["Instant booking", "Done"],
]


async def test_a_seller_sets_days_hours_length_blocked_dates_and_instant_booking(platform: Platform) -> None:
    await seller_publishes_saturdays(platform)

    [days] = await platform.converse(tap="hours:days:DS-LDS-001")
    assert days.params["text"] == (
        "Which days can buyers view? Tap a day to switch it on or off, then Save.\nNow: Saturdays"
    )
    assert buttons(days) == [["Mon", "Tue"], ["Wed", "Thu"], ["Fri", "✓ Sat"], ["Sun", "Save"]]
    await platform.converse(tap="hours:toggle:DS-LDS-001@6")
    [days] = await platform.converse(tap="hours:toggle:DS-LDS-001@2")
    assert buttons(days) == [["Mon", "Tue"], ["✓ Wed", "Thu"], ["Fri", "✓ Sat"], ["✓ Sun", "Save"]]
    [saved] = await platform.converse(tap="hours:savedays:DS-LDS-001")
    assert saved.params["text"].splitlines()[3] == "Wednesdays, Saturdays, Sundays, 10:00-16:00"

    [ask] = await platform.converse(tap="hours:hours:DS-LDS-001")
    assert ask.params["text"] == "Which hours? Tap one, or type them like 10-16 or 9:30-17:00."
    assert buttons(ask) == [["10:00-16:00", "09:00-17:00"], ["10:00-14:00", "17:00-20:00"], ["Back"]]
    [sorry] = await platform.converse("banana")
    assert sorry.params["text"] == "Sorry, I couldn't read those hours. Type them like 10-16 or 9:30-17:00."
    assert buttons(sorry) == buttons(ask)
    [saved] = await platform.converse("9:30-12")
    assert saved.params["text"].splitlines()[3] == "Wednesdays, Saturdays, Sundays, 09:30-12:00"

    await platform.converse(tap="hours:slot:DS-LDS-001")
    [saved] = await platform.converse(tap="hours:setslot:DS-LDS-001@45")
    assert saved.params["text"].splitlines()[4] == (
        "45-minute viewings, 15 minutes apart: one can start every 60 minutes"
    )

    [which] = await platform.converse(tap="hours:block:DS-LDS-001")
    assert which.params["text"] == (
        "Which date should have no viewings? Tap one, or type a date like 5 Dec. "
        "For other hours that day, add them: 5 Dec 12-15."
    )
    assert buttons(which) == [
        ["Sat 21 Nov", "Sun 22 Nov"],
        ["Wed 25 Nov", "Sat 28 Nov"],
        ["Sun 29 Nov", "Wed 2 Dec"],
        ["Back"],
    ]
    await platform.converse(tap="hours:blockday:DS-LDS-001@2026-11-21")
    await platform.converse(tap="hours:block:DS-LDS-001")
    [sorry] = await platform.converse("someday")
    assert sorry.params["text"] == (
        "Sorry, I couldn't read that date. Type it like 5 Dec or 2026-12-05 (today or later)."
    )
    assert buttons(sorry)[-1] == ["Reopen Sat 21 Nov", "Back"]
    [saved] = await platform.converse("12 Dec 12-15")
    [instant] = await platform.converse(tap="hours:mode:DS-LDS-001")
    assert instant.params["text"] == (
        f"Saved.\n\nViewing hours for {PLACE}:\n"
        "Wednesdays, Saturdays, Sundays, 09:30-12:00\n"
        "45-minute viewings, 15 minutes apart: one can start every 60 minutes\n"
        "Buyers book instantly.\n"
        "Bookable from 24 hours to 30 days ahead.\n"
        "Sat 21 Nov: no viewings\n"
        "Sat 12 Dec: 12:00-15:00 only"
    )
    assert buttons(instant) == [
        ["Change days", "Change hours"],
        ["Viewing length", "Block a date"],
        ["I confirm each one", "Done"],
    ]

    [settings] = await platform.rows(ViewingSettings)
    assert (settings.weekly, settings.slot_minutes, settings.instant) == (
        [{"day": d, "start": "09:30", "end": "12:00"} for d in (2, 5, 6)],
        45,
        True,
    )
    overrides = [(o.day, o.windows) for o in await platform.rows(ViewingOverride)]
    assert overrides == [
        (date(2026, 11, 21), []),
        (date(2026, 12, 12), [{"start": "12:00", "end": "15:00"}]),
    ]

    # The buyer sees exactly those days: Saturday 21 is blocked, Sunday 22 is the first with time left.
    await buyer_opens_the_flat(platform)
    [pick] = await platform.whatsapp_tap("booking:start:DS-LDS-001", "Book a viewing")
    assert whatsapp_options(platform, pick)[2] == [
        "Sun 22 Nov",
        "Wed 25 Nov",
        "Sat 28 Nov",
        "Sun 29 Nov",
        "Wed 2 Dec",
        "Sat 5 Dec",
        "More dates",
        "Menu",
    ]
    [times] = await platform.whatsapp_tap("booking:day:2026-11-22", "Sun 22 Nov")
    # 45-minute viewings 15 minutes apart from 09:30: one an hour, each ending by 12:00.
    assert whatsapp_options(platform, times)[2] == ["09:30", "10:30", "Another day", "Menu"]

    # Instant booking: confirmed at once, with the calendar file, and the seller is told.
    await platform.whatsapp_tap("booking:at:DS-LDS-001@20261122T1030", "10:30")
    await platform.text("whatsapp", "1")
    seller_seen, buyer_seen = len(platform.telegram.calls), len(platform.twilio.calls)
    await platform.text("whatsapp", "Confirm")
    [booked] = await platform.rows(Viewing)
    link = f"https://doorstep.test/calendar/{booked.calendar_token}.ics"
    [confirmed, _] = sent_to_buyer(platform, buyer_seen)
    assert (confirmed.params["Body"], confirmed.params["MediaUrl"]) == (
        f"Your viewing is confirmed: Sun 22 Nov, 10:30 at {PLACE}, 1 person. "
        f"I'll remind you the day before and an hour before.\n\nAdd it to your calendar: {link}",
        [link],
    )
    told, ics = sent_to_seller(platform, seller_seen)
    assert told.params["text"] == f"New viewing booked: Amira, Sun 22 Nov, 10:30 at {PLACE}, 1 person."
    assert ics.method == "sendDocument"
    assert (booked.status, booked.starts_at) == ("confirmed", datetime(2026, 11, 22, 10, 30, tzinfo=UTC))


async def test_the_seller_offers_other_times_and_the_buyer_picks_one(platform: Platform) -> None:
    await seller_publishes_saturdays(platform)
    await buyer_opens_the_flat(platform)
    await platform.whatsapp_tap("booking:start:DS-LDS-001", "Book a viewing")
    await platform.whatsapp_tap("booking:day:2026-11-28", "Sat 28 Nov")
    await platform.whatsapp_tap("booking:at:DS-LDS-001@20261128T1130", "11:30")
    await platform.text("whatsapp", "1")
    await platform.text("whatsapp", "Confirm")

    [days] = await platform.converse(tap="viewings:propose:1")
    assert (
        days.params["text"] == "Which times can you offer instead? Pick a day; you can offer up to 3 times."
    )
    assert buttons(days) == [
        ["Sat 21 Nov", "Sat 28 Nov"],
        ["Sat 5 Dec", "Sat 12 Dec"],
        ["Sat 19 Dec", "Back"],
        ["Menu"],
    ]
    await platform.converse(tap="viewings:day:2026-12-05")
    [picked] = await platform.converse(tap="viewings:offer:1@20261205T1000")
    assert picked.params["text"] == "Times to offer:\n- Sat 5 Dec, 10:00\nSend them now, or add another time."
    assert buttons(picked) == [["Send to buyer", "Add another time"], ["Menu"]]
    await platform.converse(tap="viewings:propose:1")
    [times] = await platform.converse(tap="viewings:day:2026-12-05")
    assert buttons(times)[0] == ["10:45", "11:30"]
    await platform.converse(tap="viewings:offer:1@20261205T1130")
    buyer_seen = len(platform.twilio.calls)
    sent, _ = await platform.converse(tap="viewings:sendprop:1")
    assert sent.params["text"] == (
        "Sent. The buyer can pick Sat 5 Dec, 10:00, Sat 5 Dec, 11:30; I'll tell you which."
    )
    [offer] = sent_to_buyer(platform, buyer_seen)
    assert whatsapp_options(platform, offer) == (
        "quick-reply",
        f"The seller can't do Sat 28 Nov, 11:30, but can show you {PLACE} at one of these times:",
        ["Sat 5 Dec 10:00", "Sat 5 Dec 11:30", "None of these suit"],
    )
    [proposed] = await platform.rows(Viewing)
    assert (proposed.status, proposed.proposals) == (
        "proposed",
        ["2026-12-05T10:00:00+00:00", "2026-12-05T11:30:00+00:00"],
    )

    seller_seen = len(platform.telegram.calls)
    confirmed, _ = await platform.whatsapp_tap("viewings:take:1@20261205T1130", "Sat 5 Dec 11:30")
    assert confirmed.params["Body"].startswith(
        f"Your viewing is confirmed: Sat 5 Dec, 11:30 at {PLACE}, 1 person."
    )
    told, ics = sent_to_seller(platform, seller_seen)
    assert told.params["text"] == f"New viewing booked: Amira, Sat 5 Dec, 11:30 at {PLACE}, 1 person."
    assert "DTSTART:20261205T113000Z" in ics.params["document"]["content"]
    [taken] = await platform.rows(Viewing)
    assert (taken.status, taken.starts_at) == ("confirmed", datetime(2026, 12, 5, 11, 30, tzinfo=UTC))
