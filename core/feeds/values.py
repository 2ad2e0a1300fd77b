"""The readers every field of a feed record goes through: one-line text, numbers, times, and quoted values."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any, Final

LONGEST_KEY: Final = 64
LINE_BREAKERS: Final = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
_EPOCH: Final = datetime(1970, 1, 1, tzinfo=UTC)
_MILLISECONDS_ABOVE: Final = 1e11
_NUMBER: Final = re.compile(r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|[+-]?\.\d+", re.ASCII)
_WHOLE: Final = re.compile(r"\d{1,9}(?:\.0*)?", re.ASCII)
_ISO: Final = re.compile(
    r"(?P<date>\d{4}-\d{2}-\d{2})"
    r"(?:[Tt ](?P<hour>\d{2}):(?P<minute>\d{2})(?::(?P<second>\d{2})(?:\.(?P<fraction>\d{1,9}))?)?"
    r"(?P<zone>[Zz]|[+-]\d{2}(?::?\d{2})?)?)?",
    re.ASCII,
)
_MICROSOFT: Final = re.compile(r"/Date\((?P<ms>-?\d{1,15})(?:[+-]\d{4})?\)/", re.ASCII)


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


def squashed(text: str) -> str:
    """The text in lower case without spaces, underscores or hyphens: how status and unit names compare."""
    return re.sub(r"[\s_-]", "", text).casefold()


def read_timestamp(value: Any) -> datetime | None:
    """An aware UTC time from ISO 8601 text, a date, "/Date(ms)/" or an epoch number; None if none of them."""
    read = timestamp_and_assumption(value)
    return read[0] if read else None


def timestamp_and_assumption(value: Any) -> tuple[datetime, str | None] | None:
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


def read_line(raw: Mapping[str, Any], name: str, longest: int) -> str | None:
    """A text field on one line: control characters out, spaces single; BadRecord when it cannot be one."""
    value = raw.get(name)
    if value is None:
        return None
    text = as_text(value)
    if text is None:
        raise BadRecord(f"{name} {shown(value)} is not text")
    text = " ".join(LINE_BREAKERS.sub(" ", text).split())
    if len(text) > longest:
        raise BadRecord(f"{name} {shown(text)} is longer than {longest} characters")
    return text or None


def as_text(value: Any) -> str | None:
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


def read_number(value: Any) -> Decimal | None:
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


def read_whole_number(value: Any) -> int | None:
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


def shown(value: Any) -> str:
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
