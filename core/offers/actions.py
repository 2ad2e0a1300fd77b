"""Offers: a buyer offers, the seller's side accepts, rejects or counters, and so on until one side settles.

Every write on a listing's offers locks the listing row first and then the offer, so answers, counters and
acceptance are serialised per listing; the expiry job and the buyer's withdrawal lock only the offer.
A buyer has at most one pending offer across all listings: the partial unique index
`uq_offers_one_active_per_buyer` enforces it in the database, and the checks here explain it first.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from core.errors import Forbidden
from core.events import record
from core.listings.actions import lock_listing, put_under_contract
from core.listings.authz import Action, authorize_buyer, authorize_listing, authorize_offer_buyer, manages
from core.listings.dealings import find, listing_of, lock_for_answer
from core.listings.model import Listing
from core.listings.queries import listing_by_key
from core.listings.rules import ensure_on_market
from core.offers.closing import CLOSED_BY_ACCEPTANCE, close_offers_on, expire
from core.offers.events import OfferAccepted, OfferCountered, OfferMade, OfferRejected, OfferWithdrawn
from core.offers.model import Offer, OfferSide, OfferStatus
from core.offers.queries import active_offer, lapsed_offers, latest_of
from core.offers.review_flags import check_offer_activity
from core.offers.rules import (
    MESSAGE_LIMIT,
    ActiveOfferExists,
    SameAmount,
    answering_side,
    check_amount,
    check_open,
    expiry_of,
)
from core.offers.steps import Actor, lock_offer, move_to, note
from core.people.model import Person

_ONE_ACTIVE_INDEX = "uq_offers_one_active_per_buyer"


@dataclass(frozen=True)
class Terms:
    """What a buyer puts in an opening offer."""

    amount: Decimal
    position: str | None = None
    completion_date: date | None = None
    message: str | None = None


@dataclass
class Settled:
    """An action's outcome: the offer as it now stands, the side that acted, and (on acceptance) the other
    offers it closed."""

    offer: Offer
    listing: Listing
    side: OfferSide
    closed: list[Offer] = field(default_factory=list)


def _lost_to_another_offer(error: IntegrityError) -> bool:
    """True when the one-active-offer index refused the row (PostgreSQL names it, SQLite its column)."""
    message = str(error.orig)
    return _ONE_ACTIVE_INDEX in message or "offers.buyer_id" in message


async def can_offer(session: AsyncSession, buyer: Person, listing_key: str, now: datetime) -> Listing:
    """The listing, when this buyer may make an offer on it now; `make_offer` checks the same again."""
    listing = await listing_by_key(session, listing_key)
    await _check_may_offer(session, buyer, listing, now)
    return listing


async def make_offer(
    session: AsyncSession, actor: Actor, listing_key: str, terms: Terms, now: datetime
) -> tuple[Offer, list[Offer]]:
    """Put a buyer's opening offer to the seller; returns it and any of the buyer's offers that had lapsed.

    A lapsed pending offer (its time over, the sweep not yet run) is expired here, so it no longer counts
    as the buyer's active one; the caller tells both sides of it as the sweep would.
    """
    buyer = actor.person
    listing = await lock_listing(session, listing_key)
    await _check_may_offer(session, buyer, listing, now)
    amount = check_amount(listing, terms.amount, buyer=True)
    lapsed = [
        await expire(session, offer, now)
        for offer in await session.scalars(
            select(Offer).where(Offer.buyer_id == buyer.id, *lapsed_offers(now)).with_for_update()
        )
    ]
    offer = Offer(
        listing_id=listing.id,
        buyer_id=buyer.id,
        made_by=OfferSide.BUYER,
        made_by_person_id=buyer.id,
        amount=amount,
        currency_code=listing.currency_code,
        position=terms.position,
        completion_date=terms.completion_date,
        message=(terms.message or "").strip()[:MESSAGE_LIMIT] or None,
        status=OfferStatus.PENDING,
        expires_at=expiry_of(listing, now),
        created_at=now,
        updated_at=now,
    )
    try:
        async with session.begin_nested():
            session.add(offer)
            await session.flush()
    except IntegrityError as error:
        if not _lost_to_another_offer(error):
            raise
        # Another offer by this buyer was written at the same moment and won.
        winner = await active_offer(session, buyer.id, now)
        if winner is None:
            raise
        raise ActiveOfferExists(winner, await listing_of(session, winner)) from None
    note(session, offer, "made", OfferSide.BUYER, actor, now)
    record(session, OfferMade(offer.id, listing.id))
    await check_offer_activity(session, buyer.id, now)
    return offer, lapsed


async def accept(session: AsyncSession, actor: Actor, offer_id: int, now: datetime) -> Settled:
    """Agree to the offer: the listing goes under contract and every other live offer on it closes."""
    offer, listing, side = await _answerable(session, actor, offer_id, now)
    ensure_on_market(listing)
    move_to(offer, OfferStatus.ACCEPTED, now)
    note(session, offer, "accepted", side, actor, now)
    record(session, OfferAccepted(offer.id, listing.id, side))
    put_under_contract(session, listing, now)
    # Closing the others is this action's own rule, and its callers are told which it closed.
    closed = await close_offers_on(session, listing, now, CLOSED_BY_ACCEPTANCE)
    return Settled(offer, listing, side, closed)


async def reject(session: AsyncSession, actor: Actor, offer_id: int, now: datetime) -> Settled:
    """Turn the offer down; the negotiation ends there."""
    offer, listing, side = await _answerable(session, actor, offer_id, now)
    move_to(offer, OfferStatus.REJECTED, now)
    note(session, offer, "rejected", side, actor, now)
    record(session, OfferRejected(offer.id, listing.id, side))
    return Settled(offer, listing, side)


async def counter(
    session: AsyncSession, actor: Actor, offer_id: int, amount: Decimal, now: datetime
) -> Settled:
    """Answer the offer with another amount: a new offer that points to it and supersedes it."""
    offer, listing, side = await _answerable(session, actor, offer_id, now)
    ensure_on_market(listing)
    amount = check_amount(listing, amount, buyer=side == OfferSide.BUYER)
    if amount == offer.amount:
        raise SameAmount()
    move_to(offer, OfferStatus.SUPERSEDED, now)
    note(session, offer, "superseded", side, actor, now)
    await session.flush()
    reply = Offer(
        listing_id=listing.id,
        buyer_id=offer.buyer_id,
        made_by=side,
        made_by_person_id=actor.person.id,
        answers_id=offer.id,
        amount=amount,
        currency_code=listing.currency_code,
        position=offer.position,
        completion_date=offer.completion_date,
        status=OfferStatus.PENDING,
        expires_at=expiry_of(listing, now),
        created_at=now,
        updated_at=now,
    )
    session.add(reply)
    await session.flush()
    note(session, reply, "countered", side, actor, now)
    record(session, OfferCountered(reply.id, listing.id, side))
    return Settled(reply, listing, side)


async def withdraw(session: AsyncSession, actor: Actor, offer_id: int, now: datetime) -> Settled:
    """The buyer walks away before acceptance: their pending offer in this negotiation is withdrawn.

    Tapping Withdraw under an offer the seller has since countered withdraws the latest offer of that same
    negotiation (its counter chain): the buyer's intent is the same.
    """
    found = await find(session, Offer, offer_id)
    authorize_offer_buyer(actor.person, found.buyer_id)
    # Lock before following the chain, so a counter committed meanwhile is seen and withdrawn.
    offer = await lock_offer(session, offer_id)
    latest = await latest_of(session, offer)
    if latest.id != offer.id:
        offer = await lock_offer(session, latest.id)
    check_open(offer, now)
    move_to(offer, OfferStatus.WITHDRAWN, now)
    note(session, offer, "withdrawn", OfferSide.BUYER, actor, now)
    record(session, OfferWithdrawn(offer.id, offer.listing_id, OfferSide.BUYER))
    await session.flush()
    await check_offer_activity(session, offer.buyer_id, now)
    return Settled(offer, await listing_of(session, offer), OfferSide.BUYER)


async def _check_may_offer(session: AsyncSession, buyer: Person, listing: Listing, now: datetime) -> None:
    """A proven buyer, not its seller or broker, on a listing on the market, with no other live offer."""
    authorize_buyer(buyer, listing, Action.MAKE_OFFER)
    ensure_on_market(listing)
    existing = await active_offer(session, buyer.id, now)
    if existing is not None:
        raise ActiveOfferExists(existing, await listing_of(session, existing))


async def _answerable(
    session: AsyncSession, actor: Actor, offer_id: int, now: datetime
) -> tuple[Offer, Listing, OfferSide]:
    """Lock the listing then the offer; refuse anyone but the side the offer waits for, or a closed offer."""
    offer, listing = await lock_for_answer(session, Offer, offer_id)
    person = actor.person
    if answering_side(offer) == OfferSide.SELLER:
        authorize_listing(person, listing, Action.ANSWER_OFFER)
        side = OfferSide.SELLER
    elif person.id == offer.buyer_id:
        side = OfferSide.BUYER
    else:
        own_counter = manages(person, listing)
        raise Forbidden("errors.forbidden.answer_counter" if own_counter else "errors.forbidden.offer")
    check_open(offer, now)
    return offer, listing, side
