"""One RESO Property record, as a feed sends it, read into the listing fields Doorstep keeps, or refused."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from types import MappingProxyType
from typing import Any, Final, TypeVar

from core.amounts import parse_amount
from core.feeds.media import FeedMedia, read_media_list
from core.feeds.values import (
    LINE_BREAKERS,
    LONGEST_KEY,
    BadRecord,
    as_text,
    read_line,
    read_number,
    read_whole_number,
    shown,
    squashed,
    timestamp_and_assumption,
)
from core.listings.address import postcode
from core.listings.model import StandardStatus
from core.listings.sizes import MOST_ROOMS, SQUARE_FEET, SQUARE_METRES, floor_area_m2

_T = TypeVar("_T")

_LONGEST_REMARKS: Final = 4000
_CENT: Final = Decimal("0.01")
_MILLIONTH: Final = Decimal("0.000001")
_TOO_MUCH: Final = Decimal(10**12)  # a price column holds 12 digits before the point
_REMARK_BREAKERS: Final = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
_PLAIN_PRICE: Final = re.compile(r"\d+(?:\.\d{1,2})?", re.ASCII)
_TWO_LETTERS: Final = re.compile(r"[A-Z]{2}", re.ASCII)
_AREA_UNITS: Final = {
    **dict.fromkeys(("squarefeet", "squarefoot", "sqft", "ft2"), SQUARE_FEET),
    **dict.fromkeys(("squaremeters", "squaremetres", "squaremeter", "squaremetre"), SQUARE_METRES),
    **dict.fromkeys(("sqm", "m2"), SQUARE_METRES),
}
_STATUSES: Final = {squashed(status): status for status in StandardStatus} | {
    "cancelled": StandardStatus.CANCELED,
    "hold": StandardStatus.WITHDRAWN,
}
_DELETE: Final = "delete"
_NOT_PUBLIC: Final = "incomplete"


@dataclass(frozen=True)
class FeedDefaults:
    """What a feed's records leave out and every listing needs."""

    system: str
    country: str = "GB"
    currency_code: str = "GBP"
    time_zone: str = "Europe/London"


@dataclass(frozen=True)
class FeedRecord:
    """What the importer applies for one record: the listing's fields and photos, or that it must leave."""

    listing_key: str
    modification_timestamp: datetime
    gone: bool
    status: StandardStatus | None
    fields: Mapping[str, Any]
    photos_change_timestamp: datetime | None
    media: tuple[FeedMedia, ...] | None
    notes: tuple[str, ...]


def read_record(raw: Mapping[str, Any], defaults: FeedDefaults) -> FeedRecord:
    """The record read into listing fields, each normalisation noted; BadRecord when it cannot be imported."""
    if not isinstance(raw, Mapping):
        raise BadRecord("the record is not a JSON object")
    notes: list[str] = []
    key = _listing_key(raw.get("ListingKey"))
    try:
        modified = _modification_timestamp(raw.get("ModificationTimestamp"), notes)
    except BadRecord as refused:
        raise BadRecord(refused.reason, key) from None
    try:
        status = _status(raw, notes)
        if status is None:
            return FeedRecord(key, modified, True, None, MappingProxyType({}), None, None, tuple(notes))
        fields = MappingProxyType(_fields(raw, defaults, notes))
    except BadRecord as refused:
        raise BadRecord(refused.reason, key, modified) from None
    photos_changed = _timestamp_field(raw, "PhotosChangeTimestamp", notes)
    media = read_media_list(raw.get("Media"), notes)
    return FeedRecord(key, modified, False, status, fields, photos_changed, media, tuple(notes))


def _listing_key(value: Any) -> str:
    key = as_text(value)
    if key is None or not key.strip():
        raise BadRecord("no ListingKey")
    key = key.strip()
    if len(key) > LONGEST_KEY:
        raise BadRecord(f"ListingKey {shown(key)} is longer than {LONGEST_KEY} characters")
    if LINE_BREAKERS.search(key):
        raise BadRecord(f"ListingKey {shown(key)} holds control characters")
    return key


