"""Offers: a buyer offers, the seller's side accepts, rejects or counters, and so on until one side settles.

Every write on a listing's offers locks the listing row first and then the offer, so answers, counters and
acceptance are serialised per listing; the expiry job and the buyer's withdrawal lock only the offer.
A buyer has at most one pending offer across all listings: the partial unique index
`uq_offers_one_active_per_buyer` enforces it in the database, and the checks here explain it first.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import ROUND_CEILING, Decimal
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from core.errors import DomainError, Forbidden, NotFound
from core.events import record
from core.listings.actions import ensure_on_market, listing_by_key, lock_listing, put_under_contract
from core.listings.authz import Action, authorize_buyer, authorize_listing, authorize_offer_buyer, manages
from core.listings.model import Listing
from core.locks import lock_row
from core.messaging.masking import mask_contacts
from core.offers.amounts import parse_amount
from core.offers.events import (
    OfferAccepted,
    OfferClosedWithListing,
    OfferCountered,
    OfferExpired,
    OfferMade,
    OfferRejected,
    OfferWithdrawn,
)
from core.offers.model import Offer, OfferEvent, OfferSide, OfferStatus
from core.offers.review_flags import check_offer_activity
from core.people.model import Person

MAX_AMOUNT = Decimal(10) ** 12
# An amount above this share of the asking price is asked about once more before it goes ("is that right?").
CONFIRM_ABOVE_SHARE = Decimal("1.5")
# An amount above this many times the asking price is refused as a slip of the keyboard, never sent.
MOST_TIMES_ASKING = 10
MESSAGE_LIMIT = 500
_ONE_ACTIVE_INDEX = "uq_offers_one_active_per_buyer"
# Why the platform closed a live offer, as its audit event and the buyer's notice tell it.
CLOSED_BY_ACCEPTANCE = "another offer accepted"
CLOSED_BY_WITHDRAWAL = "listing withdrawn"


@dataclass(frozen=True)
class Actor:
    """Who acts on an offer and on which channel they wrote, for the record."""

    person: Person
    channel: str | None


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


class BelowMinimum(DomainError):
    """The amount is under the listing's minimum percentage of its asking price."""

    code = "below_minimum"
    message_key = "offers.below_minimum"

    def __init__(self, listing: Listing) -> None:
        super().__init__(listing.listing_key)
        self.listing = listing

    @property
    def context(self) -> dict[str, Any]:
        """The minimum amount, the percentage and the asking price, in the listing's currency."""
        return {
            "minimum": minimum_amount(self.listing),
            "percent": self.listing.minimum_offer_percent,
            "l": self.listing,
        }


class BadAmount(DomainError):
    """The amount is not a positive sum in the listing's currency that the platform can hold."""

    code = "bad_amount"
    message_key = "offers.bad_amount"

    def __init__(self, currency: str) -> None:
        super().__init__(currency)
        self.currency = currency

    @property
    def context(self) -> dict[str, Any]:
        """The currency the amount should be in."""
        return {"currency": self.currency}


class TooHigh(DomainError):
    """The amount is more than MOST_TIMES_ASKING times the asking price: a typing slip, not an offer."""

    code = "too_high"
    message_key = "offers.too_high"

    def __init__(self, listing: Listing, amount: Decimal) -> None:
        super().__init__(listing.listing_key)
        self.listing = listing
        self.amount = amount

    @property
    def context(self) -> dict[str, Any]:
        """The amount typed, the asking price and the multiple it may not pass."""
        return {"amount": self.amount, "l": self.listing, "times": MOST_TIMES_ASKING}


class SameAmount(DomainError):
    """A counter for exactly the amount on the table: accepting it is the way to agree."""

    code = "same_amount"
    message_key = "offers.same_amount"


class ActiveOfferExists(DomainError):
    """The buyer already has an offer waiting for an answer; `existing` names it."""

    code = "active_offer_exists"
    message_key = "offers.active_exists"

    def __init__(self, existing: Offer, listing: Listing) -> None:
        super().__init__(str(existing.id))
        self.existing = existing
        self.listing = listing

    @property
    def context(self) -> dict[str, Any]:
        """The offer in the way and its listing."""
        return {"o": self.existing, "l": self.listing}


class OfferClosed(DomainError):
    """The offer is past that step (answered, countered, withdrawn, expired); `status` says which."""

    code = "offer_closed"
    message_key = "errors.offer_closed"

    def __init__(self, status: str) -> None:
        super().__init__(status)
        self.status = status

    @property
    def context(self) -> dict[str, Any]:
        """What the refusal's template needs."""
        return {"status": self.status}


def _lost_to_another_offer(error: IntegrityError) -> bool:
    """True when the one-active-offer index refused the row (PostgreSQL names it, SQLite its column)."""
    message = str(error.orig)
    return _ONE_ACTIVE_INDEX in message or "offers.buyer_id" in message


