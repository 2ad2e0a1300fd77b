"""Reading listings: by key, who manages them, and which a person manages, for their screens."""

from __future__ import annotations

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import raiseload

from core.errors import NotFound
from core.listings.model import Listing
from core.listings.rules import ensure_on_market
from core.people.model import Person


def managed_by(person: Person) -> ColumnElement[bool]:
    """The listings the person sells or brokers, as a condition on `Listing` (`authz.manages` in SQL)."""
    return or_(Listing.seller_id == person.id, Listing.broker_id == person.id)


async def listings_managed_by(
    session: AsyncSession, person: Person, *, offset: int = 0, limit: int | None = None
) -> list[Listing]:
    """The listings a person sells or brokers, newest first, a page of them when `limit` is given: My
    listings in one query, their photos never loaded (the list shows none; reading them raises)."""
    rows = await session.scalars(
        select(Listing)
        .options(raiseload(Listing.media))
        .where(managed_by(person))
        .order_by(Listing.on_market_timestamp.desc(), Listing.id.desc())
        .offset(offset)
        .limit(limit)
    )
    return list(rows)


async def count_managed_by(session: AsyncSession, person: Person) -> int:
    """How many listings the person sells or brokers."""
    return await session.scalar(select(func.count()).select_from(Listing).where(managed_by(person))) or 0


async def get_listing_for_viewing(session: AsyncSession, listing_key: str) -> Listing:
    """A listing a buyer may look at; refuses unknown keys and listings off the market."""
    return ensure_on_market(await listing_by_key(session, listing_key))


async def listing_by_key(session: AsyncSession, listing_key: str) -> Listing:
    """The listing with that key, whatever its status; refuses an unknown key."""
    listing = await session.scalar(select(Listing).where(Listing.listing_key == listing_key))
    if listing is None:
        raise NotFound(listing_key)
    return listing


async def managers_of(session: AsyncSession, listing: Listing) -> list[Person]:
    """Who answers for the listing (viewings, offers): its seller and its broker, when it has them."""
    ids = [pid for pid in dict.fromkeys((listing.seller_id, listing.broker_id)) if pid is not None]
    return [await session.get_one(Person, pid) for pid in ids]
