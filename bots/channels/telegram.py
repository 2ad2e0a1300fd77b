"""Telegram through python-telegram-bot: Update parsing, inline keyboards, and sending via Bot."""

from __future__ import annotations

import logging
import warnings
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

from telegram import Bot, InlineKeyboardMarkup, InputFile, Message, ReplyKeyboardMarkup
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, InvalidToken, NetworkError, RetryAfter, TelegramError
from telegram.request import HTTPXRequest

from bots.channels.base import Outgoing, PermanentSendError, TransientSendError
from bots.channels.rates import Rate, telegram_bot_bucket, telegram_buckets
from bots.channels.telegram_payloads import media_kind, photo_file_id, validate_update
from bots.channels.text_limits import split_html, utf16_len
from bots.messages import Attachment, Choice, Inbound, Reply, choice_token, web_photo
from core.people.model import Channel

log = logging.getLogger(__name__)
CAPTION_LIMIT = 1024
TEXT_LIMIT = 4096
_UNREACHABLE_HINTS = ("chat not found", "user is deactivated", "bot was blocked", "bot can't initiate")


class TelegramAdapter:
    """One bot: parses its webhook updates and sends through PTB's Bot at the configured API base URL."""

    channel: str = Channel.TELEGRAM

    def __init__(self, token: str, api_base_url: str = "https://api.telegram.org") -> None:
        self._token = token
        self._api_base_url = api_base_url.rstrip("/")
        self.bot_id = int(token.split(":", 1)[0])
        self._bot: Bot | None = None

    def parse(self, raw: Mapping[str, Any]) -> Inbound | None:
        """An Inbound for a private message or button tap; None for anything else Telegram sends."""
        update = validate_update(dict(raw))
        external_id = f"{self.bot_id}:{update.update_id}"
        if update.callback_query is not None:
            query = update.callback_query
            chat_id = query.message.chat.id if query.message is not None else query.sender.id
            return Inbound(
                channel=self.channel,
                address=str(chat_id),
                external_id=external_id,
                choice_token=query.data,
                callback_id=query.id,
                display_name=query.sender.first_name,
                language_code=query.sender.language_code,
            )
        message = update.message
        if message is None or message.chat.type != "private":
            return None
        kind = media_kind(message)
        if message.text is None and kind is None:
            return None
        sender, contact, location = message.sender, message.contact, message.location
        # Only a contact the sender shares of themselves is their number; a forwarded card is someone else's.
        own = contact is not None and sender is not None and contact.user_id == sender.id
        photo = photo_file_id(message)
        return Inbound(
            channel=self.channel,
            address=str(message.chat.id),
            external_id=external_id,
            text=message.text if message.text is not None else message.caption,
            display_name=sender.first_name if sender else None,
            language_code=sender.language_code if sender else None,
            contact_phone=contact.phone_number if own and contact is not None else None,
            latitude=location.latitude if location else None,
            longitude=location.longitude if location else None,
            media_kind=kind,
            media_ids=(photo,) if photo is not None else (),
        )

    def webhook_answer(self, inbound: Inbound) -> dict[str, Any] | None:
        """The Bot API call to return in the webhook response: every button tap is answered at once."""
        if inbound.callback_id is None:
            return None
        return {"method": "answerCallbackQuery", "callback_query_id": inbound.callback_id}

    def render(self, address: str, reply: Reply) -> list[Outgoing]:
        """The text parts (buttons under the last), then the attachment as a document when there is one."""
        parts = self._text_parts(address, reply)
        if reply.attachment is not None:
            parts.append(document_part(int(address), reply.attachment))
        return parts

    def _text_parts(self, address: str, reply: Reply) -> list[Outgoing]:
        """sendPhoto with the text as caption, or sendMessage parts of at most 4096, buttons on the last."""
        params: dict[str, Any] = {"chat_id": int(address), "parse_mode": ParseMode.HTML}
        markup = {"reply_markup": {"inline_keyboard": keyboard(reply.choices)}} if reply.choices else {}
        if reply.request_contact:
            markup = {"reply_markup": contact_keyboard(reply.request_contact)}
        if reply.photo_url and utf16_len(reply.text) <= CAPTION_LIMIT:
            photo = {**params, **markup, "photo": reply.photo_url, "caption": reply.text}
            return [Outgoing(reply.text, {"method": "sendPhoto", "params": photo})]
        parts = split_html(reply.text, TEXT_LIMIT)
        outgoing = [
            Outgoing(part, {"method": "sendMessage", "params": {**params, "text": part}}) for part in parts
        ]
        outgoing[-1].payload["params"].update(markup)
        return outgoing

    def limits(self, address: str, segments: int | None) -> tuple[list[tuple[str, Rate]], int]:
        """Telegram's limits: 30 messages a second for the bot, 1 a second to one chat."""
        return telegram_buckets(self.bot_id, address), 1

    async def send(self, payload: Mapping[str, Any]) -> str:
        """Send a rendered request through PTB; maps Telegram errors to transient or permanent ones."""
        params = dict(payload["params"])
        markup = params.pop("reply_markup", None)
        if markup is not None:
            kind = InlineKeyboardMarkup if "inline_keyboard" in markup else ReplyKeyboardMarkup
            params["reply_markup"] = kind.de_json(markup, None)
        try:
            message = await self._send_or_caption(payload["method"], params)
        except TelegramError as exc:
            raise _classify(exc, telegram_bot_bucket(self.bot_id)) from exc
        return str(message.message_id)

    async def _send_or_caption(self, method: str, params: dict[str, Any]) -> Message:
        """Make the call; a photo sent by a file_id Telegram no longer knows (another bot's) goes as text."""
        try:
            return await self._call(method, params)
        except BadRequest as exc:
            stale = method == "sendPhoto" and web_photo(params["photo"]) is None
            if not (stale and "file identifier" in exc.message.lower()):
                raise
        log.warning("Telegram no longer knows photo %r; sending its caption alone", params["photo"])
        text = {key: value for key, value in params.items() if key not in ("photo", "caption")}
        return await self._call("sendMessage", {**text, "text": params.get("caption") or ""})

    async def _call(self, method: str, params: dict[str, Any]) -> Message:
        bot = self.bot()
        if method == "sendPhoto":
            return await bot.send_photo(**params)
        if method == "sendMessage":
            return await bot.send_message(**params)
        if method == "sendDocument":
            return await bot.send_document(**{**params, "document": upload(params["document"])})
        raise PermanentSendError(f"unsupported Telegram method {method}")

    def bot(self) -> Bot:
        """PTB's Bot for this token, made on first use (it binds to the event loop that uses it)."""
        if self._bot is None:
            request = HTTPXRequest(connection_pool_size=8, read_timeout=15, write_timeout=15)
            # One request object for both slots: PTB would otherwise build a second client (and TLS context).
            self._bot = Bot(
                self._token,
                base_url=f"{self._api_base_url}/bot",
                base_file_url=f"{self._api_base_url}/file/bot",
                request=request,
                get_updates_request=request,
            )
        return self._bot

    async def find_sent(self, payload: Mapping[str, Any], since: datetime) -> str | None:
        """Telegram can't be asked what a bot sent, so a send cut short may go twice; see the README."""
        return None

    async def aclose(self) -> None:
        """Close the HTTP client, if one was opened."""
        if self._bot is not None:
            await self._bot.shutdown()
            await self._bot.request.shutdown()
            self._bot = None


