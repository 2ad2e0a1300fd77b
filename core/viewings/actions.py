"""Booking viewings: hold a slot, request or confirm it, answer, move or cancel it; never two at once."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.errors import Forbidden
from core.events import record
from core.listings.authz import Action, authorize_buyer, authorize_listing
from core.listings.dealings import listing_of, lock_for_answer
from core.listings.model import Listing, Side
from core.listings.queries import get_listing_for_viewing
from core.listings.rules import ensure_on_market
from core.locks import lock_row
from core.people.model import Person
from core.viewings.events import (
    ViewingCancelled,
    ViewingConfirmed,
    ViewingDeclined,
    ViewingOutcomeRecorded,
    ViewingProposed,
    ViewingRequested,
    ViewingRescheduled,
)
from core.viewings.model import OPEN_STATUSES, Viewing, ViewingStatus
from core.viewings.placing import expire_holds, new_booking, place
from core.viewings.queries import open_slots, settings_of, side_of
from core.viewings.rules import (
    HOLD,
    MAX_PROPOSALS,
    NOT_YOURS,
    SlotTaken,
    ViewingClosed,
    check_answerable,
    check_movable,
    moved_to,
    proposed_starts,
)
from core.viewings.slots import nearest_free


async def hold(
    session: AsyncSession, buyer: Person, listing_key: str, start: datetime, now: datetime
) -> Viewing:
    """Keep a slot for the buyer for a few minutes while they finish booking; their other holds end."""
    listing = await get_listing_for_viewing(session, listing_key)
    authorize_buyer(buyer, listing, Action.BOOK_VIEWING)
    settings = await settings_of(session, listing)
    await expire_holds(session, now, Viewing.buyer_id == buyer.id)
    slots = await open_slots(session, listing, now)
    if not any(slot.start == start for slot in slots):
        raise SlotTaken(nearest_free(slots, start))
    viewing = new_booking(
        listing,
        settings,
        buyer.id,
        start,
        now,
        status=ViewingStatus.HELD,
        viewers=1,
        hold_expires_at=now + HOLD,
    )
    await place(session, listing, viewing, now, add=True)
    return viewing


async def submit(
    session: AsyncSession, buyer: Person, viewing_id: int, viewers: int, now: datetime
) -> Viewing:
    """Send a held booking: confirmed at once in instant mode, else a request for the seller to answer."""
    viewing = await _lock_buyers(session, buyer, viewing_id)
    if viewing.status not in (ViewingStatus.HELD, ViewingStatus.EXPIRED):
        raise ViewingClosed(viewing.status)
    listing = ensure_on_market(await listing_of(session, viewing))
    settings = await settings_of(session, listing)
    await place(
        session,
        listing,
        viewing,
        now,
        status=ViewingStatus.CONFIRMED if settings.instant else ViewingStatus.PENDING,
        viewers=max(1, min(viewers, settings.max_viewers)),
        hold_expires_at=None,
        requested_at=now,
        confirmed_at=now if settings.instant else None,
        updated_at=now,
    )
    booked = ViewingConfirmed(viewing.id, listing.id, Side.BUYER) if settings.instant else None
    record(session, booked or ViewingRequested(viewing.id, listing.id))
    return viewing


async def release_hold(session: AsyncSession, buyer: Person, viewing_id: int, now: datetime) -> None:
    """The buyer changed their mind before sending: the held time is free again."""
    viewing = await session.get(Viewing, viewing_id)
    if viewing is not None and viewing.buyer_id == buyer.id and viewing.status == ViewingStatus.HELD:
        viewing.status = ViewingStatus.EXPIRED
        viewing.updated_at = now


async def confirm(session: AsyncSession, manager: Person, viewing_id: int, now: datetime) -> list[Viewing]:
    """Confirm a request; returns it and then any other requests at that time, which are declined."""
    viewing, listing = await _answerable(session, manager, viewing_id, now)
    await place(
        session,
        listing,
        viewing,
        now,
        status=ViewingStatus.CONFIRMED,
        confirmed_at=now,
        answered_at=now,
        updated_at=now,
    )
    clashing = await session.scalars(
        select(Viewing)
        .where(
            Viewing.listing_id == listing.id,
            Viewing.id != viewing.id,
            Viewing.status == ViewingStatus.PENDING,
            Viewing.starts_at < viewing.blocked_until,
            Viewing.blocked_until > viewing.starts_at,
        )
        .with_for_update()
    )
    declined = list(clashing)
    record(session, ViewingConfirmed(viewing.id, listing.id, Side.SELLER))
    for other in declined:
        other.status = ViewingStatus.DECLINED
        other.answered_at = other.updated_at = now
        record(session, ViewingDeclined(other.id, listing.id, clash=True))
    return [viewing, *declined]


async def decline(session: AsyncSession, manager: Person, viewing_id: int, now: datetime) -> Viewing:
    """Turn a request down."""
    viewing, listing = await _answerable(session, manager, viewing_id, now)
    viewing.status = ViewingStatus.DECLINED
    viewing.answered_at = viewing.updated_at = now
    record(session, ViewingDeclined(viewing.id, listing.id, clash=False))
    return viewing


async def propose(
    session: AsyncSession, manager: Person, viewing_id: int, starts: Sequence[datetime], now: datetime
) -> Viewing:
    """Answer a request with other times (up to three) for the buyer to pick from."""
    viewing, listing = await _answerable(session, manager, viewing_id, now)
    free = {slot.start for slot in await open_slots(session, listing, now)}
    chosen = sorted({start for start in starts if start in free})[:MAX_PROPOSALS]
    if not chosen:
        raise SlotTaken(nearest_free(await open_slots(session, listing, now), viewing.starts_at))
    viewing.status = ViewingStatus.PROPOSED
    viewing.proposals = [start.isoformat() for start in chosen]
    viewing.answered_at = viewing.updated_at = now
    record(session, ViewingProposed(viewing.id, listing.id))
    return viewing


async def take_proposal(
    session: AsyncSession, buyer: Person, viewing_id: int, start: datetime, now: datetime
) -> Viewing:
    """The buyer picks one of the seller's proposed times: the viewing is confirmed then."""
    viewing = await _lock_buyers(session, buyer, viewing_id)
    if viewing.status != ViewingStatus.PROPOSED or start not in proposed_starts(viewing):
        raise ViewingClosed(viewing.status)
    listing = ensure_on_market(await listing_of(session, viewing))
    await place(
        session,
        listing,
        viewing,
        now,
        **moved_to(viewing, start),
        status=ViewingStatus.CONFIRMED,
        confirmed_at=now,
        updated_at=now,
    )
    record(session, ViewingConfirmed(viewing.id, listing.id, Side.BUYER))
    return viewing


