"""Pure rules for what a seller types while listing a home: each answer read, or refused with the reason."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from core.amounts import parse_amount
from core.errors import DomainError
from core.listings.rules import HIGHEST_PRICE, LOWEST_PRICE, MAX_PHOTOS
from core.listings.sizes import floor_area_m2, room_count

PROPERTY_TYPE = "Residential"
# The UK sub-types a seller picks from, by their short names, as RESO's PropertySubType holds them.
SUB_TYPES = {
    "flat": "Flat",
    "terraced": "Terraced house",
    "semi": "Semi-detached house",
    "detached": "Detached house",
    "bungalow": "Bungalow",
}
_SUB_TYPE_WORDS = {
    "flat": "flat",
    "apartment": "flat",
    "maisonette": "flat",
    "studio": "flat",
    "شقة": "flat",
    "terraced": "terraced",
    "terrace": "terraced",
    "terraced house": "terraced",
    "end of terrace": "terraced",
    "townhouse": "terraced",
    "semi": "semi",
    "semi-detached": "semi",
    "semi detached": "semi",
    "semi-detached house": "semi",
    "detached": "detached",
    "detached house": "detached",
    "فيلا": "detached",
    "bungalow": "bungalow",
}
MOST_BATHROOMS = 20


class DraftIncomplete(DomainError):
    """Publishing was asked for before the draft had everything a listing needs."""

    code = "draft_incomplete"
    message_key = "listings.form.incomplete"


class TooManyPhotos(DomainError):
    """A listing takes at most MAX_PHOTOS photos."""

    code = "too_many_photos"
    message_key = "listings.form.too_many_photos"

    @property
    def context(self) -> dict[str, Any]:
        """The limit, for the explanation."""
        return {"most": MAX_PHOTOS}


class BadAnswer(DomainError):
    """A typed answer that cannot be taken; `message_key` says which and why."""

    code = "bad_answer"

    def __init__(self, message_key: str, **context: Any) -> None:
        super().__init__(message_key)
        self.message_key = message_key
        self._context = context

    @property
    def context(self) -> dict[str, Any]:
        """What the explanation names (the limits, the number typed)."""
        return self._context


def read_sub_type(text: str) -> str | None:
    """The sub-type's short name for what was typed ("semi", "Terraced house", "شقة"); None if none."""
    return _SUB_TYPE_WORDS.get(" ".join(text.casefold().replace("-", " - ").split()).replace(" - ", "-"))


def read_bedrooms(text: str, sub_type: str | None) -> int:
    """Bedrooms as typed: a number or "studio"; a house needs at least one, and 50 is the most."""
    count = room_count(text)
    if count is None:
        raise BadAnswer("listings.form.bad_rooms")
    if count == 0 and sub_type not in (None, "flat"):
        raise BadAnswer("listings.form.house_needs_bedroom", sub_type=sub_type)
    return count


def read_bathrooms(text: str) -> int:
    """Bathrooms as typed: 1 to MOST_BATHROOMS."""
    count = room_count(text)
    if count is None or not 1 <= count <= MOST_BATHROOMS:
        raise BadAnswer("listings.form.bad_bathrooms", most=MOST_BATHROOMS)
    return count


def read_area(text: str) -> Decimal:
    """A floor area in m² from m² or sq ft as typed."""
    area = floor_area_m2(text)
    if area is None:
        raise BadAnswer("listings.form.bad_area")
    return area


def read_price(text: str) -> Decimal:
    """An asking price in pounds, typed as offers are ("285k", "£285,000"), within the listed range."""
    amount = parse_amount(text)
    if amount is None or amount.currency not in (None, "GBP"):
        raise BadAnswer("listings.form.bad_price", lowest=LOWEST_PRICE, highest=HIGHEST_PRICE)
    if not LOWEST_PRICE <= amount.value <= HIGHEST_PRICE:
        raise BadAnswer(
            "listings.form.price_out_of_range",
            amount=amount.value,
            lowest=LOWEST_PRICE,
            highest=HIGHEST_PRICE,
        )
    return amount.value
