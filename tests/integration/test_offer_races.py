"""Offers under concurrency: two sessions at once, released together, or one holding its locks while the
other waits on them. PostgreSQL serialises on row locks and the partial unique index; SQLite on its single
writer (BEGIN IMMEDIATE). The outcome must be the same on both."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.db import create_engine, session_factory
from core.errors import DomainError
from core.listings.model import Listing
from core.offers.actions import Settled, Terms, accept, counter, make_offer, withdraw
from core.offers.closing import expire_if_due
from core.offers.model import Offer, OfferEvent
from core.offers.rules import ActiveOfferExists, OfferClosed
from core.offers.steps import Actor
from core.people.model import Person
from tests.integration.test_offer_rules import (
    BACKENDS,
    LISTING,
    OTHER,
    act,
    answering,
    cast,
    countering,
    events,
    listing_status,
    offering,
    refused,
    statuses,
)
from tests.support import Platform

Job = Callable[[AsyncSession], Awaitable[object]]
TICK = timedelta(microseconds=1)
HELD = 0.3


async def outcome(job: Job, session: AsyncSession) -> object:
    """What the job returned, or the refusal it raised."""
    try:
        return await job(session)
    except DomainError as error:
        return error


async def together(sessions: async_sessionmaker[AsyncSession], *jobs: Job) -> list[object]:
    """Run the jobs in their own transactions, released at the same moment."""
    start_line = asyncio.Event()

    async def run(job: Job) -> object:
        async with sessions() as session, session.begin():
            await start_line.wait()
            return await outcome(job, session)

    tasks = [asyncio.create_task(run(job)) for job in jobs]
    await asyncio.sleep(0.2)
    start_line.set()
    return list(await asyncio.gather(*tasks))


async def one_after_another(
    sessions: async_sessionmaker[AsyncSession], first: Job, second: Job
) -> list[object]:
    """`first` does its work and keeps its transaction open; `second` starts and must wait on it; then
    `first` commits and `second` carries on."""
    done = asyncio.Event()
    release = asyncio.Event()

    async def run_first() -> object:
        async with sessions() as session, session.begin():
            result = await outcome(first, session)
            done.set()
            await release.wait()
        return result

    async def run_second() -> object:
        await done.wait()
        async with sessions() as session, session.begin():
            return await outcome(second, session)

    tasks = [asyncio.create_task(run_first()), asyncio.create_task(run_second())]
    await done.wait()
    await asyncio.sleep(HELD)
    assert not tasks[1].done(), "the second transaction did not wait for the first"
    release.set()
    return list(await asyncio.gather(*tasks))


def offer_job(buyer_id: int, key: str, amount: str, now: datetime) -> Job:
    async def job(session: AsyncSession) -> object:
        person = await session.get_one(Person, buyer_id)
        offer, _ = await make_offer(session, Actor(person, "whatsapp"), key, Terms(Decimal(amount)), now)
        return offer

    return job


def accept_job(person_id: int, offer_id: int, now: datetime) -> Job:
    async def job(session: AsyncSession) -> object:
        person = await session.get_one(Person, person_id)
        return await accept(session, Actor(person, "telegram"), offer_id, now)

    return job


def expiry_job(offer_id: int, now: datetime) -> Job:
    async def job(session: AsyncSession) -> object:
        return await expire_if_due(session, offer_id, now)

    return job


def withdraw_job(buyer_id: int, offer_id: int, now: datetime) -> Job:
    async def job(session: AsyncSession) -> object:
        person = await session.get_one(Person, buyer_id)
        return await withdraw(session, Actor(person, "sms"), offer_id, now)

    return job


def counter_job(seller_id: int, offer_id: int, amount: str, now: datetime) -> Job:
    async def job(session: AsyncSession) -> object:
        person = await session.get_one(Person, seller_id)
        return await counter(session, Actor(person, "telegram"), offer_id, Decimal(amount), now)

    return job


# 1. One buyer, two offers at once on two listings.


async def _assert_one_offer_won(platform: Platform, outcomes: list[object], buyer: int) -> None:
    [won] = [o for o in outcomes if isinstance(o, Offer)]
    [lost] = [o for o in outcomes if not isinstance(o, Offer)]
    assert isinstance(lost, ActiveOfferExists), lost
    [row] = await platform.rows(Offer)
    [listing] = await platform.rows(Listing, Listing.id == row.listing_id)
    assert (row.id, row.buyer_id, row.status) == (won.id, buyer, "pending")
    assert (lost.context["o"].id, lost.context["l"].listing_key) == (won.id, listing.listing_key)
    assert [e.kind for e in await platform.rows(OfferEvent)] == ["made"]


@BACKENDS
async def test_two_offers_at_once_by_one_buyer_leave_exactly_one(
    platform: Platform, database_url: str
) -> None:
    people = await cast(platform)
    buyer = people.buyers[0]
    now = platform.clock.now()
    engine = create_engine(database_url)
    try:
        outcomes = await together(
            session_factory(engine),
            offer_job(buyer, LISTING, "270000", now),
            offer_job(buyer, OTHER, "400000", now),
        )
    finally:
        await engine.dispose()
    await _assert_one_offer_won(platform, outcomes, buyer)


@BACKENDS
async def test_an_offer_written_while_another_is_uncommitted_waits_and_is_refused(
    platform: Platform, database_url: str
) -> None:
    # On PostgreSQL the second insert waits on the partial unique index, then fails on it.
    people = await cast(platform)
    buyer = people.buyers[0]
    now = platform.clock.now()
    engine = create_engine(database_url)
    try:
        first, second = await one_after_another(
            session_factory(engine),
            offer_job(buyer, LISTING, "270000", now),
            offer_job(buyer, OTHER, "400000", now),
        )
    finally:
        await engine.dispose()
    assert isinstance(first, Offer)
    await _assert_one_offer_won(platform, [first, second], buyer)


# 2. Accepting at the moment of expiry.


@BACKENDS
async def test_an_offer_can_be_accepted_until_the_microsecond_before_it_expires(platform: Platform) -> None:
    people = await cast(platform)
    a, b = people.buyers[:2]
    offer_a = await act(platform, a, offering("270000"))
    offer_b = await act(platform, b, offering("400000", OTHER))
    expires_at = offer_a.expires_at

    settled = await act(platform, people.seller, answering(accept, offer_a.id), at=expires_at - TICK)
    assert settled.offer.status == "accepted"
    too_late = await refused(
        platform, people.seller, answering(accept, offer_b.id), OfferClosed, at=expires_at
    )
    assert too_late.context == {"status": "expired"}
    assert await statuses(platform) == {offer_a.id: "accepted", offer_b.id: "pending"}
    assert await listing_status(platform, OTHER) == "Active"


async def _assert_accept_or_expiry_won(
    platform: Platform, offer_id: int, accepted: object, expired: object
) -> str:
    """Exactly one of acceptance and expiry happened; returns which."""
    kinds = [e[1] for e in await events(platform, offer_id)]
    if isinstance(accepted, OfferClosed):
        assert accepted.context == {"status": "expired"}
        assert isinstance(expired, Offer) and expired.status == "expired"
        assert await statuses(platform) == {offer_id: "expired"}
        assert await listing_status(platform, LISTING) == "Active"
        assert kinds == ["made", "expired"]
        return "expiry"
    assert expired is None, expired
    assert not isinstance(accepted, DomainError), accepted
    assert await statuses(platform) == {offer_id: "accepted"}
    assert await listing_status(platform, LISTING) == "Active Under Contract"
    assert kinds == ["made", "accepted"]
    return "accept"


@BACKENDS
async def test_acceptance_racing_the_expiry_leaves_exactly_one_of_them(
    platform: Platform, database_url: str
) -> None:
    people = await cast(platform)
    offer = await act(platform, people.buyers[0], offering("270000"))
    engine = create_engine(database_url)
    try:
        accepted, expired = await together(
            session_factory(engine),
            accept_job(people.seller, offer.id, offer.expires_at - TICK),
            expiry_job(offer.id, offer.expires_at),
        )
    finally:
        await engine.dispose()
    await _assert_accept_or_expiry_won(platform, offer.id, accepted, expired)


@BACKENDS
@pytest.mark.parametrize("first", ["accept", "expiry"])
async def test_whichever_of_acceptance_and_expiry_locks_the_offer_first_wins(
    platform: Platform, database_url: str, first: str
) -> None:
    people = await cast(platform)
    offer = await act(platform, people.buyers[0], offering("270000"))
    jobs = {
        "accept": accept_job(people.broker, offer.id, offer.expires_at - TICK),
        "expiry": expiry_job(offer.id, offer.expires_at),
    }
    second = "expiry" if first == "accept" else "accept"
    engine = create_engine(database_url)
    try:
        before, after = await one_after_another(session_factory(engine), jobs[first], jobs[second])
        results = {first: before, second: after}
    finally:
        await engine.dispose()
    assert (
        await _assert_accept_or_expiry_won(platform, offer.id, results["accept"], results["expiry"]) == first
    )


# 3. Countering an offer the buyer has just withdrawn.


@BACKENDS
async def test_countering_a_withdrawn_offer_is_refused_and_writes_nothing(platform: Platform) -> None:
    people = await cast(platform)
    buyer = people.buyers[0]
    offer = await act(platform, buyer, offering("270000"))
    platform.clock.advance(minutes=5)
    await act(platform, buyer, answering(withdraw, offer.id))
    platform.clock.advance(minutes=5)
    closed = await refused(platform, people.seller, countering(offer.id, "280000"), OfferClosed)
    assert closed.context == {"status": "withdrawn"}
    assert await statuses(platform) == {offer.id: "withdrawn"}
    assert [e[1] for e in await events(platform, offer.id)] == ["made", "withdrawn"]


async def _assert_withdrawn_either_way(
    platform: Platform, buyer: int, seller: int, offer_id: int, withdrawn: object, countered: object
) -> str:
    """The buyer has no pending offer left, whichever came first; returns which did."""
    offers = await platform.rows(Offer)
    assert [o for o in offers if o.status == "pending"] == []
    # Every offer's last event tells its status.
    for o in offers:
        assert (await events(platform, o.id))[-1][2] == o.status
    assert isinstance(withdrawn, Settled), withdrawn
    if isinstance(countered, OfferClosed):
        assert countered.context == {"status": "withdrawn"}
        assert withdrawn.offer.id == offer_id
        assert [(o.id, o.status) for o in offers] == [(offer_id, "withdrawn")]
        assert [e[1] for e in await events(platform, offer_id)] == ["made", "withdrawn"]
        return "withdraw"
    assert isinstance(countered, Settled), countered
    [original, reply] = offers
    assert (original.id, original.status) == (offer_id, "superseded")
    assert (reply.id, reply.answers_id, reply.made_by, reply.buyer_id, reply.status) == (
        countered.offer.id,
        offer_id,
        "seller",
        buyer,
        "withdrawn",
    )
    # The buyer's withdrawal reached the seller's counter, the latest offer of the negotiation.
    assert withdrawn.offer.id == reply.id
    assert [(e[1], e[3], e[4]) for e in await events(platform, offer_id)] == [
        ("made", "buyer", buyer),
        ("superseded", "seller", seller),
    ]
    assert [(e[1], e[3], e[4]) for e in await events(platform, reply.id)] == [
        ("countered", "seller", seller),
        ("withdrawn", "buyer", buyer),
    ]
    return "counter"


@BACKENDS
async def test_a_withdrawal_and_a_counter_at_once_leave_no_pending_offer(
    platform: Platform, database_url: str
) -> None:
    people = await cast(platform)
    buyer = people.buyers[0]
    offer = await act(platform, buyer, offering("270000"))
    now = platform.clock.advance(minutes=5)
    engine = create_engine(database_url)
    try:
        withdrawn, countered = await together(
            session_factory(engine),
            withdraw_job(buyer, offer.id, now),
            counter_job(people.seller, offer.id, "280000", now),
        )
    finally:
        await engine.dispose()
    await _assert_withdrawn_either_way(platform, buyer, people.seller, offer.id, withdrawn, countered)


@BACKENDS
@pytest.mark.parametrize("first", ["withdraw", "counter"])
async def test_whichever_of_withdrawal_and_counter_locks_first_the_buyer_ends_withdrawn(
    platform: Platform, database_url: str, first: str
) -> None:
    people = await cast(platform)
    buyer = people.buyers[0]
    offer = await act(platform, buyer, offering("270000"))
    now = platform.clock.advance(minutes=5)
    jobs = {
        "withdraw": withdraw_job(buyer, offer.id, now),
        "counter": counter_job(people.seller, offer.id, "280000", now),
    }
    second = "counter" if first == "withdraw" else "withdraw"
    engine = create_engine(database_url)
    try:
        before, after = await one_after_another(session_factory(engine), jobs[first], jobs[second])
        results = {first: before, second: after}
    finally:
        await engine.dispose()
    assert (
        await _assert_withdrawn_either_way(
            platform, buyer, people.seller, offer.id, results["withdraw"], results["counter"]
        )
        == first
    )
