"""What happens to offers, as the offers actions record it."""

from __future__ import annotations

from dataclasses import dataclass

from core.events import Event
from core.offers.model import OfferSide


@dataclass(frozen=True)
class OfferChange(Event):
    """Something that happened to one offer on one listing."""

    offer_id: int
    listing_id: int


@dataclass(frozen=True)
class OfferMade(OfferChange):
    """A buyer put an opening offer to the seller's side."""


@dataclass(frozen=True)
class OfferAccepted(OfferChange):
    """`side` agreed to the offer; the listing is under contract."""

    side: OfferSide


@dataclass(frozen=True)
class OfferRejected(OfferChange):
    """`side` turned the offer down."""

    side: OfferSide


@dataclass(frozen=True)
class OfferCountered(OfferChange):
    """`side` answered an offer with another amount: `offer_id` is the counter, a new pending offer."""

    side: OfferSide


@dataclass(frozen=True)
class OfferWithdrawn(OfferChange):
    """The offer was withdrawn: by its buyer, or by the platform (`side` SYSTEM) when two people merged."""

    side: OfferSide


@dataclass(frozen=True)
class OfferExpired(OfferChange):
    """Nobody answered the offer in time."""


@dataclass(frozen=True)
class OfferClosedWithListing(OfferChange):
    """The platform closed a live offer because its listing stopped taking offers; `why` says how."""

    why: str
