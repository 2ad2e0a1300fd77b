"""Reminders, nudges and lapses on a controllable clock: each goes once, to the right people, at the right
time; cancelled and moved viewings get nothing for their old time."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest

from core.people.model import Person
from core.viewings.actions import cancel, hold, reschedule, submit
from core.viewings.availability import update_settings, weekly_rows
from core.viewings.model import Viewing
from core.viewings.slots import Window
from doorstep.simulator.twilio_api import ApiCall as TwilioCall
from tests.e2e.test_my_listings import give_listing
from tests.support import CHAT_ID, PHONE, Platform, buttons, whatsapp_options

SELLER_PHONE = "+447700900555"
WHATSAPP_TO = f"whatsapp:{PHONE}"
PLACE = "14 Cardigan Road, Headingley, Leeds LS6 3AG"


class Booking:
    """A seller on Telegram (Sam) and a buyer on WhatsApp (Amira), and the bookings made between them."""

    def __init__(self, platform: Platform, seller: int, buyer: int) -> None:
        self.platform, self.seller, self.buyer = platform, seller, buyer

    @classmethod
    async def start(cls, platform: Platform, *, instant: bool = True, hours: Window | None = None) -> Booking:
        seller = await platform.returning(roles=("seller",), phone=SELLER_PHONE, name="Sam")
        buyer = await platform.returning("whatsapp", phone=PHONE, name="Amira")
        await give_listing(platform, "DS-LDS-001", seller_id=seller)
        window = hours or Window(time(11), time(16))
        async with platform.sessions() as session, session.begin():
            person = await session.get_one(Person, seller)
            await update_settings(
                session,
                person,
                "DS-LDS-001",
                platform.clock.now(),
                instant=instant,
                weekly=weekly_rows([5], window),
            )
        return cls(platform, seller, buyer)

    async def book(self, start: datetime) -> int:
        async with self.platform.sessions() as session, session.begin():
            buyer = await session.get_one(Person, self.buyer)
            held = await hold(session, buyer, "DS-LDS-001", start, self.platform.clock.now())
            booked = await submit(session, buyer, held.id, 2, self.platform.clock.now())
            return booked.id

    async def at(self, when: datetime) -> tuple[list[str], list[str]]:
        """Move the clock to `when`, run the sweep and its jobs; returns (texts to buyer, texts to seller)."""
        platform = self.platform
        platform.clock.advance(seconds=(when - platform.clock.now()).total_seconds())
        buyer_before = len(platform.twilio.messages())
        seller_before = len(platform.telegram.sent("sendMessage", chat_id=CHAT_ID))
        await platform.sweep()
        await platform.deliver_all()
        to_buyer = [_text(platform, c) for c in platform.twilio.messages()[buyer_before:]]
        to_seller = [
            c.params["text"] for c in platform.telegram.sent("sendMessage", chat_id=CHAT_ID)[seller_before:]
        ]
        return to_buyer, to_seller


def _text(platform: Platform, call: TwilioCall) -> str:
    """A message to the buyer as "channel: text"; a week after booking, WhatsApp's window has closed, so
    without approved templates the reminders fall back to SMS (the buyer's WhatsApp number is proven)."""
    channel = "whatsapp" if call.params["To"] == WHATSAPP_TO else "sms"
    text = call.params.get("Body") or whatsapp_options(platform, call)[1]
    return f"{channel}: {text}"


def utc(day: int, hour: int, minute: int = 0, month: int = 11) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=UTC)


DAY_BEFORE_BUYER = f"sms: Reminder: viewing tomorrow, Sat 28 Nov, 11:00, at {PLACE}."
DAY_BEFORE_SELLER = f"Reminder: viewing tomorrow, Sat 28 Nov, 11:00, at {PLACE}, with Amira (2 people)."
HOUR_BEFORE_BUYER = f"sms: In about an hour: viewing at Sat 28 Nov, 11:00, {PLACE}."
HOUR_BEFORE_SELLER = f"In about an hour: viewing at Sat 28 Nov, 11:00, {PLACE}, with Amira."


@pytest.mark.parametrize("backend", ["postgresql", "sqlite"])
async def test_both_sides_are_reminded_a_day_and_an_hour_before_once_each(platform: Platform) -> None:
    booking = await Booking.start(platform)
    viewing_id = await booking.book(utc(28, 11))

    assert await booking.at(utc(27, 10, 59)) == ([], [])
    assert await booking.at(utc(27, 11)) == ([DAY_BEFORE_BUYER], [DAY_BEFORE_SELLER])
    assert await booking.at(utc(27, 11, 5)) == ([], [])
    assert await booking.at(utc(28, 9, 59)) == ([], [])
    assert await booking.at(utc(28, 10)) == ([HOUR_BEFORE_BUYER], [HOUR_BEFORE_SELLER])
    assert await booking.at(utc(28, 10, 30)) == ([], [])
    [row] = await platform.rows(Viewing, Viewing.id == viewing_id)
    assert (row.reminded_24h_at, row.reminded_1h_at) == (utc(27, 11), utc(28, 10))


