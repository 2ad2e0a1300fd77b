"""How a listing photo is sent on each channel: Telegram's own file_id where it has one, else our URL."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from core.people.model import Channel


class Kept(Protocol):
    """A kept photo: a listing's media row, or a draft's photo."""

    @property
    def media_url(self) -> str:
        """Where providers fetch it."""
        ...

    @property
    def telegram_file_id(self) -> str | None:
        """Its id on Telegram, when it came from there."""
        ...


def photo_for(channel: str, photo: Kept) -> str:
    """The photo as `channel` is sent it: a Telegram file_id is sent again without fetching it."""
    if channel == Channel.TELEGRAM and photo.telegram_file_id:
        return photo.telegram_file_id
    return photo.media_url


def cover_of(channel: str, photos: Sequence[Kept]) -> str | None:
    """The first photo (the cover) as `channel` is sent it; None without photos."""
    return photo_for(channel, photos[0]) if photos else None
