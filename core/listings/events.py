"""What happens to listings, as the listings actions record it."""

from __future__ import annotations

from dataclasses import dataclass

from core.events import Event


@dataclass(frozen=True)
class ListingChange(Event):
    """Something that happened to one listing."""

    listing_id: int


@dataclass(frozen=True)
class ListingWithdrawn(ListingChange):
    """The listing was taken off the market: it takes no more viewings or offers."""


@dataclass(frozen=True)
class ListingRelisted(ListingChange):
    """A withdrawn listing is on the market again."""


@dataclass(frozen=True)
class ListingUnderContract(ListingChange):
    """An offer on the listing was accepted: it is off the market, under contract."""
