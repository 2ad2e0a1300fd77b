"""The rules of offers, plain functions over plain data: amounts, who answers, when an offer is open, and
the refusals they raise."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import ROUND_CEILING, Decimal
from typing import Any

from core.amounts import parse_amount
from core.errors import DomainError
from core.listings.model import Listing
from core.messaging.masking import mask_contacts
from core.offers.model import Offer, OfferSide, OfferStatus

MAX_AMOUNT = Decimal(10) ** 12
# An amount above this share of the asking price is asked about once more before it goes ("is that right?").
CONFIRM_ABOVE_SHARE = Decimal("1.5")
# An amount above this many times the asking price is refused as a slip of the keyboard, never sent.
MOST_TIMES_ASKING = 10
MESSAGE_LIMIT = 500


class BelowMinimum(DomainError):
    """The amount is under the listing's minimum percentage of its asking price."""

    code = "below_minimum"
    message_key = "offers.below_minimum"

    def __init__(self, listing: Listing) -> None:
        super().__init__(listing.listing_key)
        self.listing = listing

    @property
    def context(self) -> dict[str, Any]:
        """The minimum amount, the percentage and the asking price, in the listing's currency."""
        return {
            "minimum": minimum_amount(self.listing),
            "percent": self.listing.minimum_offer_percent,
            "l": self.listing,
        }


class BadAmount(DomainError):
    """The amount is not a positive sum in the listing's currency that the platform can hold."""

    code = "bad_amount"
    message_key = "offers.bad_amount"

    def __init__(self, currency: str) -> None:
        super().__init__(currency)
        self.currency = currency

    @property
    def context(self) -> dict[str, Any]:
        """The currency the amount should be in."""
        return {"currency": self.currency}


class TooHigh(DomainError):
    """The amount is more than MOST_TIMES_ASKING times the asking price: a typing slip, not an offer."""

    code = "too_high"
    message_key = "offers.too_high"

    def __init__(self, listing: Listing, amount: Decimal) -> None:
        super().__init__(listing.listing_key)
        self.listing = listing
        self.amount = amount

    @property
    def context(self) -> dict[str, Any]:
        """The amount typed, the asking price and the multiple it may not pass."""
        return {"amount": self.amount, "l": self.listing, "times": MOST_TIMES_ASKING}


class SameAmount(DomainError):
    """A counter for exactly the amount on the table: accepting it is the way to agree."""

    code = "same_amount"
    message_key = "offers.same_amount"


class ActiveOfferExists(DomainError):
    """The buyer already has an offer waiting for an answer; `existing` names it."""

    code = "active_offer_exists"
    message_key = "offers.active_exists"

    def __init__(self, existing: Offer, listing: Listing) -> None:
        super().__init__(str(existing.id))
        self.existing = existing
        self.listing = listing

    @property
    def context(self) -> dict[str, Any]:
        """The offer in the way and its listing."""
        return {"o": self.existing, "l": self.listing}


class OfferClosed(DomainError):
    """The offer is past that step (answered, countered, withdrawn, expired); `status` says which."""

    code = "offer_closed"
    message_key = "errors.offer_closed"

    def __init__(self, status: str) -> None:
        super().__init__(status)
        self.status = status

    @property
    def context(self) -> dict[str, Any]:
        """What the refusal's template needs."""
        return {"status": self.status}


def minimum_amount(listing: Listing) -> Decimal:
    """The lowest offer the listing takes: its minimum percentage of the asking price, in whole units up."""
    exact = listing.list_price * listing.minimum_offer_percent / 100
    return exact.to_integral_value(rounding=ROUND_CEILING)


def share_of_asking(amount: Decimal, listing: Listing) -> Decimal:
    """The amount as a fraction of the asking price (0.947 for 94.7%)."""
    return amount / listing.list_price if listing.list_price else Decimal(0)


def check_amount(listing: Listing, amount: Decimal, *, buyer: bool) -> Decimal:
    """A positive amount with at most two decimals, at most MOST_TIMES_ASKING times the asking price;
    a buyer's must also reach the listing's minimum."""
    if amount <= 0 or amount >= MAX_AMOUNT or amount != amount.quantize(Decimal("0.01")):
        raise BadAmount(listing.currency_code)
    if amount > listing.list_price * MOST_TIMES_ASKING:
        raise TooHigh(listing, amount)
    if buyer and amount < minimum_amount(listing):
        raise BelowMinimum(listing)
    return amount.quantize(Decimal("0.01"))


def needs_confirmation(amount: Decimal, listing: Listing) -> bool:
    """True above CONFIRM_ABOVE_SHARE of the asking price: such an amount is asked about once more."""
    return amount > listing.list_price * CONFIRM_ABOVE_SHARE


def amount_from_text(listing: Listing, text: str) -> Decimal:
    """The amount someone typed for an offer on the listing; refuses nonsense and another currency."""
    parsed = parse_amount(text)
    if parsed is None or parsed.currency not in (None, listing.currency_code):
        raise BadAmount(listing.currency_code)
    return parsed.value


def message_for(offer: Offer, side: str) -> str | None:
    """The buyer's message as `side` reads it: the buyer's own words to the buyer; to the seller's side,
    phone numbers, emails and links hidden until the offer is accepted."""
    if offer.message is None or side == OfferSide.BUYER or offer.status == OfferStatus.ACCEPTED:
        return offer.message
    return mask_contacts(offer.message)


def expiry_of(listing: Listing, now: datetime) -> datetime:
    """When an offer made now on the listing stops waiting for an answer."""
    return now + timedelta(hours=listing.offer_expiry_hours)


def across(side: str) -> OfferSide:
    """The other side of the table."""
    return OfferSide.SELLER if side == OfferSide.BUYER else OfferSide.BUYER


def answering_side(offer: Offer) -> OfferSide:
    """Who may accept, reject or counter the offer: the side that did not make it."""
    return across(offer.made_by)


def is_open(offer: Offer, now: datetime) -> bool:
    """True while the offer waits for an answer: pending, and its time not over (swept or not)."""
    return offer.status == OfferStatus.PENDING and offer.expires_at > now


def check_open(offer: Offer, now: datetime) -> None:
    """Refuse acting on an offer that is no longer pending, or whose time ran out before the sweep saw it."""
    if not is_open(offer, now):
        raise OfferClosed(offer.status if offer.status != OfferStatus.PENDING else OfferStatus.EXPIRED)
