"""A buyer's own viewings that a new time would clash with: overlapping it, or too close to travel between.

Two viewings clash when their times overlap or leave less than TRAVEL_MARGIN between the end of one and
the start of the other, whichever home they are of: half an hour is what getting across town takes.
Requests still waiting for the seller count as much as confirmed viewings; the buyer may book anyway.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.listings.model import Listing
from core.viewings.model import Viewing, ViewingStatus

TRAVEL_MARGIN = timedelta(minutes=30)
_LIVE = (ViewingStatus.PENDING, ViewingStatus.CONFIRMED)


@dataclass(frozen=True)
class Clash:
    """The buyer's viewing that a new time clashes with, and the home it is of."""

    viewing: Viewing
    listing: Listing


def clashes(start: datetime, end: datetime, other_start: datetime, other_end: datetime) -> bool:
    """True when two viewings overlap or leave less than the travel margin between them."""
    return other_start < end + TRAVEL_MARGIN and start < other_end + TRAVEL_MARGIN


async def buyer_clash(
    session: AsyncSession,
    buyer_id: int,
    start: datetime,
    end: datetime,
    now: datetime,
    *,
    ignore: int | None = None,
) -> Clash | None:
    """The buyer's earliest requested or confirmed viewing still ahead that clashes with start-end, leaving
    out `ignore` (the viewing being moved)."""
    query = (
        select(Viewing, Listing)
        .join(Listing, Listing.id == Viewing.listing_id)
        .where(
            Viewing.buyer_id == buyer_id,
            Viewing.status.in_(_LIVE),
            Viewing.ends_at > now,
            Viewing.starts_at < end + TRAVEL_MARGIN,
            Viewing.ends_at > start - TRAVEL_MARGIN,
        )
    )
    if ignore is not None:
        query = query.where(Viewing.id != ignore)
    row = (await session.execute(query.order_by(Viewing.starts_at, Viewing.id).limit(1))).first()
    return Clash(row[0], row[1]) if row is not None else None
