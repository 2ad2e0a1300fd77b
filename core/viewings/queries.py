"""Reading viewings: a listing's free slots and settings, someone's side of a viewing, and My viewings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.listings.dealings import find, listing_of
from core.listings.model import Listing, Side
from core.listings.queries import managed_by
from core.people.model import Person
from core.viewings.availability import hours_for
from core.viewings.model import BLOCKING_STATUSES, Viewing, ViewingSettings, ViewingStatus
from core.viewings.rules import NoViewingHours, viewing_side
from core.viewings.slots import Busy, Slot, free_slots


async def settings_of(session: AsyncSession, listing: Listing) -> ViewingSettings:
    """The listing's viewing settings; bookings only exist once they do."""
    settings = await session.get(ViewingSettings, listing.id)
    if settings is None:
        raise NoViewingHours()
    return settings


async def open_slots(
    session: AsyncSession,
    listing: Listing,
    now: datetime,
    *,
    start: datetime | None = None,
    until: datetime | None = None,
    ignore: int | None = None,
) -> list[Slot]:
    """The listing's bookable slots from now on (optionally between `start` and `until`), in UTC."""
    hours = await hours_for(session, listing, (now - timedelta(days=1)).date())
    if not hours.published:
        return []
    busy = await _busy(session, listing.id, now, ignore)
    return free_slots(hours.availability(), listing.time_zone, busy, now, start=start, until=until)


async def side_of(session: AsyncSession, person: Person, viewing: Viewing) -> Side:
    """The person's side of the viewing; refuses anyone who is on neither."""
    return viewing_side(person, viewing, await listing_of(session, viewing))


async def get_viewing(session: AsyncSession, person: Person, viewing_id: int) -> tuple[Viewing, Side]:
    """A viewing the person is part of, and their side of it."""
    viewing = await find(session, Viewing, viewing_id)
    return viewing, await side_of(session, person, viewing)


@dataclass(frozen=True)
class ViewingLine:
    """One viewing as My viewings lists it: the booking, its listing, and the name its buyer goes by."""

    viewing: Viewing
    listing: Listing
    buyer_name: str


async def viewings_of(session: AsyncSession, person: Person) -> list[ViewingLine]:
    """Every viewing the person books or hosts (held and lapsed holds aside), by time, in one query."""
    rows = await session.execute(
        select(Viewing, Listing, Person.display_name)
        .join(Listing, Listing.id == Viewing.listing_id)
        .outerjoin(Person, Person.id == Viewing.buyer_id)
        .where(
            or_(Viewing.buyer_id == person.id, managed_by(person)),
            Viewing.status.not_in((ViewingStatus.HELD, ViewingStatus.EXPIRED)),
        )
        .order_by(Viewing.starts_at, Viewing.id)
    )
    return [ViewingLine(viewing, listing, name or "") for viewing, listing, name in rows]


async def _busy(session: AsyncSession, listing_id: int, now: datetime, ignore: int | None) -> list[Busy]:
    rows = await session.execute(
        select(Viewing.starts_at, Viewing.ends_at).where(*blocking(listing_id, now, ignore))
    )
    return [Busy(start, end) for start, end in rows]


def blocking(listing_id: int, now: datetime, ignore: int | None) -> list[Any]:
    """Conditions of the listing's bookings that keep their time now: confirmed ones, holds not yet over."""
    live_hold = or_(Viewing.status != ViewingStatus.HELD, Viewing.hold_expires_at > now)
    conditions = [Viewing.listing_id == listing_id, Viewing.status.in_(BLOCKING_STATUSES), live_hold]
    return [*conditions, Viewing.id != ignore] if ignore is not None else conditions
