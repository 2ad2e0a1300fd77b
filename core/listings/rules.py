"""Pure rules of a listing's place on the market: who may move it where, and whether buyers may act on it."""

from __future__ import annotations

from core.errors import ListingNotAvailable
from core.listings.model import Listing, StandardStatus


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


def is_managed(listing: Listing) -> bool:
    """True when someone answers for the listing (a seller or broker), so buyers may be told they will."""
    return listing.seller_id is not None or listing.broker_id is not None
