"""A buyer's own clashes (overlap or under 30 minutes between viewings, any home) and their stake in homes
(next viewing, live offer), read from the database as screens need them, on PostgreSQL and SQLite."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import event

from core.offers.model import Offer
from core.searches.buyer_stakes import stakes_in
from core.viewings.clashes import TRAVEL_MARGIN, buyer_clash, clashes
from core.viewings.model import Viewing
from tests.support import Platform

THIRTY = timedelta(minutes=30)
OTHER = datetime(2026, 11, 28, 11, 30, tzinfo=UTC)  # the buyer's viewing: 11:30-12:00


def minutes(n: int) -> timedelta:
    return timedelta(minutes=n)


@pytest.mark.parametrize(
    ("start", "clash"),
    [
        pytest.param(OTHER - THIRTY - minutes(31), False, id="ends-31-minutes-before"),
        pytest.param(OTHER - THIRTY - minutes(30), False, id="ends-30-minutes-before"),
        pytest.param(OTHER - THIRTY - minutes(29), True, id="ends-29-minutes-before"),
        pytest.param(OTHER, True, id="same-time"),
        pytest.param(OTHER + THIRTY + minutes(29), True, id="starts-29-minutes-after"),
        pytest.param(OTHER + THIRTY + minutes(30), False, id="starts-30-minutes-after"),
        pytest.param(OTHER + THIRTY + minutes(31), False, id="starts-31-minutes-after"),
    ],
)
def test_the_travel_margin_rule(start: datetime, clash: bool) -> None:
    assert TRAVEL_MARGIN == THIRTY
    assert clashes(start, start + THIRTY, OTHER, OTHER + THIRTY) is clash


async def add_viewing(platform: Platform, listing_id: int, start: datetime, status: str) -> None:
    now = platform.clock.now()
    async with platform.sessions() as session, session.begin():
        session.add(
            Viewing(
                listing_id=listing_id,
                buyer_id=1,
                status=status,
                starts_at=start,
                ends_at=start + THIRTY,
                blocked_until=start + THIRTY + minutes(15),
                proposals=[],
                calendar_token=f"t{listing_id}{start:%H%M}{status}",
                created_at=now,
                updated_at=now,
            )
        )


@pytest.mark.parametrize("backend", ["postgresql", "sqlite"])
@pytest.mark.parametrize(
    ("start", "status", "clash"),
    [
        pytest.param(OTHER + minutes(59), "confirmed", True, id="confirmed-29-minutes-after"),
        pytest.param(OTHER + minutes(60), "confirmed", False, id="confirmed-30-minutes-after"),
        pytest.param(OTHER - minutes(59), "pending", True, id="request-29-minutes-before"),
        pytest.param(OTHER - minutes(60), "pending", False, id="request-30-minutes-before"),
        pytest.param(OTHER, "cancelled", False, id="a-cancelled-one-never-clashes"),
        pytest.param(OTHER, "declined", False, id="a-declined-one-never-clashes"),
    ],
)
async def test_the_buyer_s_clash_from_the_database(
    platform: Platform, start: datetime, status: str, clash: bool
) -> None:
    await platform.returning("sms", phone="+447700900123")
    await add_viewing(platform, 2, OTHER, status)
    async with platform.sessions() as session:
        found = await buyer_clash(session, 1, start, start + THIRTY, platform.clock.now())
    assert (found is not None) is clash
    if found is not None:
        assert (found.viewing.starts_at, found.listing.listing_key) == (OTHER, "DS-LDS-002")


@pytest.mark.parametrize("backend", ["postgresql", "sqlite"])
async def test_stakes_in_many_homes_take_one_query(platform: Platform, database_url: str) -> None:
    await platform.returning("sms", phone="+447700900123")
    now = platform.clock.now()
    await add_viewing(platform, 1, OTHER + timedelta(days=7), "confirmed")
    await add_viewing(platform, 1, OTHER, "pending")
    await add_viewing(platform, 1, OTHER - timedelta(days=30), "completed")
    await add_viewing(platform, 2, OTHER, "cancelled")
    async with platform.sessions() as session, session.begin():
        session.add(
            Offer(
                listing_id=3,
                buyer_id=1,
                made_by="buyer",
                amount=Decimal("180000"),
                currency_code="GBP",
                status="pending",
                expires_at=now + timedelta(hours=48),
                created_at=now,
                updated_at=now,
            )
        )
    statements: list[str] = []
    async with platform.sessions() as session:
        connection = await session.connection()
        listen = connection.sync_connection
        assert listen is not None
        event.listen(listen, "before_cursor_execute", lambda *args: statements.append(args[2]))
        stakes = await stakes_in(session, 1, [1, 2, 3, 4], now)
    assert len(statements) == 1
    assert {
        key: (s.viewing and s.viewing.starts_at, s.offer and s.offer.amount) for key, s in stakes.items()
    } == {
        1: (OTHER, None),
        2: (None, None),
        3: (None, Decimal("180000")),
        4: (None, None),
    }
    assert [s.any for s in stakes.values()] == [True, False, True, False]
