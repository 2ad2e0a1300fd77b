"""Never double-booked: concurrent holds of one slot and concurrent confirmations of clashing requests, on
PostgreSQL's exclusion constraint and on SQLite's check inside the writing transaction."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, time

import pytest
from sqlalchemy import text, update
from sqlalchemy.exc import IntegrityError

from core.availability import update_settings, weekly_rows
from core.db import create_engine, session_factory
from core.errors import DomainError
from core.models import Listing, Person, Viewing
from core.slots import Window
from core.viewings import SlotTaken, ViewingClosed, confirm, hold, submit
from tests.support import Platform

SLOT = datetime(2026, 11, 28, 11, tzinfo=UTC)
BUYERS = 20


async def _setup(platform: Platform, *, instant: bool = False) -> tuple[int, int, list[int]]:
    """A listing with a seller and a broker, Saturday hours, and twenty verified buyers."""
    seller = await platform.returning(roles=("seller",), phone="+447700900555", name="Sam")
    broker = await platform.returning(
        address="600700801", roles=("broker",), phone="+447700900556", name="Bo"
    )
    buyers = [
        await platform.returning("sms", f"+4477009002{n:02d}", name=f"Buyer {n}", phone=f"+4477009002{n:02d}")
        for n in range(BUYERS)
    ]
    async with platform.sessions() as session, session.begin():
        await session.execute(
            update(Listing)
            .where(Listing.listing_key == "DS-LDS-001")
            .values(seller_id=seller, broker_id=broker)
        )
        person = await session.get_one(Person, seller)
        await update_settings(
            session,
            person,
            "DS-LDS-001",
            platform.clock.now(),
            instant=instant,
            weekly=weekly_rows([5], Window(time(10), time(16))),
        )
    return seller, broker, buyers


@pytest.mark.parametrize("backend", ["postgresql", "sqlite"])
async def test_twenty_buyers_holding_one_slot_at_once_end_in_one_booking(
    platform: Platform, database_url: str
) -> None:
    _, _, buyers = await _setup(platform)
    engine = create_engine(database_url)
    sessions = session_factory(engine)
    start_line = asyncio.Event()

    async def try_hold(buyer_id: int) -> object:
        async with sessions() as session, session.begin():
            buyer = await session.get_one(Person, buyer_id)
            await start_line.wait()
            try:
                return (await hold(session, buyer, "DS-LDS-001", SLOT, platform.clock.now())).id
            except SlotTaken as taken:
                return taken

    tasks = [asyncio.create_task(try_hold(buyer)) for buyer in buyers]
    await asyncio.sleep(0.2)
    start_line.set()
    outcomes = await asyncio.gather(*tasks)
    await engine.dispose()

    won = [o for o in outcomes if isinstance(o, int)]
    refused = [o for o in outcomes if isinstance(o, SlotTaken)]
    assert (len(won), len(refused)) == (1, BUYERS - 1)
    [row] = await platform.rows(Viewing)
    assert (row.id, row.status, row.starts_at) == (won[0], "held", SLOT)
    # Everyone else is offered the nearest free times: 30-minute slots 15 minutes apart from 11:00-11:30.
    for taken in refused:
        assert [slot.start.strftime("%H:%M") for slot in taken.alternatives] == ["10:00", "12:00", "12:30"]


async def test_the_constraint_itself_refuses_an_overlap_written_around_the_service(
    platform: Platform,
) -> None:
    _, _, buyers = await _setup(platform, instant=True)
    async with platform.sessions() as session, session.begin():
        buyer = await session.get_one(Person, buyers[0])
        held = await hold(session, buyer, "DS-LDS-001", SLOT, platform.clock.now())
        await submit(session, buyer, held.id, 1, platform.clock.now())
    with pytest.raises(IntegrityError, match="ex_viewings_no_overlap"):
        async with platform.sessions() as session, session.begin():
            # 11:40 starts inside 11:00-11:30 plus the 15-minute buffer.
            await session.execute(
                text(
                    "INSERT INTO viewings (listing_id, buyer_id, status, starts_at, ends_at, blocked_until, "
                    "viewers, proposals, calendar_token, created_at, updated_at) "
                    "SELECT listing_id, :buyer, 'confirmed', starts_at + interval '40 minutes', "
                    "ends_at + interval '40 minutes', blocked_until + interval '40 minutes', 1, '[]', 'x', "
                    "created_at, updated_at FROM viewings"
                ),
                {"buyer": buyers[1]},
            )


@pytest.mark.parametrize("backend", ["postgresql", "sqlite"])
async def test_two_hosts_confirming_clashing_requests_at_once_confirm_exactly_one(
    platform: Platform, database_url: str
) -> None:
    seller, broker, buyers = await _setup(platform)
    requests = []
    for buyer_id in buyers[:2]:
        async with platform.sessions() as session, session.begin():
            buyer = await session.get_one(Person, buyer_id)
            held = await hold(session, buyer, "DS-LDS-001", SLOT, platform.clock.now())
            requests.append((await submit(session, buyer, held.id, 1, platform.clock.now())).id)
    assert [v.status for v in await platform.rows(Viewing)] == ["pending", "pending"]

    engine = create_engine(database_url)
    sessions = session_factory(engine)
    start_line = asyncio.Event()

    async def try_confirm(host_id: int, viewing_id: int) -> object:
        async with sessions() as session, session.begin():
            host = await session.get_one(Person, host_id)
            await start_line.wait()
            try:
                return [v.id for v in await confirm(session, host, viewing_id, platform.clock.now())]
            except DomainError as error:
                return error

    tasks = [
        asyncio.create_task(try_confirm(seller, requests[0])),
        asyncio.create_task(try_confirm(broker, requests[1])),
    ]
    await asyncio.sleep(0.2)
    start_line.set()
    first, second = await asyncio.gather(*tasks)
    await engine.dispose()

    outcomes = [first, second]
    [won] = [o for o in outcomes if isinstance(o, list)]
    [lost] = [o for o in outcomes if isinstance(o, DomainError)]
    assert isinstance(lost, ViewingClosed) and lost.status == "declined"
    rows = {v.id: v.status for v in await platform.rows(Viewing)}
    assert won == [won[0], next(i for i in requests if i != won[0])]
    assert rows == {won[0]: "confirmed", won[1]: "declined"}
