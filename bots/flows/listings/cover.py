"""Which photo a screen shows for a listing, and how the person's channel is sent it."""

from __future__ import annotations

from collections.abc import Sequence

from core.listings.model import ListingMedia
from core.people.model import Channel


def cover_photo(media: Sequence[ListingMedia], channel: str) -> str | None:
    """The cover (first in order) as the channel takes it: its Telegram file_id there, else its URL."""
    if not media:
        return None
    cover = min(media, key=lambda photo: photo.order)
    if channel == Channel.TELEGRAM and cover.telegram_file_id:
        return cover.telegram_file_id
    return cover.media_url
