"""Listing actions: every change of a listing's place on the market, each recorded as an event."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from core.errors import StatusChangeRefused
from core.events import record
from core.listings.authz import Action, authorize_listing
from core.listings.events import ListingRelisted, ListingUnderContract, ListingWithdrawn
from core.listings.model import Listing, StandardStatus
from core.listings.rules import SELLER_STATUS_MOVES
from core.locks import lock_row
from core.people.model import Person


async def lock_listing(session: AsyncSession, listing_key: str) -> Listing:
    """The listing, locked for this transaction and read afresh; refuses an unknown key."""
    return await lock_row(session, Listing, Listing.listing_key == listing_key)


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
