"""Photos people send on Telegram, fetched through the bot by file_id (getFile, then the file itself)."""

from __future__ import annotations

from telegram.error import BadRequest, TelegramError

from bots.channels.telegram import TelegramAdapter
from bots.photos import PhotoRefused, ReceivedPhoto, taken
from core.listings.photos import MAX_PHOTO_BYTES

TIMEOUT_SECONDS = 15.0


class TelegramFiles:
    """Downloads a file a person sent to the adapter's bot; the file_id is kept to send the photo again."""

    def __init__(self, adapter: TelegramAdapter, *, limit: int = MAX_PHOTO_BYTES) -> None:
        self._adapter = adapter
        self._limit = limit

    async def fetch(self, file_id: str) -> ReceivedPhoto:
        """The photo behind `file_id`; one Telegram says is over the limit is not downloaded."""
        try:
            file = await self._adapter.bot().get_file(file_id, read_timeout=TIMEOUT_SECONDS)
            if file.file_size is not None and file.file_size > self._limit:
                raise PhotoRefused("too_large")
            data = await file.download_as_bytearray(read_timeout=TIMEOUT_SECONDS)
        except BadRequest as exc:
            # Bots may download files of up to 20 MB; getFile refuses bigger ones.
            too_big = "file is too big" in exc.message.lower()
            raise PhotoRefused("too_large" if too_big else "unreachable") from None
        except (TelegramError, RuntimeError):
            # RuntimeError: Telegram gave no file_path to download from.
            raise PhotoRefused("unreachable") from None
        return taken(bytes(data), file_id, self._limit)
