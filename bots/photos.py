"""Photos people send in chat, as every layer sees them: the bytes fetched from the channel, or why not."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from bots.messages import Inbound
from core.listings.photos import MAX_PHOTO_BYTES, image_type


@dataclass(frozen=True)
class ReceivedPhoto:
    """One photo a person sent, fetched from their channel; `telegram_file_id` to send it again there."""

    data: bytes
    content_type: str
    telegram_file_id: str | None = None


class PhotoRefused(Exception):
    """A photo could not be taken: `reason` is "too_large", "not_image" or "unreachable".

    `taken` holds the other photos of the same message that could be, in order, so none is lost.
    """

    def __init__(self, reason: str, taken: Sequence[ReceivedPhoto] = ()) -> None:
        super().__init__(reason)
        self.reason = reason
        self.taken = tuple(taken)


def taken(data: bytes, telegram_file_id: str | None = None, limit: int = MAX_PHOTO_BYTES) -> ReceivedPhoto:
    """The fetched bytes as a photo, typed by their first bytes; raises PhotoRefused when they are not one."""
    if len(data) > limit:
        raise PhotoRefused("too_large")
    content_type = image_type(data)
    if content_type is None:
        raise PhotoRefused("not_image")
    return ReceivedPhoto(data, content_type, telegram_file_id)


class PhotoSource(Protocol):
    """Fetches the photos of an inbound message from the channel it came on."""

    async def fetch(self, inbound: Inbound) -> list[ReceivedPhoto]:
        """Every photo the message carries, in order; raises PhotoRefused (keeping the rest) for one that
        cannot be taken."""
        ...


class NoPhotos:
    """A deployment with no way to fetch photos: every one is unreachable."""

    async def fetch(self, inbound: Inbound) -> list[ReceivedPhoto]:
        """Refuse, as nothing can be fetched."""
        raise PhotoRefused("unreachable")
