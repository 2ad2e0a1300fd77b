"""The rules of offers over a real database: the minimum, one active offer per buyer, who may act, the counter
chain, acceptance, expiry, withdrawal, abuse flags and merging two people who each have an offer.

A refused action is run as the bot flows run it: the error is caught and the turn's transaction commits, so
"nothing written" means the service itself wrote nothing before refusing.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any, TypeVar

import pytest
from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from core.errors import DomainError, Forbidden, ListingNotAvailable, VerificationRequired
from core.listings.model import Listing, StandardStatus
from core.offers.actions import Settled, Terms, accept, can_offer, counter, make_offer, reject, withdraw
from core.offers.closing import expire_if_due
from core.offers.model import Offer, OfferEvent, ReviewFlag
from core.offers.queries import chain_of, due_expiries
from core.offers.review_flags import clear_flags, open_flags
from core.offers.rules import ActiveOfferExists, BelowMinimum, OfferClosed, SameAmount
from core.offers.steps import Actor
from core.people.merging import merge_into
from core.people.model import Person
from tests.support import Platform

LISTING = "DS-LDS-001"  # £285,000, minimum 90% (£256,500), offers wait 48 hours
OTHER = "DS-LDS-002"  # £425,000
THIRD = "DS-LDS-003"  # £189,950
BACKENDS = pytest.mark.parametrize("backend", ["postgresql", "sqlite"])

T = TypeVar("T")
E = TypeVar("E", bound=DomainError)
Step = Callable[[AsyncSession, Actor, datetime], Awaitable[T]]


@dataclass(frozen=True)
class Cast:
    """The people of these tests, by id: every demo listing's seller and broker, and verified buyers."""

    seller: int
    broker: int
    buyers: tuple[int, ...]


async def cast(platform: Platform, buyers: int = 3) -> Cast:
    """A seller and a broker on every demo listing, and `buyers` buyers with proven phones."""
    seller = await platform.returning(roles=("seller",), phone="+447700900555", name="Sam")
    broker = await platform.returning(
        address="600700801", roles=("broker",), phone="+447700900556", name="Bo"
    )
    people = [
        await platform.returning("sms", f"+4477009003{n:02d}", name=f"Buyer {n}", phone=f"+4477009003{n:02d}")
        for n in range(buyers)
    ]
    async with platform.sessions() as session, session.begin():
        await session.execute(update(Listing).values(seller_id=seller, broker_id=broker))
    return Cast(seller, broker, tuple(people))


async def set_listing(platform: Platform, key: str, **values: Any) -> None:
    """Change a listing's columns directly, as an operator or another service would."""
    async with platform.sessions() as session, session.begin():
        await session.execute(update(Listing).where(Listing.listing_key == key).values(**values))


async def act(
    platform: Platform,
    person_id: int,
    step: Step[T],
    *,
    channel: str = "whatsapp",
    at: datetime | None = None,
) -> T:
    """The person takes the step in one committed transaction, now or at `at`."""
    async with platform.sessions() as session, session.begin():
        person = await session.get_one(Person, person_id)
        return await step(session, Actor(person, channel), at or platform.clock.now())


async def snapshot(platform: Platform) -> tuple[object, ...]:
    """Everything an action could have written: row counts, offers, listings' statuses and flags."""
    return (
        await platform.count_all(),
        [(o.id, o.status, o.buyer_id, o.updated_at, o.answered_at) for o in await platform.rows(Offer)],
        [(x.listing_key, x.standard_status, x.modification_timestamp) for x in await platform.rows(Listing)],
        [(f.id, f.reason, f.cleared_at) for f in await platform.rows(ReviewFlag)],
    )


async def refused(
    platform: Platform,
    person_id: int,
    step: Step[Any],
    error: type[E],
    *,
    channel: str = "whatsapp",
    at: datetime | None = None,
) -> E:
    """The step raises `error`; the caller explains it and commits, and nothing at all was written."""
    before = await snapshot(platform)
    async with platform.sessions() as session, session.begin():
        person = await session.get_one(Person, person_id)
        with pytest.raises(error) as raised:
            await step(session, Actor(person, channel), at or platform.clock.now())
    assert await snapshot(platform) == before
    return raised.value