async def cancel(
    session: AsyncSession, person: Person, viewing_id: int, reason: str | None, now: datetime
) -> tuple[Viewing, Side]:
    """Either side cancels an open viewing, with a reason; returns it and the side that cancelled."""
    viewing = await lock_viewing(session, viewing_id)
    side = await side_of(session, person, viewing)
    if viewing.status not in OPEN_STATUSES or viewing.ends_at <= now:
        raise ViewingClosed(viewing.status if viewing.ends_at > now else "past")
    viewing.status = ViewingStatus.CANCELLED
    viewing.cancelled_at = viewing.updated_at = now
    viewing.cancelled_by = side
    viewing.cancel_reason = (reason or "").strip()[:500] or None
    record(session, ViewingCancelled(viewing.id, viewing.listing_id, side))
    return viewing, side


async def reschedule(
    session: AsyncSession, person: Person, viewing_id: int, start: datetime, now: datetime
) -> tuple[Viewing, Viewing, Side]:
    """Move an open viewing to another free time; returns (old, new, side).

    A seller's move is confirmed at once; a buyer's needs the seller's yes again unless booking is instant.
    """
    old = await lock_viewing(session, viewing_id)
    side = await side_of(session, person, old)
    check_movable(old, now)
    listing = ensure_on_market(await listing_of(session, old))
    settings = await settings_of(session, listing)
    slots = await open_slots(session, listing, now, ignore=old.id)
    if not any(slot.start == start for slot in slots):
        raise SlotTaken(nearest_free(slots, start))
    old.status = ViewingStatus.RESCHEDULED
    old.updated_at = now
    await session.flush()
    confirmed = side == Side.SELLER or settings.instant
    new = new_booking(
        listing,
        settings,
        old.buyer_id,
        start,
        now,
        status=ViewingStatus.CONFIRMED if confirmed else ViewingStatus.PENDING,
        viewers=old.viewers,
        requested_at=now,
        confirmed_at=now if confirmed else None,
        rescheduled_from_id=old.id,
    )
    await place(session, listing, new, now, add=True)
    record(session, ViewingRescheduled(new.id, listing.id, old.id, side))
    return old, new, side


async def record_outcome(
    session: AsyncSession, manager: Person, viewing_id: int, completed: bool, now: datetime
) -> Viewing:
    """After the time, the seller marks a confirmed viewing completed or a no-show."""
    viewing = await lock_viewing(session, viewing_id)
    authorize_listing(manager, await listing_of(session, viewing), Action.CONFIRM_VIEWING)
    if viewing.status != ViewingStatus.CONFIRMED or viewing.starts_at > now:
        raise ViewingClosed(viewing.status if viewing.starts_at <= now else "upcoming")
    viewing.status = ViewingStatus.COMPLETED if completed else ViewingStatus.NO_SHOW
    viewing.updated_at = now
    record(session, ViewingOutcomeRecorded(viewing.id, viewing.listing_id, completed))
    return viewing


async def release_holds(session: AsyncSession, now: datetime) -> int:
    """End holds whose few minutes are over, so their slots show as free."""
    return await expire_holds(session, now, Viewing.hold_expires_at <= now)


async def _lock_buyers(session: AsyncSession, buyer: Person, viewing_id: int) -> Viewing:
    """The buyer's own viewing, locked; refuses anyone else's."""
    viewing = await lock_viewing(session, viewing_id)
    if viewing.buyer_id != buyer.id:
        raise Forbidden(NOT_YOURS)
    return viewing


async def lock_viewing(session: AsyncSession, viewing_id: int) -> Viewing:
    """The viewing, locked for this transaction and read afresh; refuses an unknown id."""
    return await lock_row(session, Viewing, Viewing.id == viewing_id)


async def _answerable(
    session: AsyncSession, manager: Person, viewing_id: int, now: datetime
) -> tuple[Viewing, Listing]:
    viewing, listing = await lock_for_answer(session, Viewing, viewing_id)
    authorize_listing(manager, listing, Action.CONFIRM_VIEWING)
    check_answerable(viewing, now)
    return viewing, listing
