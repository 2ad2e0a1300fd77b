"""What the domain does of itself when something happens: one table from events to the actions they cause."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from core.events import Event, take, unreacted
from core.listings.events import ListingWithdrawn
from core.listings.model import Listing
from core.offers.actions import CLOSED_BY_WITHDRAWAL, close_offers_on, one_active_after_merge
from core.people.events import PeopleMerged

Reaction = Callable[[AsyncSession, Any, datetime], Awaitable[None]]


async def _close_offers(session: AsyncSession, event: ListingWithdrawn, now: datetime) -> None:
    """A listing off the market takes no offers: its live ones close, and their buyers are told."""
    listing = await session.get_one(Listing, event.listing_id)
    await close_offers_on(session, listing, now, CLOSED_BY_WITHDRAWAL)


async def _one_active_offer(session: AsyncSession, event: PeopleMerged, now: datetime) -> None:
    """Two buyers becoming one keep one live offer between them."""
    await one_active_after_merge(session, event.survivor_id, event.merged_id, now)


REACTIONS: Mapping[type[Event], tuple[Reaction, ...]] = {
    ListingWithdrawn: (_close_offers,),
    PeopleMerged: (_one_active_offer,),
}


async def react(session: AsyncSession, now: datetime) -> None:
    """Run the reactions to each event not yet reacted to, then to those they record, till none are left."""
    while pending := unreacted(session):
        for event in pending:
            for reaction in REACTIONS.get(type(event), ()):
                await reaction(session, event, now)


async def settle(session: AsyncSession, now: datetime) -> list[Event]:
    """React to everything recorded (see `react`), then take every event, in the order they happened."""
    await react(session, now)
    return take(session)
