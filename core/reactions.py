"""What the domain does of itself when something happens: one table from events to the actions they cause."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from core.events import Reactions
from core.listings.events import ListingPublished, ListingSold, ListingWithdrawn
from core.listings.model import Listing
from core.offers.closing import CLOSED_BY_SALE, CLOSED_BY_WITHDRAWAL, close_offers_on, one_active_after_merge
from core.offers.review_flags import merge_flags
from core.people.events import PeopleMerged
from core.viewings.availability import give_default_hours
from core.viewings.closing import close_viewings_on

# Why a listing's offers and viewings close with it, by the event that took it off the market.
_OFF_MARKET: dict[type[ListingWithdrawn | ListingSold], str] = {
    ListingWithdrawn: CLOSED_BY_WITHDRAWAL,
    ListingSold: CLOSED_BY_SALE,
}


async def _close_offers(session: AsyncSession, event: ListingWithdrawn | ListingSold, now: datetime) -> None:
    """A listing off the market takes no offers: its live ones close, and their buyers are told."""
    listing = await session.get_one(Listing, event.listing_id)
    await close_offers_on(session, listing, now, _OFF_MARKET[type(event)])


async def _close_viewings(
    session: AsyncSession, event: ListingWithdrawn | ListingSold, now: datetime
) -> None:
    """A listing off the market is shown to nobody: viewings still to come are called off, holds released."""
    listing = await session.get_one(Listing, event.listing_id)
    await close_viewings_on(session, listing, now, _OFF_MARKET[type(event)])


async def _default_hours(session: AsyncSession, event: ListingPublished, now: datetime) -> None:
    """A new home can be booked at once, on hours its seller confirms each request for and may change."""
    await give_default_hours(session, event.listing_id, now)


async def _one_active_offer(session: AsyncSession, event: PeopleMerged, now: datetime) -> None:
    """Two buyers becoming one keep one live offer between them."""
    await one_active_after_merge(session, event.survivor_id, event.merged_id, now)


async def _one_flag_per_reason(session: AsyncSession, event: PeopleMerged, now: datetime) -> None:
    """Two people becoming one keep one open review flag per reason."""
    await merge_flags(session, event.survivor_id, event.merged_id, now)


REACTIONS: Reactions = {
    ListingWithdrawn: (_close_offers, _close_viewings),
    ListingSold: (_close_offers, _close_viewings),
    ListingPublished: (_default_hours,),
    PeopleMerged: (_one_active_offer, _one_flag_per_reason),
}
