"""What a buyer already has going on homes: their next viewing of each and their live offer, for screens."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.listings.model import Listing
from core.offers.model import Offer, OfferStatus
from core.viewings.model import Viewing, ViewingStatus

_UPCOMING = (ViewingStatus.PENDING, ViewingStatus.PROPOSED, ViewingStatus.CONFIRMED)


@dataclass(frozen=True)
class Stake:
    """A buyer's next viewing of one home (requested, with other times offered, or confirmed) and their
    offer on it while it waits for an answer; either may be None."""

    viewing: Viewing | None
    offer: Offer | None

    @property
    def any(self) -> bool:
        """True when there is something to show."""
        return self.viewing is not None or self.offer is not None


async def stakes_in(
    session: AsyncSession, buyer_id: int, listing_ids: Sequence[int], now: datetime
) -> dict[int, Stake]:
    """The buyer's stake in each listing, keyed by listing id, in one query whatever the number of homes."""
    viewing_on = and_(
        Viewing.listing_id == Listing.id,
        Viewing.buyer_id == buyer_id,
        Viewing.status.in_(_UPCOMING),
        Viewing.ends_at > now,
    )
    offer_on = and_(
        Offer.listing_id == Listing.id,
        Offer.buyer_id == buyer_id,
        Offer.status == OfferStatus.PENDING,
        Offer.expires_at > now,
    )
    rows = await session.execute(
        select(Listing.id, Viewing, Offer)
        .outerjoin(Viewing, viewing_on)
        .outerjoin(Offer, offer_on)
        .where(Listing.id.in_(listing_ids))
        .order_by(Listing.id, Viewing.starts_at, Viewing.id)
    )
    stakes: dict[int, Stake] = {}
    for listing_id, viewing, offer in rows:
        stakes.setdefault(listing_id, Stake(viewing, offer))
    return stakes


async def stakes_on(session: AsyncSession, listing_id: int, now: datetime) -> dict[int, Stake]:
    """Every buyer's stake in one listing, keyed by buyer id (lowest first): those to tell of a
    change to it. Two queries, whatever the number of buyers."""
    viewings = await session.scalars(
        select(Viewing)
        .where(Viewing.listing_id == listing_id, Viewing.status.in_(_UPCOMING), Viewing.ends_at > now)
        .order_by(Viewing.starts_at, Viewing.id)
    )
    offers = await session.scalars(
        select(Offer)
        .where(Offer.listing_id == listing_id, Offer.status == OfferStatus.PENDING, Offer.expires_at > now)
        .order_by(Offer.id)
    )
    next_viewing: dict[int, Viewing] = {}
    for viewing in viewings:
        next_viewing.setdefault(viewing.buyer_id, viewing)
    live_offer = {offer.buyer_id: offer for offer in offers}
    buyers = sorted(next_viewing.keys() | live_offer.keys())
    return {buyer: Stake(next_viewing.get(buyer), live_offer.get(buyer)) for buyer in buyers}