def _modification_timestamp(value: Any, notes: list[str]) -> datetime:
    if value is None:
        raise BadRecord("no ModificationTimestamp")
    read = timestamp_and_assumption(value)
    if read is None:
        raise BadRecord(f"ModificationTimestamp {shown(value)} is not a time")
    _note_guess(notes, "ModificationTimestamp", value, read[1])
    return read[0]


def _status(raw: Mapping[str, Any], notes: list[str]) -> StandardStatus | None:
    """The listing's status; None when the home must leave Doorstep (deleted, or not to be shown)."""
    if _is_false(raw.get("MlgCanView")):
        return None
    value = raw.get("StandardStatus")
    if value is None:
        raise BadRecord("no StandardStatus")
    name = squashed(value) if isinstance(value, str) else None
    if name == _DELETE:
        return None
    if name == _NOT_PUBLIC:
        raise BadRecord(f"StandardStatus {shown(value)}: the listing is not public yet")
    status = _STATUSES.get(name) if name is not None else None
    if status is None:
        raise BadRecord(f"StandardStatus {shown(value)} is not a status Doorstep knows")
    if name == "hold":
        notes.append(f"StandardStatus {shown(value)} read as Withdrawn")
    return status


def _is_false(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().casefold() in ("false", "0")
    return value is False or (type(value) is int and value == 0)


def _fields(raw: Mapping[str, Any], defaults: FeedDefaults, notes: list[str]) -> dict[str, Any]:
    country = _country(raw.get("Country"), defaults, notes)
    return {
        "listing_id": _optional(notes, lambda: read_line(raw, "ListingId", 64)),
        **_prices(raw, defaults.currency_code, notes),
        "property_type": _property_type(raw, notes),
        "property_sub_type": _optional(notes, lambda: read_line(raw, "PropertySubType", 40)),
        "bedrooms_total": _optional(notes, lambda: _rooms("BedroomsTotal", raw.get("BedroomsTotal"))),
        "bathrooms_total_integer": _bathrooms(raw, notes),
        **_area(raw, country, notes),
        **_address(raw, country, notes),
        "country": country,
        "public_remarks": _optional(notes, lambda: _remarks(raw.get("PublicRemarks"), notes)),
        "latitude": _optional(notes, lambda: _coordinate("Latitude", raw.get("Latitude"), 90)),
        "longitude": _optional(notes, lambda: _coordinate("Longitude", raw.get("Longitude"), 180)),
        "time_zone": defaults.time_zone,
        "currency_code": defaults.currency_code,
        "on_market_timestamp": _on_market(raw, notes),
        "originating_system_name": _optional(notes, lambda: read_line(raw, "OriginatingSystemName", 100))
        or defaults.system,
    }


def _optional(notes: list[str], read: Callable[[], _T]) -> _T | None:
    """What `read` gives; when it refuses the value, the refusal becomes a note and the field is left out."""
    try:
        return read()
    except BadRecord as unusable:
        notes.append(f"{unusable.reason}; left out")
        return None


def _prices(raw: Mapping[str, Any], currency: str, notes: list[str]) -> dict[str, Decimal | None]:
    if raw.get("ListPrice") is None:
        raise BadRecord("no ListPrice")
    return {
        "list_price": _price("ListPrice", raw, currency, notes),
        "original_list_price": _optional(notes, lambda: _price("OriginalListPrice", raw, currency, notes)),
        "close_price": _optional(notes, lambda: _price("ClosePrice", raw, currency, notes)),
    }


def _price(name: str, raw: Mapping[str, Any], currency: str, notes: list[str]) -> Decimal | None:
    """A price above nothing, to the penny, in the feed's currency."""
    value = raw.get(name)
    if value is None:
        return None
    if isinstance(value, str):
        amount = parse_amount(value)
        if amount is not None and amount.currency not in (None, currency):
            raise BadRecord(f"{name} {shown(value)} is in {amount.currency}, not {currency}")
        price = amount.value if amount is not None else None
        if price is not None and not _PLAIN_PRICE.fullmatch(value.strip()):
            notes.append(f"{name} {shown(value)} read as {_plain(price)}")
    else:
        price = read_number(value)
    pennies = price.quantize(_CENT, ROUND_HALF_UP) if price is not None and 0 < price < _TOO_MUCH else None
    if pennies is None or not 0 < pennies < _TOO_MUCH:
        raise BadRecord(f"{name} {shown(value)} is not a price")
    if pennies != price:
        notes.append(f"{name} {shown(value)} rounded to the penny")
    return pennies


def _property_type(raw: Mapping[str, Any], notes: list[str]) -> str:
    given = _optional(notes, lambda: read_line(raw, "PropertyType", 40))
    if given is None:
        notes.append("no usable PropertyType; Residential assumed")
    return given or "Residential"


def _rooms(name: str, value: Any) -> int | None:
    if value is None:
        return None
    count = read_whole_number(value)
    if count is None or count > MOST_ROOMS:
        raise BadRecord(f"{name} {shown(value)} is not a number of rooms")
    return count


def _bathrooms(raw: Mapping[str, Any], notes: list[str]) -> int | None:
    total = _optional(notes, lambda: _rooms("BathroomsTotalInteger", raw.get("BathroomsTotalInteger")))
    if total is not None:
        return total
    full = _optional(notes, lambda: _rooms("BathroomsFull", raw.get("BathroomsFull")))
    half = _optional(notes, lambda: _rooms("BathroomsHalf", raw.get("BathroomsHalf")))
    if full is None and half is None:
        return None
    total = (full or 0) + (half or 0)
    if total > MOST_ROOMS:
        notes.append(f"BathroomsFull and BathroomsHalf make {total} bathrooms, too many; left out")
        return None
    notes.append(f"BathroomsTotalInteger counted as {total} from BathroomsFull and BathroomsHalf")
    return total


def _area(raw: Mapping[str, Any], country: str, notes: list[str]) -> dict[str, Decimal | str | None]:
    area = _optional(notes, lambda: _living_area(raw, country, notes))
    return {"living_area": area, "living_area_units": "sqm" if area is not None else None}


def _living_area(raw: Mapping[str, Any], country: str, notes: list[str]) -> Decimal | None:
    """The floor area in square metres to a tenth, converted from square feet when the feed gives those."""
    value = raw.get("LivingArea")
    if value is None:
        return None
    number = read_number(value)
    if number is None or not 0 < number < 10**9:
        raise BadRecord(f"LivingArea {shown(value)} is not an area")
    unit = _area_unit(raw.get("LivingAreaUnits"), country, notes)
    area = floor_area_m2(f"{number:f} {'sq ft' if unit == SQUARE_FEET else 'm2'}")
    if area is None:
        raise BadRecord(f"LivingArea {shown(value)} {unit} is not the size of a home")
    if unit == SQUARE_FEET:
        notes.append(f"LivingArea {shown(value)} Square Feet read as {area} square metres")
    return area


def _area_unit(value: Any, country: str, notes: list[str]) -> str:
    if value is None:
        unit = SQUARE_FEET if country == "US" else SQUARE_METRES
        notes.append(f"no LivingAreaUnits; LivingArea taken as {unit}")
        return unit
    named = _AREA_UNITS.get(squashed(value)) if isinstance(value, str) else None
    if named is None:
        raise BadRecord(f"LivingAreaUnits {shown(value)} is not a unit Doorstep reads")
    return named


def _address(raw: Mapping[str, Any], country: str, notes: list[str]) -> dict[str, str | None]:
    number = _optional(notes, lambda: read_line(raw, "StreetNumber", 20))
    street = _optional(notes, lambda: read_line(raw, "StreetName", 100))
    unparsed = _optional(notes, lambda: read_line(raw, "UnparsedAddress", 300))
    if unparsed is None and street is not None:
        unit = _optional(notes, lambda: read_line(raw, "UnitNumber", 30))
        unparsed = ", ".join(part for part in (unit, " ".join(p for p in (number, street) if p)) if part)
        notes.append(f"UnparsedAddress built as {shown(unparsed)}")
    city = read_line(raw, "City", 100)
    if city is None:
        raise BadRecord("no City")
    subdivision = _optional(notes, lambda: read_line(raw, "SubdivisionName", 100))
    if subdivision is None:
        subdivision = _optional(notes, lambda: read_line(raw, "MLSAreaMajor", 100))
    return {
        "unparsed_address": unparsed,
        "street_number": number,
        "street_name": street,
        "city": city,
        "state_or_province": _optional(notes, lambda: read_line(raw, "StateOrProvince", 100)),
        "subdivision_name": subdivision,
        "postal_code": _optional(notes, lambda: _postal_code(raw, country)),
    }


def _postal_code(raw: Mapping[str, Any], country: str) -> str | None:
    """The postal code in capitals; a UK one written with its one space ("ls61lf" -> "LS6 1LF")."""
    code = read_line(raw, "PostalCode", 20)
    if code is None:
        return None
    return (postcode(code) if country == "GB" else None) or code.upper()


def _country(value: Any, defaults: FeedDefaults, notes: list[str]) -> str:
    if value is None:
        return defaults.country
    code = value.strip().upper() if isinstance(value, str) else None
    if code == "UK":
        notes.append("Country 'UK' read as GB")
        return "GB"
    if code is not None and _TWO_LETTERS.fullmatch(code):
        return code
    notes.append(f"Country {shown(value)} is not a two-letter code; {defaults.country} assumed")
    return defaults.country


def _remarks(value: Any, notes: list[str]) -> str | None:
    """The remarks with their line breaks kept, other control characters removed, cut to 4,000 characters."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise BadRecord(f"PublicRemarks {shown(value)} is not text")
    text = _REMARK_BREAKERS.sub("", value.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " "))
    text = text.strip()
    if len(text) > _LONGEST_REMARKS:
        notes.append(f"PublicRemarks cut from {len(text):,} to {_LONGEST_REMARKS:,} characters")
        text = text[:_LONGEST_REMARKS].rstrip()
    return text or None


def _coordinate(name: str, value: Any, limit: int) -> Decimal | None:
    if value is None:
        return None
    number = read_number(value)
    if number is None or not -limit <= number <= limit:
        raise BadRecord(f"{name} {shown(value)} is not a {name.lower()} (±{limit} degrees)")
    return number.quantize(_MILLIONTH, ROUND_HALF_UP)


def _on_market(raw: Mapping[str, Any], notes: list[str]) -> datetime | None:
    for name in ("OnMarketTimestamp", "OnMarketDate", "ListingContractDate"):
        moment = _timestamp_field(raw, name, notes)
        if moment is not None:
            return moment
    return None


def _timestamp_field(raw: Mapping[str, Any], name: str, notes: list[str]) -> datetime | None:
    value = raw.get(name)
    if value is None:
        return None
    read = timestamp_and_assumption(value)
    if read is None:
        notes.append(f"{name} {shown(value)} is not a time; left out")
        return None
    _note_guess(notes, name, value, read[1])
    return read[0]


def _note_guess(notes: list[str], name: str, value: Any, guess: str | None) -> None:
    if guess is not None:
        notes.append(f"{name} {shown(value)} {guess}")


def _plain(amount: Decimal) -> str:
    """An amount as a feed would write it: 250000, 250000.5."""
    return f"{amount.normalize():f}"