def keyboard(choices: Sequence[Choice]) -> list[list[dict[str, str]]]:
    """Inline keyboard rows: two buttons a row when labels are short, else one; data is the choice token."""
    buttons = [{"text": c.label, "callback_data": choice_token(c.id)} for c in choices]
    per_row = 2 if max(len(c.label) for c in choices) <= 18 else 1
    return [buttons[i : i + per_row] for i in range(0, len(buttons), per_row)]


def document_part(chat_id: int, attachment: Attachment) -> Outgoing:
    """A sendDocument request carrying the file itself as plain data, so the outbox can store it as JSON."""
    document = {
        "filename": attachment.filename,
        "content_type": attachment.content_type,
        "data": attachment.data,
    }
    params = {"chat_id": chat_id, "document": document}
    return Outgoing(attachment.filename, {"method": "sendDocument", "params": params})


def upload(document: Mapping[str, str]) -> InputFile:
    """The stored document as a PTB upload, with our content type rather than one guessed from its name."""
    file = InputFile(document["data"].encode("utf-8"), filename=document["filename"])
    file.mimetype = document["content_type"]
    return file


def contact_keyboard(label: str) -> dict[str, Any]:
    """A one-button reply keyboard that shares the person's own phone number when tapped."""
    return {
        "keyboard": [[{"text": label, "request_contact": True}]],
        "resize_keyboard": True,
        "one_time_keyboard": True,
    }


def _classify(exc: TelegramError, bot_bucket: str) -> Exception:
    if isinstance(exc, RetryAfter):
        return TransientSendError(str(exc), retry_after=_seconds(exc), pause=bot_bucket)
    if isinstance(exc, Forbidden):
        return PermanentSendError(exc.message, unreachable=True)
    if isinstance(exc, BadRequest):
        unreachable = any(hint in exc.message.lower() for hint in _UNREACHABLE_HINTS)
        return PermanentSendError(exc.message, unreachable=unreachable)
    if isinstance(exc, NetworkError | InvalidToken):
        return TransientSendError(f"{type(exc).__name__}: {exc.message}")
    return PermanentSendError(f"{type(exc).__name__}: {exc.message}")


def _seconds(exc: RetryAfter) -> float:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        value = exc.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)
