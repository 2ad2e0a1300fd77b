"""A listing's photos: what counts as one, keeping its bytes, and setting a listing's photos in order."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from core.events import record
from core.listings.actions import managed_listing
from core.listings.authz import Action
from core.listings.events import ListingDetailsChanged
from core.listings.model import Listing, ListingMedia, StoredMedia
from core.listings.rules import MAX_PHOTOS, ensure_editable
from core.people.model import Person

# A photo larger than this is refused: phones send a few MB; more is a video or a scan, not a listing photo.
MAX_PHOTO_BYTES = 10 * 1024 * 1024
# The image kinds every channel shows, by the bytes each file starts with.
_SIGNATURES: tuple[tuple[bytes, int, str], ...] = (
    (b"\xff\xd8\xff", 0, "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", 0, "image/png"),
    (b"WEBP", 8, "image/webp"),
)


@dataclass(frozen=True)
class Photo:
    """One photo of a listing as kept: where providers fetch it, and its Telegram file_id when it has one."""

    media_key: str
    media_url: str
    telegram_file_id: str | None = None

    def to_json(self) -> dict[str, str | None]:
        """Plain dict for a draft's photo list."""
        return {
            "media_key": self.media_key,
            "media_url": self.media_url,
            "telegram_file_id": self.telegram_file_id,
        }

    @classmethod
    def from_json(cls, data: dict[str, str | None]) -> Photo:
        """Rebuild from a draft's photo list."""
        return cls(str(data["media_key"]), str(data["media_url"]), data.get("telegram_file_id"))


def image_type(data: bytes) -> str | None:
    """The content type of a JPEG, PNG or WebP file by its first bytes; None for anything else."""
    for signature, offset, content_type in _SIGNATURES:
        if data[offset : offset + len(signature)] == signature and (offset == 0 or data[:4] == b"RIFF"):
            return content_type
    return None


def media_url(base_url: str, media_key: str) -> str:
    """Where Doorstep serves a kept photo: the public base URL's /media/<key>."""
    return f"{base_url.rstrip('/')}/media/{media_key}"


def store_photo(session: AsyncSession, data: bytes, content_type: str, now: datetime) -> StoredMedia:
    """Keep a photo's bytes under a new unguessable key (the caller has checked its size and type)."""
    stored = StoredMedia(
        media_key=secrets.token_urlsafe(18),
        content_type=content_type,
        byte_size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        data=data,
        created_at=now,
    )
    session.add(stored)
    return stored


def set_media(listing: Listing, photos: Sequence[Photo]) -> None:
    """The listing's photos, in order from 1 (the first is the cover)."""
    listing.media = [
        ListingMedia(
            media_key=photo.media_key,
            media_url=photo.media_url,
            telegram_file_id=photo.telegram_file_id,
            order=n,
        )
        for n, photo in enumerate(photos[:MAX_PHOTOS], start=1)
    ]


async def replace_photos(
    session: AsyncSession, person: Person, listing_key: str, photos: Sequence[Photo], now: datetime
) -> Listing:
    """The seller's new set of photos for a listing, in order; PhotosChangeTimestamp moves."""
    listing = ensure_editable(await managed_listing(session, person, listing_key, Action.EDIT_LISTING))
    set_media(listing, photos)
    listing.photos_change_timestamp = listing.modification_timestamp = now
    record(session, ListingDetailsChanged(listing.id, ("media",), by=person.id))
    return listing