def offering(amount: str, key: str = LISTING) -> Step[Offer]:
    """The buyer's opening offer of `amount` on listing `key`."""

    async def step(session: AsyncSession, actor: Actor, now: datetime) -> Offer:
        offer, _ = await make_offer(session, actor, key, Terms(Decimal(amount)), now)
        return offer

    return step


def answering(
    answer: Callable[[AsyncSession, Actor, int, datetime], Awaitable[Settled]], offer_id: int
) -> Step[Settled]:
    """accept, reject or withdraw the offer."""

    async def step(session: AsyncSession, actor: Actor, now: datetime) -> Settled:
        return await answer(session, actor, offer_id, now)

    return step


def countering(offer_id: int, amount: str) -> Step[Settled]:
    """Counter the offer with `amount`."""

    async def step(session: AsyncSession, actor: Actor, now: datetime) -> Settled:
        return await counter(session, actor, offer_id, Decimal(amount), now)

    return step


async def events(platform: Platform, *offer_ids: int) -> list[tuple[object, ...]]:
    """The offers' events in the order written: (offer, kind, status, side, actor, channel, at)."""
    rows = await platform.rows(OfferEvent, OfferEvent.offer_id.in_(offer_ids))
    return [(e.offer_id, e.kind, e.status, e.side, e.actor_id, e.channel, e.at) for e in rows]


async def statuses(platform: Platform) -> dict[int, str]:
    """Every offer's status by id."""
    return {o.id: o.status for o in await platform.rows(Offer)}


async def listing_status(platform: Platform, key: str) -> str:
    """The listing's RESO status."""
    [listing] = await platform.rows(Listing, Listing.listing_key == key)
    return str(listing.standard_status)


@BACKENDS
async def test_an_offer_must_reach_the_listings_minimum_percentage_and_only_the_buyer_is_held_to_it(
    platform: Platform,
) -> None:
    people = await cast(platform)
    first, second = people.buyers[:2]

    low = await refused(platform, first, offering("256499.99"), BelowMinimum)
    assert (low.code, low.message_key) == ("below_minimum", "offers.below_minimum")
    assert low.context["minimum"] == Decimal("256500")
    assert low.context["percent"] == 90
    assert low.context["l"].listing_key == LISTING
    at_minimum = await act(platform, first, offering("256500"))
    assert (at_minimum.amount, at_minimum.status, at_minimum.currency_code) == (
        Decimal("256500.00"),
        "pending",
        "GBP",
    )

    # The minimum follows the listing's percentage: 95% of £285,000 is £270,750.
    await set_listing(platform, LISTING, minimum_offer_percent=95)
    higher = await refused(platform, second, offering("270749.99"), BelowMinimum)
    assert (higher.context["minimum"], higher.context["percent"]) == (Decimal("270750"), 95)
    opening = await act(platform, second, offering("270750"))

    # The seller may ask for less than the minimum; the buyer may not answer below it.
    reply = await act(platform, people.seller, countering(opening.id, "260000"))
    assert (reply.offer.amount, reply.offer.made_by, reply.offer.status) == (
        Decimal("260000.00"),
        "seller",
        "pending",
    )
    too_low = await refused(platform, second, countering(reply.offer.id, "270749"), BelowMinimum)
    assert too_low.context["minimum"] == Decimal("270750")
    answer = await act(platform, second, countering(reply.offer.id, "270750"))
    assert (answer.offer.amount, answer.offer.made_by, answer.offer.answers_id) == (
        Decimal("270750.00"),
        "buyer",
        reply.offer.id,
    )


@BACKENDS
async def test_a_buyer_has_one_active_offer_across_all_listings(platform: Platform) -> None:
    people = await cast(platform)
    buyer = people.buyers[0]
    first = await act(platform, buyer, offering("270000"))

    second = await refused(platform, buyer, offering("400000", OTHER), ActiveOfferExists)
    assert (second.context["o"].id, second.context["l"].listing_key) == (first.id, LISTING)
    async with platform.sessions() as session:
        person = await session.get_one(Person, buyer)
        with pytest.raises(ActiveOfferExists) as asked:
            await can_offer(session, person, OTHER, platform.clock.now())
    assert asked.value.context["o"].id == first.id

    platform.clock.advance(minutes=5)
    await act(platform, buyer, answering(withdraw, first.id))
    platform.clock.advance(minutes=5)
    other = await act(platform, buyer, offering("400000", OTHER))
    assert await statuses(platform) == {first.id: "withdrawn", other.id: "pending"}


