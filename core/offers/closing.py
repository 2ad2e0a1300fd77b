"""The platform ends offers nobody else ends: on a listing leaving the market, when two buyers merge, and
when their time runs out (the sweep, or the buyer's next offer, sees to it)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.errors import NotFound
from core.events import record
from core.listings.model import Listing
from core.offers.events import OfferClosedWithListing, OfferExpired, OfferWithdrawn
from core.offers.model import Offer, OfferSide, OfferStatus
from core.offers.queries import live_offers
from core.offers.rules import is_open
from core.offers.steps import lock_offer, move_to, note

# Why the platform closed a live offer, as its audit event and the buyer's notice tell it.
CLOSED_BY_ACCEPTANCE = "another offer accepted"

CLOSED_BY_WITHDRAWAL = "listing withdrawn"

CLOSED_BY_SALE = "listing sold"


async def close_offers_on(session: AsyncSession, listing: Listing, now: datetime, why: str) -> list[Offer]:
    """Close the listing's live offers (rejected, by the platform) when it stops taking them; returns them.

    Offers whose time is already over are left to the sweep, which expires them as usual.
    """
    live = list(
        await session.scalars(
            select(Offer)
            .where(Offer.listing_id == listing.id, *live_offers(now))
            .order_by(Offer.id)
            .with_for_update()
        )
    )
    for other in live:
        move_to(other, OfferStatus.REJECTED, now)
        note(session, other, "closed", OfferSide.SYSTEM, None, now, detail=why)
        record(session, OfferClosedWithListing(other.id, listing.id, why))
    return live


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
        await expire(session, lapsed, now)
    for older in live[:-1]:
        move_to(older, OfferStatus.WITHDRAWN, now)
        note(session, older, "withdrawn", OfferSide.SYSTEM, None, now, detail="merged with another person")
        record(session, OfferWithdrawn(older.id, older.listing_id, OfferSide.SYSTEM))
    await session.flush()


async def expire_if_due(session: AsyncSession, offer_id: int, now: datetime) -> Offer | None:
    """Expire the offer when it is still pending and its time is over; None when nothing was due."""
    try:
        offer = await lock_offer(session, offer_id)
    except NotFound:
        return None
    if offer.status != OfferStatus.PENDING or is_open(offer, now):
        return None
    return await expire(session, offer, now)


async def expire(session: AsyncSession, offer: Offer, now: datetime) -> Offer:
    move_to(offer, OfferStatus.EXPIRED, now)
    note(session, offer, "expired", OfferSide.SYSTEM, None, now)
    record(session, OfferExpired(offer.id, offer.listing_id))
    return offer