def minimum_amount(listing: Listing) -> Decimal:
    """The lowest offer the listing takes: its minimum percentage of the asking price, in whole units up."""
    exact = listing.list_price * listing.minimum_offer_percent / 100
    return exact.to_integral_value(rounding=ROUND_CEILING)


def share_of_asking(amount: Decimal, listing: Listing) -> Decimal:
    """The amount as a fraction of the asking price (0.947 for 94.7%)."""
    return amount / listing.list_price if listing.list_price else Decimal(0)


def check_amount(listing: Listing, amount: Decimal, *, buyer: bool) -> Decimal:
    """A positive amount with at most two decimals, at most MOST_TIMES_ASKING times the asking price;
    a buyer's must also reach the listing's minimum."""
    if amount <= 0 or amount >= MAX_AMOUNT or amount != amount.quantize(Decimal("0.01")):
        raise BadAmount(listing.currency_code)
    if amount > listing.list_price * MOST_TIMES_ASKING:
        raise TooHigh(listing, amount)
    if buyer and amount < minimum_amount(listing):
        raise BelowMinimum(listing)
    return amount.quantize(Decimal("0.01"))


def needs_confirmation(amount: Decimal, listing: Listing) -> bool:
    """True above CONFIRM_ABOVE_SHARE of the asking price: such an amount is asked about once more."""
    return amount > listing.list_price * CONFIRM_ABOVE_SHARE


def amount_from_text(listing: Listing, text: str) -> Decimal:
    """The amount someone typed for an offer on the listing; refuses nonsense and another currency."""
    parsed = parse_amount(text)
    if parsed is None or parsed.currency not in (None, listing.currency_code):
        raise BadAmount(listing.currency_code)
    return parsed.value


def message_for(offer: Offer, side: str) -> str | None:
    """The buyer's message as `side` reads it: the buyer's own words to the buyer; to the seller's side,
    phone numbers, emails and links hidden until the offer is accepted."""
    if offer.message is None or side == OfferSide.BUYER or offer.status == OfferStatus.ACCEPTED:
        return offer.message
    return mask_contacts(offer.message)


def expiry_of(listing: Listing, now: datetime) -> datetime:
    """When an offer made now on the listing stops waiting for an answer."""
    return now + timedelta(hours=listing.offer_expiry_hours)


def across(side: str) -> OfferSide:
    """The other side of the table."""
    return OfferSide.SELLER if side == OfferSide.BUYER else OfferSide.BUYER


def answering_side(offer: Offer) -> OfferSide:
    """Who may accept, reject or counter the offer: the side that did not make it."""
    return across(offer.made_by)


def is_open(offer: Offer, now: datetime) -> bool:
    """True while the offer waits for an answer: pending, and its time not over (swept or not)."""
    return offer.status == OfferStatus.PENDING and offer.expires_at > now


