"""The OData query text a RESO sync sends: literals, the cursor's filter and key lists."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from core.feeds.pages import Cursor

ORDER = "ModificationTimestamp,ListingKey"


def timestamp(value: datetime) -> str:
    """A DateTimeOffset literal in UTC, with the fraction only when there is one."""
    text = value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S")
    if value.microsecond:
        text += f".{value.microsecond:06d}".rstrip("0")
    return text + "Z"


def string(value: str) -> str:
    """A string literal: single quotes, a quote inside doubled."""
    return "'" + value.replace("'", "''") + "'"


def after(cursor: Cursor | None) -> str | None:
    """Records after the cursor in (ModificationTimestamp, ListingKey) order: the later ones, and those of the
    same instant with a greater key, so a page boundary inside one instant skips and repeats nothing."""
    if cursor is None:
        return None
    at = timestamp(cursor.timestamp)
    return (
        f"ModificationTimestamp ge {at} and "
        f"(ModificationTimestamp gt {at} or ListingKey gt {string(cursor.key)})"
    )


def key_after(key: str | None) -> str | None:
    """Records whose ListingKey sorts after `key` (the reconciliation pass pages through keys by key)."""
    return None if key is None else f"ListingKey gt {string(key)}"


def one_of(field: str, values: Sequence[str]) -> str:
    """`field` equal to any of `values`, as a chain of `or` that every OData server reads."""
    return " or ".join(f"{field} eq {string(value)}" for value in values)
