"""What happens to listings, as the listings actions record it."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from core.events import Event


@dataclass(frozen=True)
class ListingChange(Event):
    """Something that happened to one listing; `by` is who did it (None: the platform, an operator, a feed),
    so the notices tell the others and not them."""

    listing_id: int
    by: int | None = field(default=None, kw_only=True)


@dataclass(frozen=True)
class ListingWithdrawn(ListingChange):
    """The listing was taken off the market: it takes no more viewings or offers."""


@dataclass(frozen=True)
class ListingRelisted(ListingChange):
    """A withdrawn listing is on the market again."""


@dataclass(frozen=True)
class ListingUnderContract(ListingChange):
    """An offer on the listing was accepted: it is off the market, under contract."""


@dataclass(frozen=True)
class ListingPublished(ListingChange):
    """A home listed in chat (or by a feed) went on the market for the first time."""


@dataclass(frozen=True)
class ListingRepriced(ListingChange):
    """The asking price changed; `old_price` and `new_price` are in the listing's currency."""

    old_price: Decimal
    new_price: Decimal


@dataclass(frozen=True)
class ListingSold(ListingChange):
    """The home is sold (Closed), at `close_price` when the seller gave it: off the market for good."""

    close_price: Decimal | None


@dataclass(frozen=True)
class ListingDetailsChanged(ListingChange):
    """The seller changed what the listing says (`fields`, by column name) or its photos ("media")."""

    fields: tuple[str, ...]


@dataclass(frozen=True)
class SellerInvited(ListingChange):
    """A broker named the listing's seller by phone; the invitation waits for their answer."""

    invitation_id: int


@dataclass(frozen=True)
class SellerInvitationAnswered(ListingChange):
    """The invited seller accepted (and now manages the listing with the broker) or declined."""

    invitation_id: int
    accepted: bool


@dataclass(frozen=True)
class SellerInvitationCancelled(ListingChange):
    """The broker took back a pending invitation, or replaced it with one to another number (`replaced`)."""

    invitation_id: int
    replaced: bool