@BACKENDS
async def test_the_database_refuses_a_second_pending_offer_written_around_the_service(
    platform: Platform, backend: str
) -> None:
    people = await cast(platform)
    buyer = people.buyers[0]
    await act(platform, buyer, offering("270000"))
    now = platform.clock.now()
    [other] = await platform.rows(Listing, Listing.listing_key == OTHER)

    def row(status: str) -> Offer:
        return Offer(
            listing_id=other.id,
            buyer_id=buyer,
            made_by="buyer",
            amount=Decimal("400000"),
            currency_code="GBP",
            status=status,
            expires_at=now + timedelta(hours=48),
            created_at=now,
            updated_at=now,
        )

    # Closed offers are history: any number may sit beside the pending one.
    async with platform.sessions() as session, session.begin():
        session.add_all([row("rejected"), row("withdrawn")])
    # SQLite names the indexed column rather than the index; the partial index is the same.
    expected = "uq_offers_one_active_per_buyer" if backend == "postgresql" else "offers.buyer_id"
    with pytest.raises(IntegrityError, match=expected):
        async with platform.sessions() as session, session.begin():
            session.add(row("pending"))
    assert sorted(o.status for o in await platform.rows(Offer)) == ["pending", "rejected", "withdrawn"]


@BACKENDS
async def test_offers_only_on_active_listings_by_verified_buyers_who_do_not_sell_it(
    platform: Platform,
) -> None:
    people = await cast(platform)
    buyer = people.buyers[0]
    unverified = await platform.returning(address="700800901", name="Una")

    await set_listing(platform, OTHER, standard_status=StandardStatus.WITHDRAWN)
    gone = await refused(platform, buyer, offering("400000", OTHER), ListingNotAvailable)
    assert gone.message_key == "errors.listing_not_available"

    for manager in (people.seller, people.broker):
        own = await refused(platform, manager, offering("270000"), Forbidden)
        assert own.message_key == "errors.forbidden.own_listing.make_offer"

    unproven = await refused(platform, unverified, offering("270000"), VerificationRequired)
    assert unproven.message_key == "errors.verification_required"
    assert await platform.rows(Offer) == []


