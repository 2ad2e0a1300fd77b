"""The PhotoSource of a deployment: each inbound message's photos fetched from the channel it came on."""

from __future__ import annotations

from collections.abc import Awaitable, Iterable
from itertools import zip_longest

from bots.channels.telegram_files import TelegramFiles
from bots.channels.twilio_media import TwilioMedia
from bots.messages import Inbound
from bots.photos import PhotoRefused, ReceivedPhoto
from core.people.model import Channel

# Media kinds that are files but never photos: sending one where a photo is asked is "not an image".
_NOT_PHOTOS = frozenset({"voice", "audio", "video", "document", "sticker"})


class ChannelPhotos:
    """Telegram photos by file_id, SMS and WhatsApp media by MediaUrl; a channel not set up is unreachable."""

    def __init__(self, telegram: TelegramFiles | None = None, twilio: TwilioMedia | None = None) -> None:
        self._telegram = telegram
        self._twilio = twilio

    async def fetch(self, inbound: Inbound) -> list[ReceivedPhoto]:
        """Every photo the message carries, in order; PhotoRefused, keeping the others, if one can't be."""
        if inbound.channel == Channel.TELEGRAM:
            return await self._from_telegram(inbound)
        return await self._from_twilio(inbound)

    async def _from_telegram(self, inbound: Inbound) -> list[ReceivedPhoto]:
        if not inbound.media_ids:
            return _nothing(inbound)
        if self._telegram is None:
            raise PhotoRefused("unreachable")
        return await _each(self._telegram.fetch(file_id) for file_id in inbound.media_ids)

    async def _from_twilio(self, inbound: Inbound) -> list[ReceivedPhoto]:
        if not inbound.media_urls:
            return _nothing(inbound)
        if self._twilio is None:
            raise PhotoRefused("unreachable")
        media = zip_longest(inbound.media_urls, inbound.media_types[: len(inbound.media_urls)], fillvalue="")
        return await _each(self._twilio.fetch(url, content_type) for url, content_type in media)

    async def aclose(self) -> None:
        """Close the HTTP session opened for Twilio media (Telegram's is the adapter's own)."""
        if self._twilio is not None:
            await self._twilio.aclose()


async def _each(fetches: Iterable[Awaitable[ReceivedPhoto]]) -> list[ReceivedPhoto]:
    """Fetch one after another (a message's media fit in memory one by one), keeping what can be taken."""
    taken: list[ReceivedPhoto] = []
    reasons: list[str] = []
    for fetching in fetches:
        try:
            taken.append(await fetching)
        except PhotoRefused as refused:
            reasons.append(refused.reason)
    if reasons:
        raise PhotoRefused(reasons[0], taken)
    return taken


def _nothing(inbound: Inbound) -> list[ReceivedPhoto]:
    """No photo: a file of another kind is refused as not an image; text, a place or a card carry none."""
    if inbound.media_kind in _NOT_PHOTOS:
        raise PhotoRefused("not_image")
    return []
