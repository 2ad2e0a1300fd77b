"""Writing a booking into a listing's calendar: never two held or confirmed at once.

Held and confirmed bookings of a listing never overlap (slot plus buffer): PostgreSQL enforces it with an
exclusion constraint, and on SQLite the check below runs inside the writing transaction, which is the only
writer. Pending requests keep no slot, so several buyers may ask for one time and the seller picks.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from secrets import token_urlsafe
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from core.listings.model import Listing
from core.viewings.model import BLOCKING_STATUSES, Viewing, ViewingSettings, ViewingStatus
from core.viewings.queries import blocking, open_slots
from core.viewings.rules import SlotTaken
from core.viewings.slots import nearest_free

_DEADLOCK_DETECTED = "40P01"


async def expire_holds(session: AsyncSession, now: datetime, *where: Any) -> int:
    """End the holds that match `where`; returns how many."""
    result = await session.execute(
        update(Viewing)
        .where(Viewing.status == ViewingStatus.HELD, *where)
        .values(status=ViewingStatus.EXPIRED, updated_at=now)
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def new_booking(
    listing: Listing, settings: ViewingSettings, buyer_id: int, start: datetime, now: datetime, **fields: Any
) -> Viewing:
    """A new booking of one slot at `start`, blocking its length plus the listing's buffer."""
    length = timedelta(minutes=settings.slot_minutes)
    return Viewing(
        listing_id=listing.id,
        buyer_id=buyer_id,
        starts_at=start,
        ends_at=start + length,
        blocked_until=start + length + timedelta(minutes=settings.buffer_minutes),
        proposals=[],
        calendar_token=token_urlsafe(16),
        created_at=now,
        updated_at=now,
        **fields,
    )


async def place(
    session: AsyncSession,
    listing: Listing,
    viewing: Viewing,
    now: datetime,
    *,
    add: bool = False,
    **changes: Any,
) -> None:
    """Write a booking with `changes`, refusing (SlotTaken) when a held or confirmed one overlaps it.

    The changes are made only inside the savepoint that catches the overlap constraint: made earlier, the
    queries here would autoflush them outside it, and a refusal would leave them for the turn to commit.
    """
    status = changes.get("status", viewing.status)
    start = changes.get("starts_at", viewing.starts_at)
    until = changes.get("blocked_until", viewing.blocked_until)
    await expire_holds(session, now, Viewing.listing_id == listing.id, Viewing.hold_expires_at <= now)
    if status in (*BLOCKING_STATUSES, ViewingStatus.PENDING):
        clash = await session.scalar(
            select(Viewing.id)
            .where(
                *blocking(listing.id, now, viewing.id),
                Viewing.starts_at < until,
                Viewing.blocked_until > start,
            )
            .limit(1)
        )
        if clash is not None:
            raise await _taken(session, listing, now, start, until)
    try:
        async with session.begin_nested():
            for name, value in changes.items():
                setattr(viewing, name, value)
            if add:
                session.add(viewing)
            await session.flush()
    except DBAPIError as error:
        if not _lost_the_slot(error):
            raise
        raise await _taken(session, listing, now, start, until) from None


async def _taken(
    session: AsyncSession, listing: Listing, now: datetime, start: datetime, until: datetime
) -> SlotTaken:
    """The refusal, with the nearest free times but none overlapping the time just lost: a winner that
    PostgreSQL chose by breaking a deadlock may not have committed yet, so its time still looks free."""
    span = until - start
    free = [slot for slot in await open_slots(session, listing, now) if not start - span < slot.start < until]
    return SlotTaken(nearest_free(free, start))


def _lost_the_slot(error: DBAPIError) -> bool:
    """True when another booking won the slot: the exclusion constraint refused this one, or (two writers
    each waiting on the other's uncommitted overlapping row) PostgreSQL broke the tie as a deadlock."""
    if isinstance(error, IntegrityError):
        return "ex_viewings_no_overlap" in str(error.orig)
    return getattr(error.orig, "sqlstate", None) == _DEADLOCK_DETECTED
