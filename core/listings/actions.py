"""Listing actions: every change of a listing's place on the market, price and details, each an event."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from core.errors import ListingFromFeed, StatusChangeRefused
from core.events import record
from core.listings.authz import Action, authorize_listing
from core.listings.events import (
    ListingDetailsChanged,
    ListingRelisted,
    ListingRepriced,
    ListingSold,
    ListingUnderContract,
    ListingWithdrawn,
)
from core.listings.model import Listing, StandardStatus
from core.listings.rules import ensure_editable, from_feed, moves_from
from core.locks import lock_row
from core.people.model import Person

# The listing's own words and facts a seller may change after publishing (price has its own action).
EDITABLE_FIELDS = frozenset(
    {
        "property_type",
        "property_sub_type",
        "bedrooms_total",
        "bathrooms_total_integer",
        "living_area",
        "living_area_units",
        "public_remarks",
    }
)


async def lock_listing(session: AsyncSession, listing_key: str) -> Listing:
    """The listing, locked for this transaction and read afresh; refuses an unknown key."""
    return await lock_row(session, Listing, Listing.listing_key == listing_key)


async def managed_listing(session: AsyncSession, person: Person, listing_key: str, action: Action) -> Listing:
    """The listing locked, once `person` is shown to be allowed `action` on it."""
    listing = await lock_listing(session, listing_key)
    authorize_listing(person, listing, action)
    return listing


async def set_listing_status(
    session: AsyncSession,
    person: Person,
    listing_key: str,
    status: StandardStatus,
    now: datetime,
    *,
    close_price: Decimal | None = None,
) -> Listing:
    """Pause, relist or mark sold: only its seller or broker may, only by the moves the rules allow, and not
    on a home its feed keeps (an operator's `withdraw_listing` still may)."""
    listing = await managed_listing(session, person, listing_key, Action.SET_LISTING_STATUS)
    if from_feed(listing):
        raise ListingFromFeed(listing_key)
    return _move(session, listing, status, now, close_price, person.id)


async def withdraw_listing(session: AsyncSession, listing_key: str, now: datetime) -> Listing:
    """Take a listing off the market on the platform's own authority (an operator), as its seller would."""
    return _move(session, await lock_listing(session, listing_key), StandardStatus.WITHDRAWN, now, None, None)


def put_under_contract(session: AsyncSession, listing: Listing, now: datetime) -> None:
    """An offer on the (locked) listing was accepted: it leaves the market, under contract."""
    listing.standard_status = StandardStatus.ACTIVE_UNDER_CONTRACT
    listing.modification_timestamp = now
    record(session, ListingUnderContract(listing.id))


async def reprice(
    session: AsyncSession, person: Person, listing_key: str, price: Decimal, now: datetime
) -> Listing:
    """A new asking price; the first one stays as OriginalListPrice. The same price again changes nothing."""
    listing = ensure_editable(await managed_listing(session, person, listing_key, Action.EDIT_LISTING))
    old = listing.list_price
    if price == old:
        return listing
    if listing.original_list_price is None:
        listing.original_list_price = old
    listing.list_price = price
    listing.modification_timestamp = now
    record(session, ListingRepriced(listing.id, old, price, by=person.id))
    return listing


async def change_details(
    session: AsyncSession, person: Person, listing_key: str, now: datetime, **values: Any
) -> Listing:
    """Change what the listing says (EDITABLE_FIELDS); only fields whose value changes are recorded."""
    unknown = set(values) - EDITABLE_FIELDS
    if unknown:
        raise ValueError(f"not an editable listing field: {sorted(unknown)}")
    listing = ensure_editable(await managed_listing(session, person, listing_key, Action.EDIT_LISTING))
    changed = tuple(sorted(name for name, value in values.items() if getattr(listing, name) != value))
    if changed:
        for name in changed:
            setattr(listing, name, values[name])
        listing.modification_timestamp = now
        record(session, ListingDetailsChanged(listing.id, changed, by=person.id))
    return listing


_STATUS_EVENTS: dict[StandardStatus, type[ListingWithdrawn | ListingRelisted]] = {
    StandardStatus.WITHDRAWN: ListingWithdrawn,
    StandardStatus.ACTIVE: ListingRelisted,
}


def _move(
    session: AsyncSession,
    listing: Listing,
    status: StandardStatus,
    now: datetime,
    close_price: Decimal | None,
    by: int | None,
) -> Listing:
    """One of the seller's moves (SELLER_STATUS_MOVES) on the locked listing, made by person `by` (None: the
    platform); refuses any other."""
    if status not in moves_from(listing.standard_status):
        raise StatusChangeRefused(listing.listing_key)
    listing.standard_status = status
    listing.modification_timestamp = now
    if status == StandardStatus.CLOSED:
        listing.close_price = close_price
        record(session, ListingSold(listing.id, close_price, by=by))
    else:
        record(session, _STATUS_EVENTS[status](listing.id, by=by))
    return listing
