"""Who hears of a change to a listing: its buyers of a new price, its other manager of what the one who
acted did. One notice table; the viewings and offers a listing closes are told by their own tables."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bots.notice import Notice, NoticeBuilder
from core.events import Event
from core.listings.events import (
    ListingChange,
    ListingRelisted,
    ListingRepriced,
    ListingSold,
    ListingWithdrawn,
)
from core.listings.model import Listing
from core.listings.queries import managers_of
from core.people.model import Person
from core.searches.buyer_stakes import stakes_on


def _key(listing: Listing, kind: str, person_id: int) -> str:
    """One notice per change: a listing may go off the market and back more than once."""
    changed = listing.modification_timestamp.astimezone(UTC).strftime("%Y%m%dT%H%M%S%f")
    return f"listing:{listing.id}:{kind}:{changed}:{person_id}"


async def to_other_managers(
    session: AsyncSession, event: ListingChange, kind: str, **context: Any
) -> list[Notice]:
    """The notice for the listing's seller and broker, but not the one who made the change; when the platform
    made it (`by` None), for both. Names who acted, and which side they are on."""
    listing = await session.get_one(Listing, event.listing_id)
    actor = await session.get(Person, event.by) if event.by is not None else None
    who: dict[str, Any] = {"actor": "", "actor_role": None}
    if actor is not None:
        role = "seller" if actor.id == listing.seller_id else "broker"
        who = {"actor": actor.display_name or "", "actor_role": role}
    return [
        Notice(
            person_id=manager.id,
            kind=kind,
            dedupe_key=_key(listing, kind, manager.id),
            context={"l": listing, **who, **context},
        )
        for manager in await managers_of(session, listing)
        if manager.id != event.by
    ]


async def _withdrawn(session: AsyncSession, event: ListingWithdrawn) -> list[Notice]:
    return await to_other_managers(session, event, "listings.withdrawn_by")


async def _relisted(session: AsyncSession, event: ListingRelisted) -> list[Notice]:
    return await to_other_managers(session, event, "listings.relisted_by")


async def _sold(session: AsyncSession, event: ListingSold) -> list[Notice]:
    return await to_other_managers(session, event, "listings.sold_by", price=event.close_price)


async def _repriced(session: AsyncSession, event: ListingRepriced) -> list[Notice]:
    """Buyers with a live offer or a viewing to come hear the new price beside what they have going; the
    other manager hears who changed it."""
    listing = await session.get_one(Listing, event.listing_id)
    prices = {"old_price": event.old_price, "new_price": event.new_price}
    # The change happened at the listing's ModificationTimestamp: what was live then is what is live now.
    stakes = await stakes_on(session, listing.id, listing.modification_timestamp)
    kind = "listings.repriced_buyer"
    return [
        *(
            Notice(
                person_id=buyer,
                kind=kind,
                dedupe_key=_key(listing, kind, buyer),
                context={"l": listing, "mine": stake, **prices},
            )
            for buyer, stake in stakes.items()
        ),
        *await to_other_managers(session, event, "listings.repriced_by", **prices),
    ]


NOTICES: Mapping[type[Event], NoticeBuilder] = {
    ListingWithdrawn: _withdrawn,
    ListingRelisted: _relisted,
    ListingSold: _sold,
    ListingRepriced: _repriced,
}