@BACKENDS
async def test_a_counter_chain_ends_in_acceptance_with_every_step_on_record(platform: Platform) -> None:
    people = await cast(platform)
    buyer, seller, broker = people.buyers[0], people.seller, people.broker
    t0 = platform.clock.now()
    opening = await act(platform, buyer, offering("270000"), channel="whatsapp")

    # Only the side an offer waits for may answer it.
    mine = await refused(platform, buyer, answering(accept, opening.id), Forbidden)
    assert mine.message_key == "errors.forbidden.answer_offer"
    stranger = await refused(platform, people.buyers[1], answering(reject, opening.id), Forbidden)
    assert stranger.message_key == "errors.forbidden.answer_offer"
    await refused(platform, seller, countering(opening.id, "270000"), SameAmount)

    t1 = platform.clock.advance(hours=1)
    seller_counter = (await act(platform, seller, countering(opening.id, "280000"), channel="telegram")).offer
    assert (seller_counter.made_by, seller_counter.made_by_person_id, seller_counter.answers_id) == (
        "seller",
        seller,
        opening.id,
    )
    assert (seller_counter.buyer_id, seller_counter.expires_at) == (buyer, t1 + timedelta(hours=48))
    own_counter = await refused(platform, broker, answering(accept, seller_counter.id), Forbidden)
    assert own_counter.message_key == "errors.forbidden.answer_counter"
    superseded = await refused(platform, seller, answering(accept, opening.id), OfferClosed)
    assert superseded.context == {"status": "superseded"}

    t2 = platform.clock.advance(hours=1)
    buyer_counter = (await act(platform, buyer, countering(seller_counter.id, "275000"), channel="sms")).offer
    t3 = platform.clock.advance(hours=1)
    settled = await act(platform, broker, answering(accept, buyer_counter.id), channel="telegram")

    assert (settled.offer.id, settled.offer.status, settled.closed) == (buyer_counter.id, "accepted", [])
    offers = await platform.rows(Offer)
    assert [(o.id, o.made_by, o.made_by_person_id, o.answers_id, o.amount, o.status) for o in offers] == [
        (opening.id, "buyer", buyer, None, Decimal("270000.00"), "superseded"),
        (seller_counter.id, "seller", seller, opening.id, Decimal("280000.00"), "superseded"),
        (buyer_counter.id, "buyer", buyer, seller_counter.id, Decimal("275000.00"), "accepted"),
    ]
    assert [o.answered_at for o in offers] == [t1, t2, t3]
    [listing] = await platform.rows(Listing, Listing.listing_key == LISTING)
    assert (listing.standard_status, listing.modification_timestamp) == ("Active Under Contract", t3)
    assert await events(platform, opening.id, seller_counter.id, buyer_counter.id) == [
        (opening.id, "made", "pending", "buyer", buyer, "whatsapp", t0),
        (opening.id, "superseded", "superseded", "seller", seller, "telegram", t1),
        (seller_counter.id, "countered", "pending", "seller", seller, "telegram", t1),
        (seller_counter.id, "superseded", "superseded", "buyer", buyer, "sms", t2),
        (buyer_counter.id, "countered", "pending", "buyer", buyer, "sms", t2),
        (buyer_counter.id, "accepted", "accepted", "seller", broker, "telegram", t3),
    ]
    async with platform.sessions() as session:
        latest = await session.get_one(Offer, buyer_counter.id)
        assert [o.id for o in await chain_of(session, latest)] == [
            opening.id,
            seller_counter.id,
            buyer_counter.id,
        ]
    # Under contract, the listing takes no more offers.
    late = await refused(platform, people.buyers[1], offering("280000"), ListingNotAvailable)
    assert late.message_key == "errors.listing_not_available"


@BACKENDS
async def test_acceptance_closes_the_other_buyers_pending_offers_on_that_listing_only(
    platform: Platform,
) -> None:
    people = await cast(platform, buyers=4)
    a, b, c, d = people.buyers
    offer_a = await act(platform, a, offering("260000"))
    offer_b = await act(platform, b, offering("270000"))
    offer_c = await act(platform, c, offering("265000"))
    offer_d = await act(platform, d, offering("400000", OTHER))
    # A rejected offer stays rejected, with no second event.
    platform.clock.advance(minutes=10)
    await act(platform, people.seller, answering(reject, offer_c.id))

    accepted_at = platform.clock.advance(minutes=10)
    settled = await act(platform, people.seller, answering(accept, offer_b.id))

    assert [o.id for o in settled.closed] == [offer_a.id]
    assert [o.status for o in settled.closed] == ["rejected"]
    assert await statuses(platform) == {
        offer_a.id: "rejected",
        offer_b.id: "accepted",
        offer_c.id: "rejected",
        offer_d.id: "pending",
    }
    closing = await platform.rows(OfferEvent, OfferEvent.kind == "closed")
    assert [(e.offer_id, e.status, e.side, e.actor_id, e.channel, e.detail, e.at) for e in closing] == [
        (offer_a.id, "rejected", "system", None, None, "another offer accepted", accepted_at)
    ]
    assert [e[1] for e in await events(platform, offer_c.id)] == ["made", "rejected"]
    assert [e[1] for e in await events(platform, offer_d.id)] == ["made"]
    assert await listing_status(platform, LISTING) == "Active Under Contract"
    assert await listing_status(platform, OTHER) == "Active"


