"""The PhotoSource of a deployment: each inbound message's photos fetched from the channel it came on."""

from __future__ import annotations

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
        """Every photo the message carries, in order; raises PhotoRefused at the first that can't be taken."""
        if inbound.channel == Channel.TELEGRAM:
            return await self._from_telegram(inbound)
        return await self._from_twilio(inbound)

    async def _from_telegram(self, inbound: Inbound) -> list[ReceivedPhoto]:
        if not inbound.media_ids:
            return _nothing(inbound)
        if self._telegram is None:
            raise PhotoRefused("unreachable")
        return [await self._telegram.fetch(file_id) for file_id in inbound.media_ids]

    async def _from_twilio(self, inbound: Inbound) -> list[ReceivedPhoto]:
        if not inbound.media_urls:
            return _nothing(inbound)
        if self._twilio is None:
            raise PhotoRefused("unreachable")
        media = zip_longest(inbound.media_urls, inbound.media_types[: len(inbound.media_urls)], fillvalue="")
        return [await self._twilio.fetch(url, content_type) for url, content_type in media]

    async def aclose(self) -> None:
        """Close the HTTP session opened for Twilio media (Telegram's is the adapter's own)."""
        if self._twilio is not None:
            await self._twilio.aclose()


def _nothing(inbound: Inbound) -> list[ReceivedPhoto]:
    """No photo: a file of another kind is refused as not an image; text, a place or a card carry none."""
    if inbound.media_kind in _NOT_PHOTOS:
        raise PhotoRefused("not_image")
    return []
