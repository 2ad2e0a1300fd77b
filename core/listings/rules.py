"""Pure rules of a listing's place on the market: who may move it where, and whether buyers may act on it."""

from __future__ import annotations

from core.errors import ListingFromFeed, ListingNotAvailable, StatusChangeRefused
from core.listings.model import Listing, StandardStatus


def ensure_on_market(listing: Listing) -> Listing:
    """The listing, when buyers may still view it and book; refuses one off the market."""
    if listing.standard_status != StandardStatus.ACTIVE:
        raise ListingNotAvailable(listing.listing_key)
    return listing


# A seller or broker may pause a listing (Withdrawn) and relist it, and mark it sold (Closed) while it is on
# the market, paused or under contract; Closed is final. Other statuses are the market's.
SELLER_STATUS_MOVES: dict[str, tuple[StandardStatus, ...]] = {
    StandardStatus.ACTIVE: (StandardStatus.WITHDRAWN, StandardStatus.CLOSED),
    StandardStatus.WITHDRAWN: (StandardStatus.ACTIVE, StandardStatus.CLOSED),
    StandardStatus.ACTIVE_UNDER_CONTRACT: (StandardStatus.CLOSED,),
}
# Statuses in which a listing's price, details and photos may still change.
EDITABLE_STATUSES = frozenset({StandardStatus.ACTIVE, StandardStatus.WITHDRAWN, StandardStatus.COMING_SOON})
# A listed price must be at least this and at most this (in the listing's currency).
LOWEST_PRICE = 1_000
HIGHEST_PRICE = 100_000_000
MAX_PHOTOS = 20


def moves_from(status: str) -> tuple[StandardStatus, ...]:
    """Where a seller or broker may move a listing that is in `status`."""
    return SELLER_STATUS_MOVES.get(status, ())


def from_feed(listing: Listing) -> bool:
    """True for a home an MLS feed keeps: the feed changes it, and its next record would undo chat changes."""
    return listing.feed_listing_key is not None


def moves_of(listing: Listing) -> tuple[StandardStatus, ...]:
    """Where its seller or broker may move the listing from chat: nowhere for a home a feed keeps."""
    return () if from_feed(listing) else moves_from(listing.standard_status)


def is_editable(listing: Listing) -> bool:
    """True when the listing's price, details or photos may change in chat."""
    return listing.standard_status in EDITABLE_STATUSES and not from_feed(listing)


def ensure_editable(listing: Listing) -> Listing:
    """The listing, when its price, details or photos may change in chat; a sold or closed one is refused,
    and so is a home its feed keeps."""
    if from_feed(listing):
        raise ListingFromFeed(listing.listing_key)
    if listing.standard_status not in EDITABLE_STATUSES:
        raise StatusChangeRefused(listing.listing_key)
    return listing


def is_managed(listing: Listing) -> bool:
    """True when someone answers for the listing (a seller or broker), so buyers may be told they will."""
    return listing.seller_id is not None or listing.broker_id is not None
