"""One time, one zone: a buyer whose clock differs from the home's sees every viewing time in the home's
time with their own beside it, on each channel, from the time picker to the reminders; a buyer in the
home's zone sees no zone at all. Also: a clash with the buyer's own viewing is warned of before booking,
and a home's details show the buyer's own viewing and offer on it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from decimal import Decimal

import pytest

from core.offers.model import Offer
from core.people.model import Person
from core.viewings.actions import hold
from core.viewings.availability import update_settings, weekly_rows
from core.viewings.model import Viewing
from core.viewings.slots import Window
from tests.e2e.test_my_listings import give_listing
from tests.support import CHAT_ID, PHONE, Platform, whatsapp_options

SELLER_PHONE = "+447700900555"
PLACE = "14 Cardigan Road, Headingley, Leeds LS6 3AG"
CHANNELS = ["telegram", "sms", "whatsapp"]


@dataclass
class Chat:
    """Someone typing to Doorstep on one channel (labels work as taps); each turn returns the texts sent."""

    platform: Platform
    channel: str
    phone: str

    async def send(self, text: str) -> list[str]:
        # Half a minute between turns lets an SMS number's send rate catch up, so replies come in turn.
        self.platform.clock.advance(seconds=30)
        if self.channel == "telegram":
            return self._telegram(await self.platform.converse(text))
        return [self._twilio(c) for c in await self.platform.text(self.channel, text, **self._sender())]

    def since(self, mark: tuple[int, int]) -> list[str]:
        """What this person was sent since `mark` (from `marker()`), by whoever."""
        telegram_seen, twilio_seen = mark
        if self.channel == "telegram":
            return self._telegram(self.platform.telegram.calls[telegram_seen:])
        # Outside WhatsApp's 24-hour window, notices fall back to SMS to the same number.
        to = {self.phone, f"whatsapp:{self.phone}"}
        calls = self.platform.twilio.calls[twilio_seen:]
        return [
            self._twilio(c)
            for c in calls
            if c.failed_status is None and c.path.endswith("Messages.json") and c.params.get("To") in to
        ]

    def marker(self) -> tuple[int, int]:
        return len(self.platform.telegram.calls), len(self.platform.twilio.calls)

    def _sender(self) -> dict[str, str]:
        prefix = "whatsapp:" if self.channel == "whatsapp" else ""
        return {"From": prefix + self.phone, **({"WaId": self.phone[1:]} if prefix else {})}

    def _telegram(self, calls: list) -> list[str]:
        return [
            c.params.get("text") or c.params.get("caption") or ""
            for c in calls
            if c.failed_status is None and c.method in ("sendMessage", "sendPhoto")
        ]

    def _twilio(self, call: object) -> str:
        params = call.params  # type: ignore[attr-defined]
        return whatsapp_options(self.platform, call)[1] if "ContentSid" in params else params["Body"]


async def home_with_saturday_hours(platform: Platform, seller_channel: str, *, instant: bool = False) -> Chat:
    """The Headingley flat (Europe/London), its seller in London on `seller_channel`, Saturdays 10-16."""
    address = str(CHAT_ID) if seller_channel == "telegram" else SELLER_PHONE
    seller = await platform.returning(
        seller_channel, address, roles=("seller",), phone=SELLER_PHONE, name="Sam"
    )
    await give_listing(platform, "DS-LDS-001", seller_id=seller)
    async with platform.sessions() as session, session.begin():
        person = await session.get_one(Person, seller)
        await update_settings(
            session,
            person,
            "DS-LDS-001",
            platform.clock.now(),
            instant=instant,
            weekly=weekly_rows([5], Window(time(10), time(16))),
        )
    return Chat(platform, seller_channel, SELLER_PHONE)


async def buyer(platform: Platform, channel: str, timezone: str) -> Chat:
    address = str(CHAT_ID) if channel == "telegram" else PHONE
    await platform.returning(channel, address, phone=PHONE, name="Amira", timezone=timezone)
    return Chat(platform, channel, PHONE)


async def open_the_flat(amira: Chat) -> list[str]:
    await amira.send("menu")
    await amira.send("Find a home")
    await amira.send("Headingley")
    return await amira.send("Details 1")


def first_line(texts: list[str]) -> str:
    return texts[0].split("\n\n")[0] if texts else ""


@pytest.mark.parametrize("channel", CHANNELS)
@pytest.mark.parametrize(
    ("timezone", "ten", "eleven_thirty"),
    [
        pytest.param(
            "Asia/Dubai",
            "Sat 28 Nov, 10:00 Leeds time (14:00 yours)",
            "Sat 5 Dec, 11:30 Leeds time (15:30 yours)",
            id="dubai",
        ),
        pytest.param("Europe/London", "Sat 28 Nov, 10:00", "Sat 5 Dec, 11:30", id="in-the-home-s-zone"),
    ],
)
async def test_one_time_one_zone_through_booking_confirmation_my_viewings_and_a_move(
    platform: Platform, channel: str, timezone: str, ten: str, eleven_thirty: str
) -> None:
    sam = await home_with_saturday_hours(platform, "sms" if channel == "telegram" else "telegram")
    amira = await buyer(platform, channel, timezone)
    await open_the_flat(amira)
    await amira.send("Book a viewing")
    note = " (Leeds time)" if timezone != "Europe/London" else ""
    assert first_line(await amira.send("Sat 28 Nov")) == f"Free times on Sat 28 Nov{note}:"

    assert first_line(await amira.send("10:00")) == (
        f"I'm keeping {ten} at {PLACE} for you for 5 minutes.\nHow many people will come (up to 4)?"
    )
    assert first_line(await amira.send("1 person")).split("\n")[:3] == [
        "Please check your viewing:",
        PLACE,
        f"{ten}, 1 person",
    ]
    mark = sam.marker()
    assert first_line(await amira.send("Confirm")) == (
        f"Request sent: {ten} at {PLACE}. I'll tell you as soon as the seller answers."
    )
    # The seller is in the home's zone: no zone named for them.
    [request] = sam.since(mark)
    assert request.startswith(
        f"Viewing request from Amira: Sat 28 Nov, 10:00 at {PLACE}, 1 person.\nCan you show the home then?"
    )

    mark = amira.marker()
    await sam.send("Confirm")
    [confirmed, *_] = amira.since(mark)
    assert confirmed.startswith(
        f"Your viewing is confirmed: {ten} at {PLACE}, 1 person. "
        "I'll remind you the day before and an hour before."
    )

    await amira.send("menu")
    mine = await amira.send("My viewings")
    assert first_line(mine) == f"Your upcoming viewings:\n1. {ten}, 14 Cardigan Road (confirmed)"
    await amira.send("Viewing 1")
    assert first_line(await amira.send("Reschedule")) == (
        f"Move the viewing of {PLACE} on {ten} to which day?"
    )
    assert first_line(await amira.send("Sat 5 Dec")) == f"Free times on Sat 5 Dec{note}:"
    mark = sam.marker()
    assert first_line(await amira.send("11:30")) == (
        f"I've asked the seller to move your viewing of {PLACE} from {ten} to {eleven_thirty}. "
        "I'll tell you their answer."
    )
    [move] = sam.since(mark)
    assert move.startswith(
        f"Amira wants to move their viewing of {PLACE} from Sat 28 Nov, 10:00 to Sat 5 Dec, 11:30. "
        "Can you show the home then?"
    )
    # The day before, both are reminded, each on their own terms.
    mark = amira.marker()
    await sam.send("Confirm")
    platform.clock.advance(
        seconds=(datetime(2026, 12, 4, 11, 30, tzinfo=UTC) - platform.clock.now()).total_seconds()
    )
    await platform.sweep()
    await platform.deliver_all()
    assert f"Reminder: viewing tomorrow, {eleven_thirty}, at {PLACE}." in amira.since(mark)


@pytest.mark.parametrize("channel", CHANNELS)
async def test_a_seller_s_other_times_and_a_taken_time_name_the_home_s_zone(
    platform: Platform, channel: str
) -> None:
    sam = await home_with_saturday_hours(platform, "sms" if channel == "telegram" else "telegram")
    amira = await buyer(platform, channel, "Asia/Kolkata")
    await open_the_flat(amira)
    await amira.send("Book a viewing")
    await amira.send("Sat 28 Nov")
    await amira.send("10:00")
    await amira.send("1 person")
    await amira.send("Confirm")

    await sam.send("Propose other time")
    await sam.send("Sat 5 Dec")
    await sam.send("10:45")
    mark = amira.marker()
    await sam.send("Send to buyer")
    [proposed] = amira.since(mark)
    # Kolkata is five and a half hours ahead of London in winter.
    assert proposed.startswith(
        "The seller can't do Sat 28 Nov, 10:00 Leeds time (15:30 yours), but can show you "
        f"{PLACE} at one of these times (Leeds time):"
    )


async def second_home_with_the_same_hours(platform: Platform) -> None:
    """7 Weetwood Lane, of the same seller, bookable at once on Saturdays 10-16."""
    async with platform.sessions() as session, session.begin():
        seller = await session.get_one(Person, 1)
        await give_listing(platform, "DS-LDS-002", seller_id=seller.id)
        await update_settings(
            session,
            seller,
            "DS-LDS-002",
            platform.clock.now(),
            instant=True,
            weekly=weekly_rows([5], Window(time(10), time(16))),
        )


async def book_first_home_at_half_past_eleven(amira: Chat) -> None:
    await open_the_flat(amira)
    await amira.send("Book a viewing")
    await amira.send("Sat 28 Nov")
    await amira.send("11:30")
    await amira.send("1 person")
    await amira.send("Confirm")


async def pick_on_second_home(amira: Chat, hour: str) -> list[str]:
    await amira.send("menu")
    await amira.send("Find a home")
    await amira.send("LS16")
    assert "7 Weetwood Lane" in "".join(await amira.send("Details 1"))
    await amira.send("Book a viewing")
    await amira.send("Sat 28 Nov")
    return await amira.send(hour)


CLASH = (
    "You already have a viewing at 14 Cardigan Road on Sat 28 Nov, 11:30. I leave at least 30 minutes "
    "between viewings, to get from one home to the next. Book this one anyway?"
)
KEEPING_WEETWOOD = "I'm keeping Sat 28 Nov, {} at 7 Weetwood Lane, Far Headingley, Leeds LS16 5NP for you"


@pytest.mark.parametrize("channel", CHANNELS)
async def test_a_clash_with_the_buyer_s_own_viewing_is_warned_of_before_booking(
    platform: Platform, channel: str
) -> None:
    await home_with_saturday_hours(platform, "sms" if channel == "telegram" else "telegram", instant=True)
    await second_home_with_the_same_hours(platform)
    amira = await buyer(platform, channel, "Europe/London")
    await book_first_home_at_half_past_eleven(amira)

    # 12:15 starts a quarter of an hour after the 11:30-12:00 viewing ends.
    [warning] = await pick_on_second_home(amira, "12:15")
    assert warning.startswith(CLASH)
    if channel == "sms":
        assert warning.endswith("\n\n1 Book anyway\n2 Pick another time\n3 Menu\nReply 1-3")
    assert [v.starts_at.strftime("%H:%M") for v in await platform.rows(Viewing)] == ["11:30"]
    assert first_line(await amira.send("Pick another time")) == "Free times on Sat 28 Nov:"
    # 13:00 leaves an hour after the first viewing: no warning.
    assert first_line(await amira.send("13:00")).startswith(KEEPING_WEETWOOD.format("13:00"))

    [warning] = await pick_on_second_home(amira, "10:45")
    assert warning.startswith(CLASH)
    assert first_line(await amira.send("Book anyway")).startswith(KEEPING_WEETWOOD.format("10:45"))
    await amira.send("1 person")
    await amira.send("Confirm")
    rows = await platform.rows(Viewing)
    assert [(v.listing_id, v.starts_at.strftime("%H:%M"), v.status) for v in rows][-1] == (
        2,
        "10:45",
        "confirmed",
    )


@pytest.mark.parametrize("channel", CHANNELS)
@pytest.mark.parametrize("backend", ["postgresql", "sqlite"])
async def test_a_home_s_details_show_the_buyer_s_own_viewing_and_offer(
    platform: Platform, channel: str
) -> None:
    await home_with_saturday_hours(platform, "sms" if channel == "telegram" else "telegram", instant=True)
    amira = await buyer(platform, channel, "Asia/Dubai")
    details = "\n".join(await open_the_flat(amira))
    assert "Your viewing" not in details and "Your offer" not in details

    await amira.send("Book a viewing")
    await amira.send("Sat 28 Nov")
    await amira.send("11:30")
    await amira.send("1 person")
    await amira.send("Confirm")
    now = platform.clock.now()
    async with platform.sessions() as session, session.begin():
        session.add(
            Offer(
                listing_id=1,
                buyer_id=2,
                made_by="buyer",
                amount=Decimal("270000"),
                currency_code="GBP",
                status="pending",
                expires_at=now + timedelta(hours=48),
                created_at=now,
                updated_at=now,
            )
        )
    details = "\n".join(await open_the_flat(amira))
    # By SMS the offer leaves out what "left" implies, to stay within two segments.
    waiting = "" if channel == "sms" else "waiting for the seller, "
    assert (
        "Your viewing: Sat 28 Nov, 11:30 Leeds time (15:30 yours) (confirmed)\n"
        f"Your offer: £270,000, {waiting}47 hours left"
    ) in details
    if channel == "sms":
        assert len(details) <= 320


async def test_a_time_taken_while_the_buyer_moves_their_viewing_is_explained(platform: Platform) -> None:
    await home_with_saturday_hours(platform, "sms", instant=True)
    amira = await buyer(platform, "telegram", "Asia/Dubai")
    await open_the_flat(amira)
    for step in ("Book a viewing", "Sat 28 Nov", "10:00", "1 person", "Confirm", "My viewings", "Viewing 1"):
        await amira.send(step)
    await amira.send("Reschedule")
    await amira.send("Sat 5 Dec")
    other = await platform.returning("sms", "+447700900777", phone="+447700900777", name="Omar")
    async with platform.sessions() as session, session.begin():
        omar = await session.get_one(Person, other)
        await hold(
            session, omar, "DS-LDS-001", datetime(2026, 12, 5, 11, 30, tzinfo=UTC), platform.clock.now()
        )
    [taken, mine] = await amira.send("11:30")
    assert taken == "Sorry, someone has just taken that time. Please pick another one."
    assert mine.startswith("Your upcoming viewings:\n1. Sat 28 Nov, 10:00 Leeds time (14:00 yours)")


@pytest.mark.parametrize("channel", ["telegram", "sms"])
async def test_a_buyer_moving_a_viewing_next_to_another_of_theirs_is_asked_first(
    platform: Platform, channel: str
) -> None:
    await home_with_saturday_hours(platform, "sms" if channel == "telegram" else "telegram", instant=True)
    await second_home_with_the_same_hours(platform)
    amira = await buyer(platform, channel, "Europe/London")
    await book_first_home_at_half_past_eleven(amira)
    await pick_on_second_home(amira, "14:30")
    await amira.send("1 person")
    await amira.send("Confirm")

    # Moving 14 Cardigan Road from 11:30 to 10:45 overlaps only its own old time: no question.
    for step in ("My viewings", "Viewing 1", "Reschedule", "Sat 28 Nov"):
        await amira.send(step)
    assert first_line(await amira.send("10:45")).startswith("Moved: your viewing of 14 Cardigan Road")
    # Moving 7 Weetwood Lane from 14:30 to 11:30 starts 15 minutes after the 10:45-11:15 viewing.
    await amira.send("menu")
    for step in ("My viewings", "Viewing 2", "Reschedule", "Sat 28 Nov"):
        await amira.send(step)
    [warning] = await amira.send("11:30")
    assert warning.startswith(CLASH.replace("11:30", "10:45"))
    assert first_line(await amira.send("Pick another time")) == "Free times on Sat 28 Nov:"
    [warning] = await amira.send("11:30")
    await amira.send("Book anyway")
    assert [
        (v.listing_id, v.starts_at.strftime("%H:%M"), v.status) for v in await platform.rows(Viewing)
    ] == [
        (1, "11:30", "rescheduled"),
        (2, "14:30", "rescheduled"),
        (1, "10:45", "confirmed"),
        (2, "11:30", "confirmed"),
    ]
