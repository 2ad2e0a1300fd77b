"""Never double-booked: concurrent holds of one slot and concurrent confirmations of clashing requests, on
PostgreSQL's exclusion constraint and on SQLite's check inside the writing transaction."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import UTC, datetime, time

import pytest
from sqlalchemy import text, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from core.db import create_engine, session_factory
from core.errors import DomainError
from core.listings.model import Listing
from core.people.model import Person
from core.viewings.actions import confirm, hold, propose, release_holds, submit, take_proposal
from core.viewings.availability import update_settings, weekly_rows
from core.viewings.model import Viewing
from core.viewings.rules import SlotTaken, ViewingClosed
from core.viewings.slots import Window
from tests.support import Platform

SLOT = datetime(2026, 11, 28, 11, 30, tzinfo=UTC)
BUYERS = 20


async def _setup(
    platform: Platform, *, instant: bool = False, buyers: int = BUYERS
) -> tuple[int, int, list[int]]:
    """A listing with a seller and a broker, Saturday hours, and (twenty) verified buyers."""
    seller = await platform.returning(roles=("seller",), phone="+447700900555", name="Sam")
    broker = await platform.returning(
        address="600700801", roles=("broker",), phone="+447700900556", name="Bo"
    )
    people = [
        await platform.returning("sms", f"+4477009002{n:02d}", name=f"Buyer {n}", phone=f"+4477009002{n:02d}")
        for n in range(buyers)
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
    return seller, broker, people


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
    # Everyone else is offered the nearest free times: 30-minute viewings 15 minutes apart, 11:30 taken.
    for taken in refused:
        assert [slot.start.strftime("%H:%M") for slot in taken.alternatives] == ["10:00", "10:45", "12:15"]


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
            # 12:10 starts inside 11:30-12:00 plus the 15-minute buffer.
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


# A buyer holds a time while someone else turns a booking into a confirmed one at that same time: the
# seller confirming a request, a buyer taking a proposed time, a buyer sending an instant booking after
# their own hold lapsed. Whoever comes second is told the time is taken, and nothing else changes, even
# though the conversation commits its turn after telling them.
RACERS = ["confirm", "take_proposal", "instant_submit"]
EARLIER = datetime(2026, 11, 28, 10, tzinfo=UTC)


async def _ready_to_book(platform: Platform, action: str) -> tuple[int, int, int]:
    """One booking a step away from confirmed at SLOT; returns (who acts, the viewing, a rival buyer)."""
    seller, _, buyers = await _setup(platform, instant=action == "instant_submit", buyers=2)
    first, rival = buyers
    now = platform.clock.now()
    async with platform.sessions() as session, session.begin():
        buyer = await session.get_one(Person, first)
        held = await hold(session, buyer, "DS-LDS-001", EARLIER if action == "take_proposal" else SLOT, now)
        if action != "instant_submit":
            await submit(session, buyer, held.id, 2, now)
        if action == "take_proposal":
            await propose(session, await session.get_one(Person, seller), held.id, [SLOT], now)
    if action == "instant_submit":
        platform.clock.advance(minutes=6)  # their hold has lapsed, and the sweep let the time go
        async with platform.sessions() as session, session.begin():
            assert await release_holds(session, platform.clock.now()) == 1
    return (seller if action == "confirm" else first), held.id, rival


async def _act(session: AsyncSession, action: str, actor_id: int, viewing_id: int, now: datetime) -> object:
    """Run the action; the refusal is returned, as the conversation catches it and commits its turn."""
    actor = await session.get_one(Person, actor_id)
    try:
        if action == "confirm":
            return [v.status for v in await confirm(session, actor, viewing_id, now)]
        if action == "take_proposal":
            return (await take_proposal(session, actor, viewing_id, SLOT, now)).status
        return (await submit(session, actor, viewing_id, 3, now)).status
    except DomainError as error:
        return error


async def _rival_holds(platform: Platform, rival_id: int) -> int:
    async with platform.sessions() as session, session.begin():
        rival = await session.get_one(Person, rival_id)
        return (await hold(session, rival, "DS-LDS-001", SLOT, platform.clock.now())).id


def _snapshot(rows: Sequence[Viewing]) -> list[tuple[object, ...]]:
    """Every column of every booking, to show that a refused action changed none of them."""
    return [tuple(getattr(v, c.key) for c in Viewing.__table__.columns) for v in rows]


def _told_taken(outcome: object) -> list[str]:
    assert isinstance(outcome, SlotTaken), outcome
    return [slot.start.strftime("%H:%M") for slot in outcome.alternatives]


@pytest.mark.parametrize("action", RACERS)
@pytest.mark.parametrize("backend", ["postgresql", "sqlite"])
async def test_a_time_held_a_moment_earlier_refuses_the_booking_and_changes_nothing(
    platform: Platform, action: str
) -> None:
    actor, viewing_id, rival = await _ready_to_book(platform, action)
    rival_hold = await _rival_holds(platform, rival)
    before = _snapshot(await platform.rows(Viewing))

    async with platform.sessions() as session, session.begin():
        outcome = await _act(session, action, actor, viewing_id, platform.clock.now())

    # 11:30-12:00 and its 15-minute buffer are held; the nearest free times lie either side.
    assert _told_taken(outcome) == ["10:00", "10:45", "12:15"]
    assert _snapshot(await platform.rows(Viewing)) == before
    assert (await platform.rows(Viewing, Viewing.id == rival_hold))[0].status == "held"


@pytest.mark.parametrize("action", RACERS)
@pytest.mark.parametrize("backend", ["postgresql", "sqlite"])
async def test_a_hold_still_being_written_wins_and_the_booking_waits_for_it_then_is_refused(
    platform: Platform, database_url: str, action: str
) -> None:
    actor, viewing_id, rival_id = await _ready_to_book(platform, action)
    before = _snapshot(await platform.rows(Viewing))
    engine = create_engine(database_url)
    sessions = session_factory(engine)
    holding = asyncio.Event()
    acting_started = asyncio.Event()

    async def rival_holds() -> int:
        async with sessions() as session, session.begin():
            rival = await session.get_one(Person, rival_id)
            held = await hold(session, rival, "DS-LDS-001", SLOT, platform.clock.now())
            holding.set()
            await acting_started.wait()
            await asyncio.sleep(0.3)  # the booking is now waiting on this uncommitted hold
            return held.id

    async def book() -> object:
        await holding.wait()
        async with sessions() as session:
            acting_started.set()
            async with session.begin():
                return await _act(session, action, actor, viewing_id, platform.clock.now())

    held_id, outcome = await asyncio.gather(rival_holds(), book())
    await engine.dispose()

    assert _told_taken(outcome) == ["10:00", "10:45", "12:15"]
    rows = await platform.rows(Viewing)
    assert _snapshot([v for v in rows if v.id != held_id]) == before
    assert [(v.id, v.status) for v in rows if v.id == held_id] == [(held_id, "held")]


@pytest.mark.parametrize("action", RACERS)
@pytest.mark.parametrize("backend", ["postgresql", "sqlite"])
async def test_a_hold_and_a_booking_of_one_time_at_the_same_moment_leave_exactly_one(
    platform: Platform, database_url: str, action: str
) -> None:
    actor, viewing_id, rival_id = await _ready_to_book(platform, action)
    before = _snapshot(await platform.rows(Viewing))
    engine = create_engine(database_url)
    sessions = session_factory(engine)
    start_line = asyncio.Event()

    async def rival_holds() -> object:
        async with sessions() as session, session.begin():
            rival = await session.get_one(Person, rival_id)
            await start_line.wait()
            try:
                return await hold(session, rival, "DS-LDS-001", SLOT, platform.clock.now())
            except SlotTaken as taken:
                return taken

    async def book() -> object:
        async with sessions() as session, session.begin():
            await start_line.wait()
            return await _act(session, action, actor, viewing_id, platform.clock.now())

    tasks = [asyncio.create_task(rival_holds()), asyncio.create_task(book())]
    await asyncio.sleep(0.2)
    start_line.set()
    held, booked = await asyncio.gather(*tasks)
    await engine.dispose()

    rows = await platform.rows(Viewing)
    blocking = [v for v in rows if v.status in ("held", "confirmed") and v.starts_at == SLOT]
    assert len(blocking) == 1
    if isinstance(held, SlotTaken):
        assert [v.id for v in blocking] == [viewing_id]
        assert len(rows) == len(before)
    else:
        assert _told_taken(booked) == ["10:00", "10:45", "12:15"]
        assert _snapshot([v for v in rows if v.id != blocking[0].id]) == before