def check_open(offer: Offer, now: datetime) -> None:
    """Refuse acting on an offer that is no longer pending, or whose time ran out before the sweep saw it."""
    if not is_open(offer, now):
        raise OfferClosed(offer.status if offer.status != OfferStatus.PENDING else OfferStatus.EXPIRED)


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
        await _expire(session, offer, now)
        for offer in await session.scalars(
            select(Offer).where(Offer.buyer_id == buyer.id, *_lapsed(now)).with_for_update()
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
    _record(session, offer, "made", OfferSide.BUYER, actor, now)
    record(session, OfferMade(offer.id, listing.id))
    await check_offer_activity(session, buyer.id, now)
    return offer, lapsed


async def accept(session: AsyncSession, actor: Actor, offer_id: int, now: datetime) -> Settled:
    """Agree to the offer: the listing goes under contract and every other live offer on it closes."""
    offer, listing, side = await _answerable(session, actor, offer_id, now)
    ensure_on_market(listing)
    _settle(offer, OfferStatus.ACCEPTED, now)
    _record(session, offer, "accepted", side, actor, now)
    record(session, OfferAccepted(offer.id, listing.id, side))
    put_under_contract(session, listing, now)
    # Closing the others is this action's own rule, and its callers are told which it closed.
    closed = await close_offers_on(session, listing, now, CLOSED_BY_ACCEPTANCE)
    return Settled(offer, listing, side, closed)


async def close_offers_on(session: AsyncSession, listing: Listing, now: datetime, why: str) -> list[Offer]:
    """Close the listing's live offers (rejected, by the platform) when it stops taking them; returns them.

    Offers whose time is already over are left to the sweep, which expires them as usual.
    """
    live = list(
        await session.scalars(
            select(Offer)
            .where(Offer.listing_id == listing.id, *_live(now))
            .order_by(Offer.id)
            .with_for_update()
        )
    )
    for other in live:
        _settle(other, OfferStatus.REJECTED, now)
        _record(session, other, "closed", OfferSide.SYSTEM, None, now, detail=why)
        record(session, OfferClosedWithListing(other.id, listing.id, why))
    return live


async def reject(session: AsyncSession, actor: Actor, offer_id: int, now: datetime) -> Settled:
    """Turn the offer down; the negotiation ends there."""
    offer, listing, side = await _answerable(session, actor, offer_id, now)
    _settle(offer, OfferStatus.REJECTED, now)
    _record(session, offer, "rejected", side, actor, now)
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
    _settle(offer, OfferStatus.SUPERSEDED, now)
    _record(session, offer, "superseded", side, actor, now)
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
    _record(session, reply, "countered", side, actor, now)
    record(session, OfferCountered(reply.id, listing.id, side))
    return Settled(reply, listing, side)


async def withdraw(session: AsyncSession, actor: Actor, offer_id: int, now: datetime) -> Settled:
    """The buyer walks away before acceptance: their pending offer in this negotiation is withdrawn.

    Tapping Withdraw under an offer the seller has since countered withdraws the latest offer of that same
    negotiation (its counter chain): the buyer's intent is the same.
    """
    found = await session.get(Offer, offer_id)
    if found is None:
        raise NotFound(str(offer_id))
    authorize_offer_buyer(actor.person, found.buyer_id)
    # Lock before following the chain, so a counter committed meanwhile is seen and withdrawn.
    offer = await _lock_offer(session, offer_id)
    latest = await latest_of(session, offer)
    if latest.id != offer.id:
        offer = await _lock_offer(session, latest.id)
    check_open(offer, now)
    _settle(offer, OfferStatus.WITHDRAWN, now)
    _record(session, offer, "withdrawn", OfferSide.BUYER, actor, now)
    record(session, OfferWithdrawn(offer.id, offer.listing_id, OfferSide.BUYER))
    await session.flush()
    await check_offer_activity(session, offer.buyer_id, now)
    return Settled(offer, await listing_of(session, offer), OfferSide.BUYER)


async def one_active_after_merge(
    session: AsyncSession, survivor_id: int, other_id: int, now: datetime
) -> None:
    """Before two people become one, keep only the newer of their live offers; the older is withdrawn.

    Pending offers whose time is over are expired first, so a lapsed offer never displaces a live one.
    """
    pending = list(
        await session.scalars(
            select(Offer)
            .where(Offer.buyer_id.in_((survivor_id, other_id)), Offer.status == OfferStatus.PENDING)
            .order_by(Offer.created_at, Offer.id)
            .with_for_update()
        )
    )
    live = [offer for offer in pending if is_open(offer, now)]
    for lapsed in (offer for offer in pending if not is_open(offer, now)):
        await _expire(session, lapsed, now)
    for older in live[:-1]:
        _settle(older, OfferStatus.WITHDRAWN, now)
        _record(session, older, "withdrawn", OfferSide.SYSTEM, None, now, detail="merged with another person")
        record(session, OfferWithdrawn(older.id, older.listing_id, OfferSide.SYSTEM))
    await session.flush()


async def expire_if_due(session: AsyncSession, offer_id: int, now: datetime) -> Offer | None:
    """Expire the offer when it is still pending and its time is over; None when nothing was due."""
    try:
        offer = await _lock_offer(session, offer_id)
    except NotFound:
        return None
    if offer.status != OfferStatus.PENDING or is_open(offer, now):
        return None
    return await _expire(session, offer, now)


async def due_expiries(session: AsyncSession, now: datetime) -> list[int]:
    """Pending offers whose time is over, as ids, for the sweep to expire."""
    rows = await session.scalars(select(Offer.id).where(*_lapsed(now)).order_by(Offer.expires_at))
    return list(rows)


async def active_offer(session: AsyncSession, buyer_id: int, now: datetime) -> Offer | None:
    """The buyer's offer waiting for an answer, unless its time is over."""
    return await session.scalar(select(Offer).where(Offer.buyer_id == buyer_id, *_live(now)))


async def get_offer(session: AsyncSession, person: Person, offer_id: int) -> tuple[Offer, OfferSide]:
    """An offer the person is part of, and their side of it."""
    offer = await session.get(Offer, offer_id)
    if offer is None:
        raise NotFound(str(offer_id))
    return offer, await side_of(session, person, offer)


async def side_of(session: AsyncSession, person: Person, offer: Offer) -> OfferSide:
    """The person's side of an offer; refuses anyone on neither."""
    if offer.buyer_id == person.id:
        return OfferSide.BUYER
    listing = await listing_of(session, offer)
    authorize_listing(person, listing, Action.ANSWER_OFFER)
    return OfferSide.SELLER


async def listing_of(session: AsyncSession, offer: Offer) -> Listing:
    """The listing an offer is on."""
    return await session.get_one(Listing, offer.listing_id)


async def latest_of(session: AsyncSession, offer: Offer) -> Offer:
    """The newest offer of the negotiation `offer` belongs to, following the counters that answered it."""
    while True:
        following = await session.scalar(select(Offer).where(Offer.answers_id == offer.id))
        if following is None:
            return offer
        offer = following


async def chain_of(session: AsyncSession, offer: Offer) -> list[Offer]:
    """The negotiation up to this offer: the opening offer first, each counter after the one it answers."""
    chain = [offer]
    while chain[0].answers_id is not None:
        previous = await session.get(Offer, chain[0].answers_id)
        if previous is None:
            break
        chain.insert(0, previous)
    return chain


_ENDINGS = ("withdrawn", "accepted", "rejected", "closed", "expired")


async def ending_of(session: AsyncSession, offer: Offer) -> OfferEvent | None:
    """The event that ended the offer (withdrawn, accepted, rejected, closed, expired); None while open."""
    return await session.scalar(
        select(OfferEvent)
        .where(OfferEvent.offer_id == offer.id, OfferEvent.kind.in_(_ENDINGS))
        .order_by(OfferEvent.at.desc(), OfferEvent.id.desc())
        .limit(1)
    )


async def negotiations_of(session: AsyncSession, person: Person) -> tuple[list[Offer], list[Offer]]:
    """The latest offer of each negotiation, newest first: (as buyer, on listings the person manages).

    A superseded offer is never the latest, so leaving those out leaves one row per negotiation.
    """
    managed = select(Listing.id).where(or_(Listing.seller_id == person.id, Listing.broker_id == person.id))
    rows = list(
        await session.scalars(
            select(Offer)
            .where(
                or_(Offer.buyer_id == person.id, Offer.listing_id.in_(managed)),
                Offer.status != OfferStatus.SUPERSEDED,
            )
            .order_by(Offer.updated_at.desc(), Offer.id.desc())
        )
    )
    return [o for o in rows if o.buyer_id == person.id], [o for o in rows if o.buyer_id != person.id]


async def _check_may_offer(session: AsyncSession, buyer: Person, listing: Listing, now: datetime) -> None:
    """A proven buyer, not its seller or broker, on a listing on the market, with no other live offer."""
    authorize_buyer(buyer, listing, Action.MAKE_OFFER)
    ensure_on_market(listing)
    existing = await active_offer(session, buyer.id, now)
    if existing is not None:
        raise ActiveOfferExists(existing, await listing_of(session, existing))


def _live(now: datetime) -> tuple[Any, ...]:
    """Conditions of an offer still waiting for an answer (`is_open` in SQL)."""
    return Offer.status == OfferStatus.PENDING, Offer.expires_at > now


def _lapsed(now: datetime) -> tuple[Any, ...]:
    """Conditions of an offer still pending whose time is over, which the sweep has yet to expire."""
    return Offer.status == OfferStatus.PENDING, Offer.expires_at <= now


async def _answerable(
    session: AsyncSession, actor: Actor, offer_id: int, now: datetime
) -> tuple[Offer, Listing, OfferSide]:
    """Lock the listing then the offer; refuse anyone but the side the offer waits for, or a closed offer."""
    found = await session.get(Offer, offer_id)
    if found is None:
        raise NotFound(str(offer_id))
    listing = await lock_row(session, Listing, Listing.id == found.listing_id)
    offer = await _lock_offer(session, offer_id)
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


async def _expire(session: AsyncSession, offer: Offer, now: datetime) -> Offer:
    _settle(offer, OfferStatus.EXPIRED, now)
    _record(session, offer, "expired", OfferSide.SYSTEM, None, now)
    record(session, OfferExpired(offer.id, offer.listing_id))
    return offer


def _settle(offer: Offer, status: OfferStatus, now: datetime) -> None:
    offer.status = status
    offer.answered_at = offer.updated_at = now


def _record(
    session: AsyncSession,
    offer: Offer,
    kind: str,
    side: OfferSide,
    actor: Actor | None,
    now: datetime,
    *,
    detail: str | None = None,
) -> None:
    session.add(
        OfferEvent(
            offer_id=offer.id,
            kind=kind,
            status=offer.status,
            side=side,
            actor_id=actor.person.id if actor else None,
            channel=actor.channel if actor else None,
            detail=detail,
            at=now,
        )
    )


async def _lock_offer(session: AsyncSession, offer_id: int) -> Offer:
    return await lock_row(session, Offer, Offer.id == offer_id)