@BACKENDS
async def test_offers_expire_at_the_listings_expiry_and_a_lapsed_offer_cannot_be_acted_on(
    platform: Platform,
) -> None:
    people = await cast(platform)
    a, b = people.buyers[:2]
    t0 = platform.clock.now()
    await set_listing(platform, OTHER, offer_expiry_hours=24)
    offer_a = await act(platform, a, offering("270000"))
    offer_b = await act(platform, b, offering("400000", OTHER))
    assert (offer_a.expires_at, offer_b.expires_at) == (t0 + timedelta(hours=48), t0 + timedelta(hours=24))

    async def due(at: datetime) -> list[int]:
        async with platform.sessions() as session:
            return await due_expiries(session, at)

    async def expire(offer_id: int, at: datetime) -> Offer | None:
        async with platform.sessions() as session, session.begin():
            return await expire_if_due(session, offer_id, at)

    tick = timedelta(microseconds=1)
    day, two_days = t0 + timedelta(hours=24), t0 + timedelta(hours=48)
    assert await due(day - tick) == []
    assert await due(day) == [offer_b.id]
    assert await due(two_days) == [offer_b.id, offer_a.id]

    assert await expire(offer_b.id, day - tick) is None
    expired = await expire(offer_b.id, day)
    assert expired is not None and (expired.id, expired.status, expired.answered_at) == (
        offer_b.id,
        "expired",
        day,
    )
    assert await expire(offer_b.id, day + timedelta(hours=1)) is None
    assert await events(platform, offer_b.id) == [
        (offer_b.id, "made", "pending", "buyer", b, "whatsapp", t0),
        (offer_b.id, "expired", "expired", "system", None, None, day),
    ]
    assert await due(two_days) == [offer_a.id]

    # Offer A's time is over but nothing has expired it yet: nobody can act on it any more.
    for person, step in (
        (people.seller, answering(accept, offer_a.id)),
        (people.seller, answering(reject, offer_a.id)),
        (people.broker, countering(offer_a.id, "280000")),
        (a, answering(withdraw, offer_a.id)),
    ):
        closed = await refused(platform, person, step, OfferClosed, at=two_days)
        assert closed.context == {"status": "expired"}
    assert (await statuses(platform))[offer_a.id] == "pending"

    # The buyer's next offer expires the lapsed one on the way.
    platform.clock.advance(hours=50)
    async with platform.sessions() as session, session.begin():
        buyer_a = await session.get_one(Person, a)
        new, lapsed = await make_offer(
            session, Actor(buyer_a, "sms"), THIRD, Terms(Decimal("180000")), platform.clock.now()
        )
    assert [(o.id, o.status) for o in lapsed] == [(offer_a.id, "expired")]
    assert await statuses(platform) == {offer_a.id: "expired", offer_b.id: "expired", new.id: "pending"}
    assert [e[1:4] for e in await events(platform, offer_a.id)] == [
        ("made", "pending", "buyer"),
        ("expired", "expired", "system"),
    ]


@BACKENDS
async def test_only_the_buyer_withdraws_and_withdrawing_a_countered_offer_withdraws_the_counter(
    platform: Platform,
) -> None:
    people = await cast(platform)
    a, b = people.buyers[:2]
    offer_a = await act(platform, a, offering("270000"))

    for other in (people.seller, b):
        forbidden = await refused(platform, other, answering(withdraw, offer_a.id), Forbidden)
        assert forbidden.message_key == "errors.forbidden.withdraw_offer"
    platform.clock.advance(minutes=10)
    await act(platform, people.seller, answering(accept, offer_a.id))
    after = await refused(platform, a, answering(withdraw, offer_a.id), OfferClosed)
    assert after.context == {"status": "accepted"}

    offer_b = await act(platform, b, offering("400000", OTHER))
    platform.clock.advance(minutes=10)
    reply = (await act(platform, people.seller, countering(offer_b.id, "420000"))).offer
    withdrawn_at = platform.clock.advance(minutes=10)
    # The buyer taps Withdraw under their own (since countered) offer.
    settled = await act(platform, b, answering(withdraw, offer_b.id), channel="sms")
    assert (settled.offer.id, settled.offer.status, settled.listing.listing_key) == (
        reply.id,
        "withdrawn",
        OTHER,
    )
    assert {k: v for k, v in (await statuses(platform)).items() if k != offer_a.id} == {
        offer_b.id: "superseded",
        reply.id: "withdrawn",
    }
    assert (await events(platform, reply.id))[-1] == (
        reply.id,
        "withdrawn",
        "withdrawn",
        "buyer",
        b,
        "sms",
        withdrawn_at,
    )


