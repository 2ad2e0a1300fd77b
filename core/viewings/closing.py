"""The platform calls off a listing's viewings nobody else calls off: when the listing leaves the market."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.events import record
from core.listings.model import Listing
from core.viewings.events import ViewingClosedWithListing
from core.viewings.model import OPEN_STATUSES, Viewing, ViewingStatus

# Who cancelled a viewing the platform called off (`Viewing.cancelled_by`), beside "buyer" and "seller".
BY_PLATFORM = "system"


async def close_viewings_on(
    session: AsyncSession, listing: Listing, now: datetime, why: str
) -> list[Viewing]:
    """Cancel the listing's open viewings that have not ended yet, recording `why`; returns those cancelled.

    Held slots are released (expired) instead: their buyer had not sent the booking, so nothing was promised.
    Viewings over by `now` are left as they are, for the seller to record how they went.
    """
    open_ = await session.scalars(
        select(Viewing)
        .where(Viewing.listing_id == listing.id, Viewing.status.in_(OPEN_STATUSES), Viewing.ends_at > now)
        .order_by(Viewing.starts_at, Viewing.id)
        .with_for_update()
    )
    cancelled = []
    for viewing in open_:
        viewing.updated_at = now
        if viewing.status == ViewingStatus.HELD:
            viewing.status = ViewingStatus.EXPIRED
            continue
        viewing.status = ViewingStatus.CANCELLED
        viewing.cancelled_at = now
        viewing.cancelled_by = BY_PLATFORM
        viewing.cancel_reason = why
        record(session, ViewingClosedWithListing(viewing.id, listing.id, why))
        cancelled.append(viewing)
    return cancelled
