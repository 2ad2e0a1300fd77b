"""Times offered, the buffer and the database agree: two times offered side by side can both be booked,
and a booking is refused exactly when it starts inside another's slot plus buffer, on both databases."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from core.listings.queries import listing_by_key
from core.people.model import Person
from core.viewings.actions import hold, submit
from core.viewings.model import Viewing, ViewingStatus
from core.viewings.queries import open_slots
from core.viewings.rules import SlotTaken
from tests.integration.test_viewing_concurrency import _setup
from tests.support import Platform

SATURDAY = datetime(2026, 11, 28, tzinfo=UTC)


def at(hour: int, minute: int = 0) -> datetime:
    return SATURDAY.replace(hour=hour, minute=minute)


async def book(platform: Platform, buyer_id: int, start: datetime) -> Viewing:
    async with platform.sessions() as session, session.begin():
        buyer = await session.get_one(Person, buyer_id)
        held = await hold(session, buyer, "DS-LDS-001", start, platform.clock.now())
        return await submit(session, buyer, held.id, 1, platform.clock.now())


async def times_on_saturday(platform: Platform) -> list[str]:
    async with platform.sessions() as session:
        listing = await listing_by_key(session, "DS-LDS-001")
        slots = await open_slots(
            session, listing, platform.clock.now(), start=SATURDAY, until=SATURDAY + timedelta(days=1)
        )
    return [slot.start.strftime("%H:%M") for slot in slots]


@pytest.mark.parametrize("backend", ["postgresql", "sqlite"])
async def test_neighbouring_times_offered_can_both_be_booked(platform: Platform) -> None:
    _, _, buyers = await _setup(platform, instant=True)
    assert await times_on_saturday(platform) == [
        "10:00",
        "10:45",
        "11:30",
        "12:15",
        "13:00",
        "13:45",
        "14:30",
        "15:15",
    ]
    first = await book(platform, buyers[0], at(10))
    assert (await times_on_saturday(platform))[:2] == ["10:45", "11:30"]
    second = await book(platform, buyers[1], at(10, 45))
    assert (first.status, first.blocked_until, second.status, second.starts_at) == (
        "confirmed",
        at(10, 45),
        "confirmed",
        at(10, 45),
    )
    assert (await times_on_saturday(platform))[0] == "11:30"


@pytest.mark.parametrize("backend", ["postgresql", "sqlite"])
@pytest.mark.parametrize(
    ("start", "booked"),
    [
        pytest.param(at(9, 14), True, id="its-buffer-ends-a-minute-before"),
        pytest.param(at(9, 15), True, id="its-buffer-ends-as-the-booking-starts"),
        pytest.param(at(9, 16), False, id="its-buffer-runs-a-minute-into-the-booking"),
        pytest.param(at(10, 44), False, id="starts-a-minute-inside-the-buffer"),
        pytest.param(at(10, 45), True, id="starts-as-the-buffer-ends"),
        pytest.param(at(10, 46), True, id="starts-a-minute-after-the-buffer"),
    ],
)
async def test_a_booking_next_to_a_ten_o_clock_one(platform: Platform, start: datetime, booked: bool) -> None:
    """A 30-minute booking at 10:00 keeps 10:00-10:45; another (written as a lapsed hold, then sent) at
    `start` keeps start to start+45 minutes and is refused only when the two overlap.

    On SQLite the check in the writing transaction decides; on PostgreSQL the same check runs before the
    exclusion constraint, which draws the same line on its own (below).
    """
    _, _, buyers = await _setup(platform, instant=True)
    await book(platform, buyers[0], at(10))
    now = platform.clock.now()
    async with platform.sessions() as session, session.begin():
        first = await session.get_one(Viewing, 1)
        session.add(
            Viewing(
                listing_id=first.listing_id,
                buyer_id=buyers[1],
                status=ViewingStatus.EXPIRED,
                starts_at=start,
                ends_at=start + timedelta(minutes=30),
                blocked_until=start + timedelta(minutes=45),
                proposals=[],
                calendar_token="second",
                created_at=now,
                updated_at=now,
            )
        )
    async with platform.sessions() as session, session.begin():
        buyer = await session.get_one(Person, buyers[1])
        try:
            outcome = (await submit(session, buyer, 2, 1, now)).status
        except SlotTaken:
            outcome = "taken"
    assert outcome == ("confirmed" if booked else "taken")


@pytest.mark.parametrize(
    ("minutes", "refused"),
    [
        pytest.param(-46, False, id="buffer-ends-a-minute-before"),
        pytest.param(-45, False, id="buffer-ends-as-it-starts"),
        pytest.param(-44, True, id="buffer-runs-into-it"),
        pytest.param(44, True, id="starts-inside-its-buffer"),
        pytest.param(45, False, id="starts-as-its-buffer-ends"),
    ],
)
async def test_the_exclusion_constraint_draws_the_same_line(
    platform: Platform, minutes: int, refused: bool
) -> None:
    _, _, buyers = await _setup(platform, instant=True)
    await book(platform, buyers[0], at(10))
    insert = text(
        "INSERT INTO viewings (listing_id, buyer_id, status, starts_at, ends_at, blocked_until, viewers, "
        "proposals, calendar_token, created_at, updated_at) "
        "SELECT listing_id, :buyer, 'confirmed', starts_at + :shift, ends_at + :shift, "
        "blocked_until + :shift, 1, '[]', 'x', created_at, updated_at FROM viewings"
    )
    params = {"buyer": buyers[1], "shift": timedelta(minutes=minutes)}
    if refused:
        with pytest.raises(IntegrityError, match="ex_viewings_no_overlap"):
            async with platform.sessions() as session, session.begin():
                await session.execute(insert, params)
    else:
        async with platform.sessions() as session, session.begin():
            await session.execute(insert, params)
        assert [v.status for v in await platform.rows(Viewing)] == ["confirmed", "confirmed"]