@BACKENDS
async def test_many_offers_or_withdrawals_in_seven_days_flag_the_buyer_once(platform: Platform) -> None:
    people = await cast(platform)
    buyer = people.buyers[0]

    async def open_reasons() -> list[str]:
        return sorted(f.reason for f in await platform.rows(ReviewFlag, ReviewFlag.cleared_at.is_(None)))

    seen: list[list[str]] = []
    for _ in range(12):
        platform.clock.advance(hours=1)
        offer = await act(platform, buyer, offering("270000"))
        seen.append(await open_reasons())
        platform.clock.advance(hours=1)
        await act(platform, buyer, answering(withdraw, offer.id))
        seen.append(await open_reasons())
    # After each offer, then after each withdrawal: the 6th withdrawal and the 11th offer raise a flag.
    many_withdrawals = ["many_withdrawals"]
    both = ["many_offers", "many_withdrawals"]
    assert seen == [[]] * 11 + [many_withdrawals] * 9 + [both] * 4

    flags = await platform.rows(ReviewFlag)
    assert [(f.person_id, f.reason, f.detail) for f in flags] == [
        (buyer, "many_withdrawals", "6 withdrawals in 7 days"),
        (buyer, "many_offers", "11 offers in 7 days"),
    ]
    async with platform.sessions() as session:
        listed = await open_flags(session)
    assert [(f.flag.reason, f.person.id, f.person.display_name) for f in listed] == [
        ("many_withdrawals", buyer, "Buyer 0"),
        ("many_offers", buyer, "Buyer 0"),
    ]
    cleared_at = platform.clock.advance(minutes=1)
    async with platform.sessions() as session, session.begin():
        assert await clear_flags(session, buyer, cleared_at) == 2
    async with platform.sessions() as session:
        assert await open_flags(session) == []
    assert [f.cleared_at for f in await platform.rows(ReviewFlag)] == [cleared_at, cleared_at]


@BACKENDS
async def test_offers_spread_over_more_than_seven_days_do_not_flag(platform: Platform) -> None:
    people = await cast(platform)
    buyer = people.buyers[0]
    # Each offer lapses after an hour, so none is withdrawn: the next offer expires the last.
    await set_listing(platform, LISTING, offer_expiry_hours=1)
    step = timedelta(days=7) / 10
    for n in range(11):
        await act(platform, buyer, offering("270000"), at=platform.clock.now() + n * step)
    # The first offer was made exactly 7 days before the 11th, so ten fall in the window.
    assert len(await platform.rows(Offer)) == 11
    assert await platform.rows(ReviewFlag) == []

    # One more when the 11th lapses, an hour later, is the 11th within 7 days.
    await act(platform, buyer, offering("270000"), at=platform.clock.now() + 10 * step + timedelta(hours=1))
    assert [f.reason for f in await platform.rows(ReviewFlag)] == ["many_offers"]


@BACKENDS
async def test_merging_two_people_with_pending_offers_keeps_the_newer_one(platform: Platform) -> None:
    people = await cast(platform)
    survivor, other = people.buyers[:2]
    older = await act(platform, survivor, offering("270000"))
    platform.clock.advance(hours=1)
    newer = await act(platform, other, offering("400000", OTHER))
    merged_at = platform.clock.advance(hours=1)

    async with platform.sessions() as session, session.begin():
        person = await session.get_one(Person, survivor)
        await merge_into(session, person, other, "+447700900301", merged_at)

    offers = await platform.rows(Offer)
    assert [(o.id, o.buyer_id, o.made_by_person_id, o.status) for o in offers] == [
        (older.id, survivor, survivor, "withdrawn"),
        (newer.id, survivor, survivor, "pending"),
    ]
    assert (await events(platform, older.id))[-1] == (
        older.id,
        "withdrawn",
        "withdrawn",
        "system",
        None,
        None,
        merged_at,
    )
    assert [(e[1], e[4]) for e in await events(platform, newer.id)] == [("made", survivor)]
    assert await platform.rows(Person, Person.id == other) == []
    # The survivor's one active offer is the one that moved over.
    in_the_way = await refused(platform, survivor, offering("180000", THIRD), ActiveOfferExists)
    assert (in_the_way.context["o"].id, in_the_way.context["l"].listing_key) == (newer.id, OTHER)


