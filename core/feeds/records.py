"""One RESO Property record, as a feed sends it, read into the listing fields Doorstep keeps, or refused."""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from decimal import ROUND_HALF_UP, Decimal
from types import MappingProxyType
from typing import Any, Final, TypeVar
from urllib.parse import urlsplit

from core.amounts import parse_amount
from core.listings.address import postcode
from core.listings.model import StandardStatus
from core.listings.rules import MAX_PHOTOS
from core.listings.sizes import MOST_ROOMS, SQUARE_FEET, SQUARE_METRES, floor_area_m2

_T = TypeVar("_T")

_LONGEST_KEY: Final = 64
_LONGEST_REMARKS: Final = 4000
_LONGEST_DESCRIPTION: Final = 200
_CENT: Final = Decimal("0.01")
_MILLIONTH: Final = Decimal("0.000001")
_TOO_MUCH: Final = Decimal(10**12)  # a price column holds 12 digits before the point
_EPOCH: Final = datetime(1970, 1, 1, tzinfo=UTC)
_MILLISECONDS_ABOVE: Final = 1e11
_LINE_BREAKERS: Final = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
_REMARK_BREAKERS: Final = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
_PLAIN_PRICE: Final = re.compile(r"\d+(?:\.\d{1,2})?", re.ASCII)
_NUMBER: Final = re.compile(r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|[+-]?\.\d+", re.ASCII)
_WHOLE: Final = re.compile(r"\d{1,9}(?:\.0*)?", re.ASCII)
_ISO: Final = re.compile(
    r"(?P<date>\d{4}-\d{2}-\d{2})"
    r"(?:[Tt ](?P<hour>\d{2}):(?P<minute>\d{2})(?::(?P<second>\d{2})(?:\.(?P<fraction>\d{1,9}))?)?"
    r"(?P<zone>[Zz]|[+-]\d{2}(?::?\d{2})?)?)?",
    re.ASCII,
)
_MICROSOFT: Final = re.compile(r"/Date\((?P<ms>-?\d{1,15})(?:[+-]\d{4})?\)/", re.ASCII)
_TWO_LETTERS: Final = re.compile(r"[A-Z]{2}", re.ASCII)
_AREA_UNITS: Final = {
    **dict.fromkeys(("squarefeet", "squarefoot", "sqft", "ft2"), SQUARE_FEET),
    **dict.fromkeys(("squaremeters", "squaremetres", "squaremeter", "squaremetre"), SQUARE_METRES),
    **dict.fromkeys(("sqm", "m2"), SQUARE_METRES),
}


def _squashed(text: str) -> str:
    """The text in lower case without spaces, underscores or hyphens: how status and unit names compare."""
    return re.sub(r"[\s_-]", "", text).casefold()


_STATUSES: Final = {_squashed(status): status for status in StandardStatus} | {
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
class FeedMedia:
    """A photo of a feed listing, numbered from 1 in the order the feed gives (the first is the cover)."""

    media_key: str
    media_url: str
    order: int
    short_description: str | None


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


class BadRecord(ValueError):
    """A record that cannot be imported: `reason` in words, with its key and timestamp when they were read."""

    def __init__(
        self, reason: str, listing_key: str | None = None, modification_timestamp: datetime | None = None
    ) -> None:
        super().__init__(reason)
        self.reason = reason
        self.listing_key = listing_key
        self.modification_timestamp = modification_timestamp

    def __reduce__(self) -> tuple[type[BadRecord], tuple[str, str | None, datetime | None]]:
        """Pickled whole, key and timestamp too, should a job queue carry it."""
        return BadRecord, (self.reason, self.listing_key, self.modification_timestamp)


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
    media = _media(raw.get("Media"), notes)
    return FeedRecord(key, modified, False, status, fields, photos_changed, media, tuple(notes))


def read_timestamp(value: Any) -> datetime | None:
    """An aware UTC time from ISO 8601 text, a date, "/Date(ms)/" or an epoch number; None if none of them."""
    read = _timestamp(value)
    return read[0] if read else None


def _listing_key(value: Any) -> str:
    key = _as_text(value)
    if key is None or not key.strip():
        raise BadRecord("no ListingKey")
    key = key.strip()
    if len(key) > _LONGEST_KEY:
        raise BadRecord(f"ListingKey {_shown(key)} is longer than {_LONGEST_KEY} characters")
    if _LINE_BREAKERS.search(key):
        raise BadRecord(f"ListingKey {_shown(key)} holds control characters")
    return key


def _modification_timestamp(value: Any, notes: list[str]) -> datetime:
    if value is None:
        raise BadRecord("no ModificationTimestamp")
    read = _timestamp(value)
    if read is None:
        raise BadRecord(f"ModificationTimestamp {_shown(value)} is not a time")
    _note_guess(notes, "ModificationTimestamp", value, read[1])
    return read[0]


def _status(raw: Mapping[str, Any], notes: list[str]) -> StandardStatus | None:
    """The listing's status; None when the home must leave Doorstep (deleted, or not to be shown)."""
    if _is_false(raw.get("MlgCanView")):
        return None
    value = raw.get("StandardStatus")
    if value is None:
        raise BadRecord("no StandardStatus")
    name = _squashed(value) if isinstance(value, str) else None
    if name == _DELETE:
        return None
    if name == _NOT_PUBLIC:
        raise BadRecord(f"StandardStatus {_shown(value)}: the listing is not public yet")
    status = _STATUSES.get(name) if name is not None else None
    if status is None:
        raise BadRecord(f"StandardStatus {_shown(value)} is not a status Doorstep knows")
    if name == "hold":
        notes.append(f"StandardStatus {_shown(value)} read as Withdrawn")
    return status


def _is_false(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().casefold() in ("false", "0")
    return value is False or (type(value) is int and value == 0)


def _fields(raw: Mapping[str, Any], defaults: FeedDefaults, notes: list[str]) -> dict[str, Any]:
    country = _country(raw.get("Country"), defaults, notes)
    return {
        "listing_id": _optional(notes, lambda: _line(raw, "ListingId", 64)),
        **_prices(raw, defaults.currency_code, notes),
        "property_type": _property_type(raw, notes),
        "property_sub_type": _optional(notes, lambda: _line(raw, "PropertySubType", 40)),
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
        "originating_system_name": _optional(notes, lambda: _line(raw, "OriginatingSystemName", 100))
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
            raise BadRecord(f"{name} {_shown(value)} is in {amount.currency}, not {currency}")
        price = amount.value if amount is not None else None
        if price is not None and not _PLAIN_PRICE.fullmatch(value.strip()):
            notes.append(f"{name} {_shown(value)} read as {_plain(price)}")
    else:
        price = _number(value)
    pennies = price.quantize(_CENT, ROUND_HALF_UP) if price is not None and 0 < price < _TOO_MUCH else None
    if pennies is None or not 0 < pennies < _TOO_MUCH:
        raise BadRecord(f"{name} {_shown(value)} is not a price")
    if pennies != price:
        notes.append(f"{name} {_shown(value)} rounded to the penny")
    return pennies


def _property_type(raw: Mapping[str, Any], notes: list[str]) -> str:
    given = _optional(notes, lambda: _line(raw, "PropertyType", 40))
    if given is None:
        notes.append("no usable PropertyType; Residential assumed")
    return given or "Residential"


def _rooms(name: str, value: Any) -> int | None:
    if value is None:
        return None
    count = _whole_number(value)
    if count is None or count > MOST_ROOMS:
        raise BadRecord(f"{name} {_shown(value)} is not a number of rooms")
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
    number = _number(value)
    if number is None or not 0 < number < 10**9:
        raise BadRecord(f"LivingArea {_shown(value)} is not an area")
    unit = _area_unit(raw.get("LivingAreaUnits"), country, notes)
    area = floor_area_m2(f"{number:f} {'sq ft' if unit == SQUARE_FEET else 'm2'}")
    if area is None:
        raise BadRecord(f"LivingArea {_shown(value)} {unit} is not the size of a home")
    if unit == SQUARE_FEET:
        notes.append(f"LivingArea {_shown(value)} Square Feet read as {area} square metres")
    return area


def _area_unit(value: Any, country: str, notes: list[str]) -> str:
    if value is None:
        unit = SQUARE_FEET if country == "US" else SQUARE_METRES
        notes.append(f"no LivingAreaUnits; LivingArea taken as {unit}")
        return unit
    named = _AREA_UNITS.get(_squashed(value)) if isinstance(value, str) else None
    if named is None:
        raise BadRecord(f"LivingAreaUnits {_shown(value)} is not a unit Doorstep reads")
    return named


def _address(raw: Mapping[str, Any], country: str, notes: list[str]) -> dict[str, str | None]:
    number = _optional(notes, lambda: _line(raw, "StreetNumber", 20))
    street = _optional(notes, lambda: _line(raw, "StreetName", 100))
    unparsed = _optional(notes, lambda: _line(raw, "UnparsedAddress", 300))
    if unparsed is None and street is not None:
        unit = _optional(notes, lambda: _line(raw, "UnitNumber", 30))
        unparsed = ", ".join(part for part in (unit, " ".join(p for p in (number, street) if p)) if part)
        notes.append(f"UnparsedAddress built as {_shown(unparsed)}")
    city = _line(raw, "City", 100)
    if city is None:
        raise BadRecord("no City")
    subdivision = _optional(notes, lambda: _line(raw, "SubdivisionName", 100))
    if subdivision is None:
        subdivision = _optional(notes, lambda: _line(raw, "MLSAreaMajor", 100))
    return {
        "unparsed_address": unparsed,
        "street_number": number,
        "street_name": street,
        "city": city,
        "state_or_province": _optional(notes, lambda: _line(raw, "StateOrProvince", 100)),
        "subdivision_name": subdivision,
        "postal_code": _optional(notes, lambda: _postal_code(raw, country)),
    }


def _postal_code(raw: Mapping[str, Any], country: str) -> str | None:
    """The postal code in capitals; a UK one written with its one space ("ls61lf" -> "LS6 1LF")."""
    code = _line(raw, "PostalCode", 20)
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
    notes.append(f"Country {_shown(value)} is not a two-letter code; {defaults.country} assumed")
    return defaults.country


def _remarks(value: Any, notes: list[str]) -> str | None:
    """The remarks with their line breaks kept, other control characters removed, cut to 4,000 characters."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise BadRecord(f"PublicRemarks {_shown(value)} is not text")
    text = _REMARK_BREAKERS.sub("", value.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " "))
    text = text.strip()
    if len(text) > _LONGEST_REMARKS:
        notes.append(f"PublicRemarks cut from {len(text):,} to {_LONGEST_REMARKS:,} characters")
        text = text[:_LONGEST_REMARKS].rstrip()
    return text or None


def _coordinate(name: str, value: Any, limit: int) -> Decimal | None:
    if value is None:
        return None
    number = _number(value)
    if number is None or not -limit <= number <= limit:
        raise BadRecord(f"{name} {_shown(value)} is not a {name.lower()} (±{limit} degrees)")
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
    read = _timestamp(value)
    if read is None:
        notes.append(f"{name} {_shown(value)} is not a time; left out")
        return None
    _note_guess(notes, name, value, read[1])
    return read[0]


def _note_guess(notes: list[str], name: str, value: Any, guess: str | None) -> None:
    if guess is not None:
        notes.append(f"{name} {_shown(value)} {guess}")


def _timestamp(value: Any) -> tuple[datetime, str | None] | None:
    """The time, and what was assumed in reading it (no zone, a date alone); None when it is not a time."""
    try:
        if isinstance(value, bool):
            return None
        if isinstance(value, int | float):
            scale = 1000 if value > _MILLISECONDS_ABOVE else 1
            return _EPOCH + timedelta(seconds=value / scale), None
        if not isinstance(value, str):
            return None
        text = value.strip()
        microsoft = _MICROSOFT.fullmatch(text)
        if microsoft:
            return _EPOCH + timedelta(milliseconds=int(microsoft["ms"])), None
        iso = _ISO.fullmatch(text)
        return _iso_timestamp(iso) if iso else None
    except (OverflowError, ValueError):
        return None


def _iso_timestamp(match: re.Match[str]) -> tuple[datetime, str | None]:
    year, month, date = (int(part) for part in match["date"].split("-"))
    day = datetime(year, month, date)
    if match["hour"] is None:
        return day.replace(tzinfo=UTC), "is a date alone; read as midnight UTC"
    fraction = (match["fraction"] or "")[:6].ljust(6, "0")
    clock = day.replace(
        hour=int(match["hour"]),
        minute=int(match["minute"]),
        second=int(match["second"] or 0),
        microsecond=int(fraction),
    )
    zone = match["zone"]
    if zone is None:
        return clock.replace(tzinfo=UTC), "has no time zone; read as UTC"
    return clock.replace(tzinfo=_offset(zone)).astimezone(UTC), None


def _offset(zone: str) -> timezone:
    if zone in ("Z", "z"):
        return UTC
    digits = zone[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:] or 0)
    if minutes > 59:
        raise ValueError(f"no offset has {minutes} minutes")
    offset = timedelta(hours=hours, minutes=minutes)
    return timezone(-offset if zone[0] == "-" else offset)


def read_media(items: Any) -> tuple[FeedMedia, ...]:
    """The photos among Media records fetched apart from their listing (the Media resource), in order."""
    return _media(items, []) or ()


def _media(value: Any, notes: list[str]) -> tuple[FeedMedia, ...] | None:
    """The record's photos in the feed's order, numbered from 1; None when it sent no Media list."""
    if value is None:
        return None
    if not isinstance(value, list):
        notes.append(f"Media {_shown(value)} is not a list; photos left as they were")
        return None
    found: list[tuple[int | None, int, FeedMedia]] = []
    for position, item in enumerate(value, 1):
        try:
            order, photo = _photo(item, position, notes)
            if any(photo.media_key == kept.media_key for _, _, kept in found):
                raise BadRecord(f"MediaKey {_shown(photo.media_key)} came before")
        except BadRecord as skipped:
            notes.append(f"Media item {position} skipped: {skipped.reason}")
            continue
        found.append((order, position, photo))
    found.sort(key=lambda entry: (entry[0] is None, entry[0] or 0, entry[1]))
    if len(found) > MAX_PHOTOS:
        notes.append(f"{len(found)} photos; the first {MAX_PHOTOS} kept")
    return tuple(
        FeedMedia(photo.media_key, photo.media_url, number, photo.short_description)
        for number, (_, _, photo) in enumerate(found[:MAX_PHOTOS], 1)
    )


def _photo(item: Any, position: int, notes: list[str]) -> tuple[int | None, FeedMedia]:
    """One Media item's place (its Order, if it has one) and the photo; BadRecord when it is no photo."""
    if not isinstance(item, Mapping):
        raise BadRecord("not a JSON object")
    category = item.get("MediaCategory")
    if category is not None and (not isinstance(category, str) or _squashed(category) != "photo"):
        raise BadRecord(f"MediaCategory {_shown(category)} is not a photo")
    key = _as_text(item.get("MediaKey"))
    key = key.strip() if key is not None else None
    if not key or len(key) > _LONGEST_KEY or _LINE_BREAKERS.search(key):
        raise BadRecord(f"MediaKey {_shown(item.get('MediaKey'))} is not a key")
    url = item.get("MediaURL")
    if not isinstance(url, str) or not _is_web_address(url.strip()):
        raise BadRecord(f"MediaURL {_shown(url)} is not an http(s) address")
    return _media_order(item.get("Order"), position, notes), FeedMedia(
        key, url.strip(), 0, _description(item.get("ShortDescription"), position, notes)
    )


def _media_order(value: Any, position: int, notes: list[str]) -> int | None:
    order = _whole_number(value) if value is not None else None
    if value is not None and order is None:
        notes.append(f"Media item {position}: Order {_shown(value)} is not a place; put after the others")
    return order


def _description(value: Any, position: int, notes: list[str]) -> str | None:
    text = _as_text(value) if value is not None else None
    if text is None:
        return None
    text = " ".join(_LINE_BREAKERS.sub(" ", text).split())
    if len(text) > _LONGEST_DESCRIPTION:
        notes.append(f"Media item {position}: ShortDescription cut to {_LONGEST_DESCRIPTION} characters")
    return text[:_LONGEST_DESCRIPTION].rstrip() or None


def _is_web_address(url: str) -> bool:
    if len(url) > 500 or any(char.isspace() for char in url) or _LINE_BREAKERS.search(url):
        return False
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.hostname)


def _line(raw: Mapping[str, Any], name: str, longest: int) -> str | None:
    """A text field on one line: control characters out, spaces single; BadRecord when it cannot be one."""
    value = raw.get(name)
    if value is None:
        return None
    text = _as_text(value)
    if text is None:
        raise BadRecord(f"{name} {_shown(value)} is not text")
    text = " ".join(_LINE_BREAKERS.sub(" ", text).split())
    if len(text) > longest:
        raise BadRecord(f"{name} {_shown(text)} is longer than {longest} characters")
    return text or None


def _as_text(value: Any) -> str | None:
    """Text, or a whole number written out (feeds send some keys and codes as numbers); None otherwise."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return None
    if isinstance(value, int) and abs(value) < 10**20:
        return str(value)
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return None


def _number(value: Any) -> Decimal | None:
    """A decimal number given as a JSON number or as text ("1,200.5"); None otherwise."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return Decimal(value) if abs(value) < 10**20 else None
    if isinstance(value, float):
        return Decimal(repr(value)) if math.isfinite(value) else None
    if isinstance(value, str) and len(value) <= 40 and _NUMBER.fullmatch(value.strip()):
        return Decimal(value.strip().replace(",", ""))
    return None


def _whole_number(value: Any) -> int | None:
    """A count given as a whole JSON number or as text ("3", "2.0"); None for anything else."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if 0 <= value < 10**9 else None
    if isinstance(value, float):
        return int(value) if value.is_integer() and 0 <= value < 1e9 else None
    if isinstance(value, str) and _WHOLE.fullmatch(value.strip()):
        return int(value.strip().split(".")[0])
    return None


def _plain(amount: Decimal) -> str:
    """An amount as a feed would write it: 250000, 250000.5."""
    return f"{amount.normalize():f}"


def _shown(value: Any) -> str:
    """A value as a note quotes it: text quoted and cut short, JSON literals as written, containers named."""
    if isinstance(value, str):
        return repr(value if len(value) <= 60 else f"{value[:57]}...")
    if value is None or isinstance(value, bool):
        return {None: "null", True: "true", False: "false"}[value]
    if isinstance(value, int):
        return str(value) if abs(value) < 10**20 else "a very large number"
    if isinstance(value, float):
        return repr(value)
    return "a list" if isinstance(value, list) else "an object" if isinstance(value, Mapping) else "a value"
