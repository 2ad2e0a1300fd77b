"""Listings as the seller's side sees them: which listings a person manages, for their screens."""

from __future__ import annotations

from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.listings.model import Listing
from core.people.model import Person


def managed_by(person: Person) -> ColumnElement[bool]:
    """The listings the person sells or brokers, as a condition on `Listing` (`authz.manages` in SQL)."""
    return or_(Listing.seller_id == person.id, Listing.broker_id == person.id)


async def listings_managed_by(session: AsyncSession, person: Person) -> list[Listing]:
    """The listings a person sells or brokers, newest first: My listings in one query, and one for photos."""
    rows = await session.scalars(
        select(Listing)
        .where(managed_by(person))
        .order_by(Listing.on_market_timestamp.desc(), Listing.id.desc())
    )
    return list(rows)