# Known bugs, reported and not yet fixed: each test states the behaviour wanted and fails until it is there.


async def test_a_stale_withdraw_button_does_not_withdraw_a_later_negotiation(platform: Platform) -> None:
    people = await cast(platform)
    buyer = people.buyers[0]
    first = await act(platform, buyer, offering("270000"))
    platform.clock.advance(minutes=1)
    reply = (await act(platform, people.seller, countering(first.id, "280000"))).offer
    platform.clock.advance(minutes=1)
    await act(platform, buyer, answering(reject, reply.id))
    platform.clock.advance(minutes=1)
    again = await act(platform, buyer, offering("276000"))
    platform.clock.advance(minutes=1)
    # Withdraw, tapped under the first offer of the negotiation that ended in a rejection.
    stale = await refused(platform, buyer, answering(withdraw, first.id), OfferClosed)
    assert stale.context == {"status": "rejected"}
    assert (await statuses(platform))[again.id] == "pending"


async def test_merging_keeps_the_live_offer_rather_than_a_lapsed_newer_one(platform: Platform) -> None:
    people = await cast(platform)
    survivor, other = people.buyers[:2]
    await set_listing(platform, OTHER, offer_expiry_hours=1)
    live = await act(platform, survivor, offering("270000"))
    platform.clock.advance(minutes=1)
    lapsing = await act(platform, other, offering("400000", OTHER))
    merged_at = platform.clock.advance(hours=2)
    async with platform.sessions() as session, session.begin():
        person = await session.get_one(Person, survivor)
        await merge_into(session, person, other, "+447700900301", merged_at)
    assert (await statuses(platform))[live.id] == "pending"
    assert (await statuses(platform))[lapsing.id] in ("pending", "expired")


async def test_merging_two_people_who_are_both_flagged_keeps_one_open_flag_per_reason(
    platform: Platform,
) -> None:
    people = await cast(platform)
    survivor, other = people.buyers[:2]
    now = platform.clock.now()
    async with platform.sessions() as session, session.begin():
        session.add_all(
            ReviewFlag(person_id=p, reason="many_offers", detail="11 offers in 7 days", flagged_at=now)
            for p in (survivor, other)
        )
    async with platform.sessions() as session, session.begin():
        person = await session.get_one(Person, survivor)
        await merge_into(session, person, other, "+447700900301", now)
    flags = await platform.rows(ReviewFlag, ReviewFlag.cleared_at.is_(None))
    assert [(f.person_id, f.reason) for f in flags] == [(survivor, "many_offers")]


@BACKENDS
@pytest.mark.parametrize("tapped", [0, 1, 2, 3])
async def test_withdrawing_from_any_step_of_a_long_chain_withdraws_its_latest_offer(
    platform: Platform, tapped: int
) -> None:
    people = await cast(platform)
    buyer, seller = people.buyers[0], people.seller
    chain = [await act(platform, buyer, offering("260000"))]
    for side, amount in [(seller, "284000"), (buyer, "265000"), (seller, "280000"), (buyer, "270000")]:
        platform.clock.advance(minutes=10)
        chain.append((await act(platform, side, countering(chain[-1].id, amount))).offer)
        # After each counter, only the newest offer of the chain is pending.
        assert list((await statuses(platform)).values()) == ["superseded"] * (len(chain) - 1) + ["pending"]

    # The buyer taps Withdraw under an older offer of the chain: the latest one is withdrawn.
    settled = await act(platform, buyer, answering(withdraw, chain[tapped].id))
    assert settled.offer.id == chain[-1].id
    assert await statuses(platform) == {o.id: "superseded" for o in chain[:-1]} | {chain[-1].id: "withdrawn"}
    async with platform.sessions() as session:
        latest = await session.get_one(Offer, chain[-1].id)
        assert [o.id for o in await chain_of(session, latest)] == [o.id for o in chain]