async def test_the_hour_before_reminder_ignores_quiet_hours_but_the_day_before_one_waits(
    platform: Platform,
) -> None:
    booking = await Booking.start(platform, hours=Window(time(7, 30), time(10)))
    await booking.book(utc(28, 7, 30))

    # 07:30 the day before is inside the 22:00-08:00 quiet hours: the reminder waits until 08:00, when
    # the next sweep (every minute) sends it.
    assert await booking.at(utc(27, 7, 30)) == ([], [])
    assert await booking.at(utc(27, 7, 59)) == ([], [])
    assert await booking.at(utc(27, 8, 1)) == (
        [f"sms: Reminder: viewing tomorrow, Sat 28 Nov, 07:30, at {PLACE}."],
        [f"Reminder: viewing tomorrow, Sat 28 Nov, 07:30, at {PLACE}, with Amira (2 people)."],
    )
    # 06:30 is quiet too, but a viewing in an hour cannot wait.
    assert await booking.at(utc(28, 6, 30)) == (
        [f"sms: In about an hour: viewing at Sat 28 Nov, 07:30, {PLACE}."],
        [f"In about an hour: viewing at Sat 28 Nov, 07:30, {PLACE}, with Amira."],
    )


async def test_a_cancelled_viewing_gets_no_reminder(platform: Platform) -> None:
    booking = await Booking.start(platform)
    viewing_id = await booking.book(utc(28, 11))
    async with platform.sessions() as session, session.begin():
        buyer = await session.get_one(Person, booking.buyer)
        await cancel(session, buyer, viewing_id, "Can't make it", platform.clock.now())

    assert await booking.at(utc(27, 11)) == ([], [])
    assert await booking.at(utc(28, 10)) == ([], [])


@pytest.mark.parametrize("backend", ["postgresql", "sqlite"])
async def test_a_moved_viewing_is_reminded_once_at_its_new_time_only(platform: Platform) -> None:
    booking = await Booking.start(platform)
    old_id = await booking.book(utc(28, 11))
    assert await booking.at(utc(27, 11)) == ([DAY_BEFORE_BUYER], [DAY_BEFORE_SELLER])
    async with platform.sessions() as session, session.begin():
        seller = await session.get_one(Person, booking.seller)
        await reschedule(session, seller, old_id, utc(5, 12, 30, month=12), platform.clock.now())

    assert await booking.at(utc(28, 10)) == ([], [])
    assert await booking.at(utc(4, 12, 30, month=12)) == (
        [f"sms: Reminder: viewing tomorrow, Sat 5 Dec, 12:30, at {PLACE}."],
        [f"Reminder: viewing tomorrow, Sat 5 Dec, 12:30, at {PLACE}, with Amira (2 people)."],
    )
    assert await booking.at(utc(4, 13, 30, month=12)) == ([], [])
    assert await booking.at(utc(5, 11, 30, month=12)) == (
        [f"sms: In about an hour: viewing at Sat 5 Dec, 12:30, {PLACE}."],
        [f"In about an hour: viewing at Sat 5 Dec, 12:30, {PLACE}, with Amira."],
    )
    assert await booking.at(utc(5, 12, month=12)) == ([], [])
    assert [v.status for v in await platform.rows(Viewing)] == ["rescheduled", "confirmed"]


@pytest.mark.parametrize("backend", ["postgresql", "sqlite"])
async def test_an_unanswered_request_is_nudged_once_at_12_hours_and_lapses_at_24(platform: Platform) -> None:
    booking = await Booking.start(platform, instant=False)
    booked_at = platform.clock.now()
    viewing_id = await booking.book(utc(28, 11))

    assert await booking.at(booked_at + timedelta(hours=11, minutes=59)) == ([], [])
    # Twelve hours on is 22:00 in London, so the nudge waits for the seller's quiet hours to end.
    assert await booking.at(booked_at + timedelta(hours=12)) == ([], [])
    assert await booking.at(utc(21, 7, 59)) == ([], [])
    to_buyer, [nudge] = await booking.at(utc(21, 8, 1))
    assert (to_buyer, nudge) == (
        [],
        f"Amira is still waiting for your answer: a viewing of {PLACE} on Sat 28 Nov, 11:00. "
        "Requests lapse after 24 hours.",
    )
    [nudged] = platform.telegram.sent("sendMessage", chat_id=CHAT_ID)[-1:]
    assert buttons(nudged) == [["Confirm", "Decline"], ["Propose other time"]]
    assert await booking.at(utc(21, 9)) == ([], [])

    [lapsed], [told] = await booking.at(booked_at + timedelta(hours=24))
    assert lapsed == (
        f"sms: The seller didn't answer your request for Sat 28 Nov, 11:00 at {PLACE} in time, "
        "so it has lapsed. These times are free:\n\n"
        "1 Sat 28 Nov 11:00\n2 Sat 28 Nov 11:45\n3 Sat 28 Nov 12:30\nReply 1-3"
    )
    assert told == (
        f"The request from Amira for Sat 28 Nov, 11:00 at {PLACE} lapsed after 24 hours without an answer. "
        "I've offered them other times."
    )
    [row] = await platform.rows(Viewing, Viewing.id == viewing_id)
    assert (row.status, row.nudged_at) == ("lapsed", booked_at + timedelta(hours=12))
    assert await booking.at(booked_at + timedelta(hours=30)) == ([], [])
