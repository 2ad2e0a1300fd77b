"""Reading offers: a buyer's live one, a negotiation's chain and how it ended, and what My offers lists;
each in one query, however many offers or counters there are."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Integer, literal_column, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.listings.authz import Action, side_in
from core.listings.dealings import find, listing_of
from core.listings.model import Listing
from core.listings.queries import managed_by
from core.offers.model import Offer, OfferEvent, OfferSide, OfferStatus
from core.people.model import Person

# How many steps along a counter chain a recursive query has walked; the offer it starts from is step 0.
_START = literal_column("0", Integer).label("depth")


async def due_expiries(session: AsyncSession, now: datetime) -> list[int]:
    """Pending offers whose time is over, as ids, for the sweep to expire."""
    rows = await session.scalars(select(Offer.id).where(*lapsed_offers(now)).order_by(Offer.expires_at))
    return list(rows)


async def active_offer(session: AsyncSession, buyer_id: int, now: datetime) -> Offer | None:
    """The buyer's offer waiting for an answer, unless its time is over."""
    return await session.scalar(select(Offer).where(Offer.buyer_id == buyer_id, *live_offers(now)))


async def get_offer(session: AsyncSession, person: Person, offer_id: int) -> tuple[Offer, OfferSide]:
    """An offer the person is part of, and their side of it (the seller's side may answer offers)."""
    offer = await find(session, Offer, offer_id)
    listing = await listing_of(session, offer)
    return offer, OfferSide(side_in(person, offer.buyer_id, listing, Action.ANSWER_OFFER))


async def latest_of(session: AsyncSession, offer: Offer) -> Offer:
    """The newest offer of the negotiation `offer` belongs to, following the counters that answered it."""
    later = select(Offer.id, _START).where(Offer.id == offer.id).cte("later", recursive=True)
    later = later.union_all(select(Offer.id, later.c.depth + 1).join(later, Offer.answers_id == later.c.id))
    newest = select(Offer).join(later, Offer.id == later.c.id).order_by(later.c.depth.desc()).limit(1)
    return await session.scalar(newest) or offer


async def chain_of(session: AsyncSession, offer: Offer) -> list[Offer]:
    """The negotiation up to this offer: the opening offer first, each counter after the one it answers."""
    first = select(Offer.id, Offer.answers_id, _START).where(Offer.id == offer.id)
    earlier = first.cte("earlier", recursive=True)
    earlier = earlier.union_all(
        select(Offer.id, Offer.answers_id, earlier.c.depth + 1).join(
            earlier, Offer.id == earlier.c.answers_id
        )
    )
    rows = await session.scalars(
        select(Offer).join(earlier, Offer.id == earlier.c.id).order_by(earlier.c.depth.desc())
    )
    return list(rows)


_ENDINGS = ("withdrawn", "accepted", "rejected", "closed", "expired")


async def ending_of(session: AsyncSession, offer: Offer) -> OfferEvent | None:
    """The event that ended the offer (withdrawn, accepted, rejected, closed, expired); None while open."""
    return await session.scalar(
        select(OfferEvent)
        .where(OfferEvent.offer_id == offer.id, OfferEvent.kind.in_(_ENDINGS))
        .order_by(OfferEvent.at.desc(), OfferEvent.id.desc())
        .limit(1)
    )


@dataclass(frozen=True)
class Negotiation:
    """One negotiation as My offers lists it: its latest offer, the listing, and the buyer's name."""

    offer: Offer
    listing: Listing
    buyer_name: str


async def negotiations_of(
    session: AsyncSession, person: Person
) -> tuple[list[Negotiation], list[Negotiation]]:
    """The latest offer of each negotiation, newest first, in one query: (as buyer, on listings the person
    manages). A superseded offer is never the latest, so leaving those out leaves one row per negotiation.
    """
    rows = await session.execute(
        select(Offer, Listing, Person.display_name)
        .join(Listing, Listing.id == Offer.listing_id)
        .outerjoin(Person, Person.id == Offer.buyer_id)
        .where(or_(Offer.buyer_id == person.id, managed_by(person)), Offer.status != OfferStatus.SUPERSEDED)
        .order_by(Offer.updated_at.desc(), Offer.id.desc())
    )
    lines = [Negotiation(offer, listing, name or "") for offer, listing, name in rows]
    mine = [n for n in lines if n.offer.buyer_id == person.id]
    theirs = [n for n in lines if n.offer.buyer_id != person.id]
    return mine, theirs


def live_offers(now: datetime) -> tuple[Any, ...]:
    """Conditions of an offer still waiting for an answer (`is_open` in SQL)."""
    return Offer.status == OfferStatus.PENDING, Offer.expires_at > now


def lapsed_offers(now: datetime) -> tuple[Any, ...]:
    """Conditions of an offer still pending whose time is over, which the sweep has yet to expire."""
    return Offer.status == OfferStatus.PENDING, Offer.expires_at <= now
