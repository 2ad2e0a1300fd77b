"""The photos of a feed listing, from its record's Media list or from the Media resource, in order."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final
from urllib.parse import urlsplit

from core.feeds.values import (
    LINE_BREAKERS,
    LONGEST_KEY,
    BadRecord,
    as_text,
    read_whole_number,
    shown,
    squashed,
)
from core.listings.rules import MAX_PHOTOS

_LONGEST_DESCRIPTION: Final = 200


@dataclass(frozen=True)
class FeedMedia:
    """A photo of a feed listing, numbered from 1 in the order the feed gives (the first is the cover)."""

    media_key: str
    media_url: str
    order: int
    short_description: str | None


def read_media(items: Any) -> tuple[FeedMedia, ...]:
    """The photos among Media records fetched apart from their listing (the Media resource), in order."""
    return read_media_list(items, []) or ()


def read_media_list(value: Any, notes: list[str]) -> tuple[FeedMedia, ...] | None:
    """The record's photos in the feed's order, numbered from 1; None when it sent no Media list."""
    if value is None:
        return None
    if not isinstance(value, list):
        notes.append(f"Media {shown(value)} is not a list; photos left as they were")
        return None
    found: list[tuple[int | None, int, FeedMedia]] = []
    for position, item in enumerate(value, 1):
        try:
            order, photo = _photo(item, position, notes)
            if any(photo.media_key == kept.media_key for _, _, kept in found):
                raise BadRecord(f"MediaKey {shown(photo.media_key)} came before")
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
    if category is not None and (not isinstance(category, str) or squashed(category) != "photo"):
        raise BadRecord(f"MediaCategory {shown(category)} is not a photo")
    key = as_text(item.get("MediaKey"))
    key = key.strip() if key is not None else None
    if not key or len(key) > LONGEST_KEY or LINE_BREAKERS.search(key):
        raise BadRecord(f"MediaKey {shown(item.get('MediaKey'))} is not a key")
    url = item.get("MediaURL")
    if not isinstance(url, str) or not _is_web_address(url.strip()):
        raise BadRecord(f"MediaURL {shown(url)} is not an http(s) address")
    return _media_order(item.get("Order"), position, notes), FeedMedia(
        key, url.strip(), 0, _description(item.get("ShortDescription"), position, notes)
    )


def _media_order(value: Any, position: int, notes: list[str]) -> int | None:
    order = read_whole_number(value) if value is not None else None
    if value is not None and order is None:
        notes.append(f"Media item {position}: Order {shown(value)} is not a place; put after the others")
    return order


def _description(value: Any, position: int, notes: list[str]) -> str | None:
    text = as_text(value) if value is not None else None
    if text is None:
        return None
    text = " ".join(LINE_BREAKERS.sub(" ", text).split())
    if len(text) > _LONGEST_DESCRIPTION:
        notes.append(f"Media item {position}: ShortDescription cut to {_LONGEST_DESCRIPTION} characters")
    return text[:_LONGEST_DESCRIPTION].rstrip() or None


def _is_web_address(url: str) -> bool:
    if len(url) > 500 or any(char.isspace() for char in url) or LINE_BREAKERS.search(url):
        return False
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.hostname)
