"""Finding listings that are on the market."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, Select, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.errors import ListingNotAvailable, NotFound, StatusChangeRefused
from core.events import record
from core.listings.authz import Action, authorize_listing
from core.listings.events import ListingRelisted, ListingUnderContract, ListingWithdrawn
from core.listings.model import Listing, StandardStatus
from core.locks import lock_row
from core.people.model import Person
from core.searches.places import AreaQuery

PAGE_SIZE = 5


@dataclass(frozen=True)
class SearchPage:
    """One page of search results and how many there are in all."""

    listings: list[Listing]
    total: int
    offset: int

    @property
    def has_more(self) -> bool:
        """True when another page follows this one."""
        return self.offset + len(self.listings) < self.total


def _area_filter(area: AreaQuery) -> ColumnElement[bool]:
    conditions = [
        func.lower(Listing.city) == area.name_key,
        func.lower(Listing.subdivision_name) == area.name_key,
    ]
    if area.postcode_key:
        compact = func.upper(func.replace(Listing.postal_code, " ", ""))
        conditions.append(compact.startswith(area.postcode_key, autoescape=True))
    return or_(*conditions)


def _active(area: AreaQuery | None) -> Select[Listing]:
    query = select(Listing).where(Listing.standard_status == StandardStatus.ACTIVE)
    return query.where(_area_filter(area)) if area else query


async def search_active(
    session: AsyncSession, area: AreaQuery | None, *, offset: int = 0, limit: int = PAGE_SIZE
) -> SearchPage:
    """Active listings in an area (all areas when None), newest on the market first."""
    query = _active(area)
    total = await session.scalar(select(func.count()).select_from(query.subquery()))
    rows = await session.scalars(
        query.order_by(Listing.on_market_timestamp.desc(), Listing.id.desc()).offset(offset).limit(limit)
    )
    return SearchPage(listings=list(rows), total=total or 0, offset=offset)


async def get_listing_for_viewing(session: AsyncSession, listing_key: str) -> Listing:
    """A listing a buyer may look at; refuses unknown keys and listings off the market."""
    return ensure_on_market(await listing_by_key(session, listing_key))


async def listing_by_key(session: AsyncSession, listing_key: str) -> Listing:
    """The listing with that key, whatever its status; refuses an unknown key."""
    listing = await session.scalar(select(Listing).where(Listing.listing_key == listing_key))
    if listing is None:
        raise NotFound(listing_key)
    return listing


def ensure_on_market(listing: Listing) -> Listing:
    """The listing, when buyers may still view it and book; refuses one off the market."""
    if listing.standard_status != StandardStatus.ACTIVE:
        raise ListingNotAvailable(listing.listing_key)
    return listing


# A seller or broker may take a listing off the market and put it back; other statuses are the market's.
SELLER_STATUS_MOVES: dict[str, StandardStatus] = {
    StandardStatus.ACTIVE: StandardStatus.WITHDRAWN,
    StandardStatus.WITHDRAWN: StandardStatus.ACTIVE,
}


async def lock_listing(session: AsyncSession, listing_key: str) -> Listing:
    """The listing, locked for this transaction and read afresh; refuses an unknown key."""
    return await lock_row(session, Listing, Listing.listing_key == listing_key)


def is_managed(listing: Listing) -> bool:
    """True when someone answers for the listing (a seller or broker), so buyers may be told they will."""
    return listing.seller_id is not None or listing.broker_id is not None


async def managers_of(session: AsyncSession, listing: Listing) -> list[Person]:
    """Who answers for the listing (viewings, offers): its seller and its broker, when it has them."""
    ids = [pid for pid in dict.fromkeys((listing.seller_id, listing.broker_id)) if pid is not None]
    return [await session.get_one(Person, pid) for pid in ids]


async def set_listing_status(
    session: AsyncSession, person: Person, listing_key: str, status: StandardStatus, now: datetime
) -> Listing:
    """Take a listing off the market or put it back: only its seller or broker may, only between the two."""
    listing = await lock_listing(session, listing_key)
    authorize_listing(person, listing, Action.SET_LISTING_STATUS)
    return _move(session, listing, status, now)


async def withdraw_listing(session: AsyncSession, listing_key: str, now: datetime) -> Listing:
    """Take a listing off the market on the platform's own authority (an operator), as its seller would."""
    return _move(session, await lock_listing(session, listing_key), StandardStatus.WITHDRAWN, now)


def put_under_contract(session: AsyncSession, listing: Listing, now: datetime) -> None:
    """An offer on the (locked) listing was accepted: it leaves the market, under contract."""
    listing.standard_status = StandardStatus.ACTIVE_UNDER_CONTRACT
    listing.modification_timestamp = now
    record(session, ListingUnderContract(listing.id))


_STATUS_EVENTS: dict[StandardStatus, type[ListingWithdrawn | ListingRelisted]] = {
    StandardStatus.WITHDRAWN: ListingWithdrawn,
    StandardStatus.ACTIVE: ListingRelisted,
}


def _move(session: AsyncSession, listing: Listing, status: StandardStatus, now: datetime) -> Listing:
    """One of the seller's moves (SELLER_STATUS_MOVES) on the locked listing; refuses any other."""
    if SELLER_STATUS_MOVES.get(listing.standard_status) != status:
        raise StatusChangeRefused(listing.listing_key)
    listing.standard_status = status
    listing.modification_timestamp = now
    record(session, _STATUS_EVENTS[status](listing.id))
    return listing
