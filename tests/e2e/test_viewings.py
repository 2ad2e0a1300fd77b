"""Viewings end to end: a WhatsApp buyer books, the Telegram seller confirms, the buyer moves it, the seller
cancels; with the exact messages each side receives and the rows behind them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from core.viewings.model import Viewing, ViewingSettings
from doorstep.simulator.telegram_api import ApiCall
from doorstep.simulator.twilio_api import ApiCall as TwilioCall
from tests.e2e.test_my_listings import give_listing
from tests.support import PHONE, TURN_SECONDS, Platform, buttons, whatsapp_options

SELLER_PHONE = "+447700900555"
PLACE = "14 Cardigan Road, Headingley, Leeds LS6 3AG"
BUYER_MENU = ["Find a home", "My viewings", "My offers", "Messages", "Settings", "Help"]
SUGGESTED = (
    f"Viewing hours for {PLACE}:\n"
    "Not published yet, so buyers can't book. I suggest:\n"
    "Saturdays, 10:00-16:00\n"
    "30-minute viewings, 15 minutes apart: one can start every 45 minutes\n"
    "You confirm each booking.\n"
    "Bookable from 24 hours to 30 days ahead."
)
SAVED = (
    f"Saved.\n\nViewing hours for {PLACE}:\n"
    "Saturdays, 10:00-16:00\n"
    "30-minute viewings, 15 minutes apart: one can start every 45 minutes\n"
    "You confirm each booking.\n"
    "Bookable from 24 hours to 30 days ahead."
)
SATURDAYS = ["Sat 21 Nov", "Sat 28 Nov", "Sat 5 Dec", "Sat 12 Dec", "Sat 19 Dec"]
MORNING = [
    "10:00",
    "10:45",
    "11:30",
    "12:15",
    "13:00",
    "13:45",
    "14:30",
    "Later times",
    "Another day",
    "Menu",
]


def at(day: int, hour: int, minute: int = 0, month: int = 11) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=UTC)


def sent_to_seller(platform: Platform, since: int) -> list[ApiCall]:
    return [c for c in platform.telegram.calls[since:] if c.failed_status is None]


def sent_to_buyer(platform: Platform, since: int) -> list[TwilioCall]:
    return [
        c
        for c in platform.twilio.calls[since:]
        if c.failed_status is None and c.path.endswith("Messages.json")
    ]


async def seller_publishes_saturdays(platform: Platform) -> int:
    """Sam, the seller on Telegram, opens My listings and takes the suggested hours in three taps."""
    seller = await platform.returning(roles=("seller",), phone=SELLER_PHONE, name="Sam")
    await give_listing(platform, "DS-LDS-001", seller_id=seller)
    await platform.converse("/start")
    [mine] = await platform.converse(tap="listings:show")
    assert buttons(mine) == [["Manage 1", "Add a home"], ["Menu"]]
    [screen] = await platform.converse(tap="listing:open:DS-LDS-001")
    assert ["Photos", "Viewing hours"] in buttons(screen)
    [hours] = await platform.converse(tap="hours:show:DS-LDS-001")
    assert hours.params["text"] == SUGGESTED
    assert buttons(hours) == [
        ["Use these hours", "Change days"],
        ["Change hours", "Viewing length"],
        ["Block a date", "Instant booking"],
        ["Done"],
    ]
    [saved] = await platform.converse(tap="hours:use:DS-LDS-001")
    assert saved.params["text"] == SAVED
    [settings] = await platform.rows(ViewingSettings)
    assert (settings.weekly, settings.slot_minutes, settings.instant) == (
        [{"day": 5, "start": "10:00", "end": "16:00"}],
        30,
        False,
    )
    return seller


async def buyer_opens_the_flat(platform: Platform) -> int:
    """Amira, a buyer on WhatsApp, finds the Headingley flat and opens its details."""
    buyer = await platform.returning("whatsapp", phone=PHONE, name="Amira")
    await platform.text("whatsapp", "menu")
    await platform.whatsapp_tap("menu:find", "Find a home")
    await platform.text("whatsapp", "Headingley")
    [_, options] = await platform.whatsapp_tap("search:details:DS-LDS-001", "Details 1")
    assert whatsapp_options(platform, options)[2] == [
        "Book a viewing",
        "Make an offer",
        "Back to results",
        "Menu",
    ]
    return buyer


@pytest.mark.parametrize("backend", ["postgresql", "sqlite"])
async def test_a_whatsapp_buyer_books_the_seller_confirms_the_buyer_moves_it_and_the_seller_cancels(
    platform: Platform,
) -> None:
    await seller_publishes_saturdays(platform)
    buyer = await buyer_opens_the_flat(platform)

    [days] = await platform.whatsapp_tap("booking:start:DS-LDS-001", "Book a viewing")
    assert whatsapp_options(platform, days) == (
        "list-picker",
        f"Book a viewing of {PLACE}.\nWhich day suits you?",
        [*SATURDAYS, "Menu"],
    )
    [times] = await platform.whatsapp_tap("booking:day:2026-11-28", "Sat 28 Nov")
    assert whatsapp_options(platform, times) == ("list-picker", "Free times on Sat 28 Nov:", MORNING)

    tapped = platform.clock.now() + timedelta(seconds=TURN_SECONDS)
    [viewers] = await platform.whatsapp_tap("booking:at:DS-LDS-001@20261128T1130", "11:30")
    assert whatsapp_options(platform, viewers) == (
        "list-picker",
        f"I'm keeping Sat 28 Nov, 11:30 at {PLACE} for you for 5 minutes.\n"
        "How many people will come (up to 4)?",
        ["1 person", "2 people", "3 people", "4 people", "Cancel"],
    )
    [held] = await platform.rows(Viewing)
    assert (held.status, held.starts_at, held.ends_at, held.blocked_until) == (
        "held",
        at(28, 11, 30),
        at(28, 12),
        at(28, 12, 15),
    )
    assert held.hold_expires_at == tapped + timedelta(minutes=5)

    [summary] = await platform.text("whatsapp", "2")
    assert whatsapp_options(platform, summary) == (
        "quick-reply",
        f"Please check your viewing:\n{PLACE}\nSat 28 Nov, 11:30, 2 people\n\n"
        "The seller confirms each viewing; I'll tell you their answer.",
        ["Confirm", "Change time", "Cancel"],
    )

    seller_seen = len(platform.telegram.calls)
    [requested] = await platform.text("whatsapp", "Confirm")
    assert whatsapp_options(platform, requested) == (
        "list-picker",
        f"Request sent: Sat 28 Nov, 11:30 at {PLACE}. I'll tell you as soon as the seller answers.",
        BUYER_MENU,
    )
    [request] = sent_to_seller(platform, seller_seen)
    assert request.params["text"] == (
        f"Viewing request from Amira: Sat 28 Nov, 11:30 at {PLACE}, 2 people.\nCan you show the home then?"
    )
    assert buttons(request) == [["Confirm", "Decline"], ["Propose other time"]]
    [pending] = await platform.rows(Viewing)
    assert (pending.status, pending.viewers, pending.buyer_id) == ("pending", 2, buyer)

    buyer_seen = len(platform.twilio.calls)
    confirmed, ics, listing = await platform.converse(tap="viewings:confirm:1")
    assert confirmed.params["text"] == (
        f"Confirmed: Amira views {PLACE} on Sat 28 Nov, 11:30. I've told them."
    )
    assert ics.method == "sendDocument"
    assert ics.params["document"]["file_name"] == "viewing.ics"
    assert "DTSTART:20261128T113000Z\r\nDTEND:20261128T120000Z" in ics.params["document"]["content"]
    assert (
        listing.params["text"]
        == "Your upcoming viewings:\n1. Sat 28 Nov, 11:30, 14 Cardigan Road with Amira (confirmed)"
    )
    [told] = sent_to_buyer(platform, buyer_seen)
    [first] = await platform.rows(Viewing)
    link = f"https://doorstep.test/calendar/{first.calendar_token}.ics"
    assert told.params["Body"] == (
        f"Your viewing is confirmed: Sat 28 Nov, 11:30 at {PLACE}, 2 people. "
        f"I'll remind you the day before and an hour before.\n\nAdd it to your calendar: {link}"
    )
    assert told.params["MediaUrl"] == [link]
    assert first.status == "confirmed"

    await platform.text("whatsapp", "menu")
    [mine] = await platform.whatsapp_tap("menu:viewings", "My viewings")
    assert whatsapp_options(platform, mine) == (
        "quick-reply",
        "Your upcoming viewings:\n1. Sat 28 Nov, 11:30, 14 Cardigan Road (confirmed)",
        ["Viewing 1", "Menu"],
    )
    [detail] = await platform.whatsapp_tap("viewings:open:1", "Viewing 1")
    assert whatsapp_options(platform, detail) == (
        "list-picker",
        f"Viewing of {PLACE}\nSat 28 Nov, 11:30, 2 people\nStatus: confirmed",
        ["Reschedule", "Cancel viewing", "My viewings", "Menu"],
    )
    [move_days] = await platform.whatsapp_tap("viewings:move:1", "Reschedule")
    assert whatsapp_options(platform, move_days)[1] == (
        f"Move the viewing of {PLACE} on Sat 28 Nov, 11:30 to which day?"
    )
    await platform.whatsapp_tap("viewings:day:2026-12-05", "Sat 5 Dec")
    seller_seen = len(platform.telegram.calls)
    moving, _ = await platform.whatsapp_tap("viewings:moveto:1@20261205T1215", "12:15")
    assert moving.params["Body"] == (
        f"I've asked the seller to move your viewing of {PLACE} from Sat 28 Nov, 11:30 to Sat 5 Dec, 12:15. "
        "I'll tell you their answer."
    )
    [move_request] = sent_to_seller(platform, seller_seen)
    assert move_request.params["text"] == (
        f"Amira wants to move their viewing of {PLACE} from Sat 28 Nov, 11:30 to Sat 5 Dec, 12:15. "
        "Can you show the home then?"
    )
    assert buttons(move_request) == [["Confirm", "Decline"], ["Propose other time"]]
    old, new = await platform.rows(Viewing)
    assert (old.status, new.status, new.rescheduled_from_id, new.starts_at) == (
        "rescheduled",
        "pending",
        old.id,
        at(5, 12, 15, month=12),
    )

    buyer_seen = len(platform.twilio.calls)
    await platform.converse(tap="viewings:confirm:2")
    [told] = sent_to_buyer(platform, buyer_seen)
    _, moved = await platform.rows(Viewing)
    link = f"https://doorstep.test/calendar/{moved.calendar_token}.ics"
    assert (told.params["Body"], told.params["MediaUrl"]) == (
        f"Your viewing is confirmed: Sat 5 Dec, 12:15 at {PLACE}, 2 people. "
        f"I'll remind you the day before and an hour before.\n\nAdd it to your calendar: {link}",
        [link],
    )

    # The buyer has the viewing open when the seller cancels it.
    await platform.whatsapp_tap("menu:viewings", "My viewings")
    await platform.whatsapp_tap("viewings:open:2", "Viewing 1")

    await platform.converse(tap="viewings:open:2")
    [why] = await platform.converse(tap="viewings:cancel:2")
    assert why.params["text"] == "Why are you cancelling? Tap a reason or type a few words; I'll pass it on."
    assert buttons(why) == [["Not available then", "Home under offer"], ["Keep it"]]
    buyer_seen = len(platform.twilio.calls)
    cancelled, listing = await platform.converse(tap="viewings:why:2@reason_under_offer")
    assert cancelled.params["text"] == f"Cancelled: Sat 5 Dec, 12:15 at {PLACE}. I've let the buyer know."
    assert listing.params["text"] == (
        "Past and called off:\n1. Sat 5 Dec, 12:15, 14 Cardigan Road with Amira (cancelled)"
    )
    [told] = sent_to_buyer(platform, buyer_seen)
    assert whatsapp_options(platform, told) == (
        "quick-reply",
        f'The seller cancelled your viewing on Sat 5 Dec, 12:15 at {PLACE}. Reason: "Home under offer". '
        "Would you like another time?",
        ["Other times"],
    )
    _, cancelled_row = await platform.rows(Viewing)
    assert (cancelled_row.status, cancelled_row.cancelled_by, cancelled_row.cancel_reason) == (
        "cancelled",
        "seller",
        "Home under offer",
    )

    [refused] = await platform.whatsapp_tap("viewings:move:2", "Reschedule")
    assert whatsapp_options(platform, refused)[1].startswith(
        "That viewing was cancelled, so it can't be changed any more.\n\nPast and called off:"
    )
    assert [v.status for v in await platform.rows(Viewing)] == ["rescheduled", "cancelled"]
