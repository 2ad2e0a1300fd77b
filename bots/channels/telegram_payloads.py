"""Telegram's webhook body, decoded and validated into the parts of an Update that Doorstep uses."""

from __future__ import annotations

import json
from typing import Annotated, Any

from pydantic import Field, StrictInt, StringConstraints, ValidationError

from bots.channels.base import MalformedPayload
from bots.channels.payload_types import (
    CLEAN,
    MAX_TELEGRAM_ID,
    STRICT,
    LanguageCode,
    Name,
    PayloadModel,
    ShortText,
    TelegramId,
    Text,
    reason,
)

UTF8 = frozenset({"utf-8", "utf8"})
# Telegram's ids and dates as it sends them; a date past 2106 is not one.
UnixTime = Annotated[int, Field(strict=True, ge=0, lt=2**32)]
Latitude = Annotated[float, Field(strict=True, ge=-90, le=90)]
Longitude = Annotated[float, Field(strict=True, ge=-180, le=180)]
Attachment = dict[str, Any]
# A file_id is Telegram's opaque handle of a file; it goes into ListingMedia.telegram_file_id.
FileId = Annotated[str, STRICT, StringConstraints(min_length=1, max_length=200), CLEAN]
Count = Annotated[int, Field(strict=True, ge=0, lt=2**53)]
# Checked in this order: an animation also carries a document, a venue a location.
_MEDIA_FIELDS = (
    ("photo", "photo"),
    ("sticker", "sticker"),
    ("voice", "voice"),
    ("audio", "audio"),
    ("video", "video"),
    ("video_note", "video"),
    ("animation", "video"),
    ("document", "document"),
    ("location", "location"),
    ("contact", "contact"),
)


class User(PayloadModel):
    """The sender of a message or a tap."""

    id: TelegramId
    first_name: Name
    language_code: LanguageCode | None = None


class Chat(PayloadModel):
    """Where a message was sent: only private chats are answered."""

    id: TelegramId
    type: ShortText


class Location(PayloadModel):
    """A shared point on the map."""

    latitude: Latitude
    longitude: Longitude


class Contact(PayloadModel):
    """A shared contact card: the sender's own when user_id is theirs."""

    phone_number: ShortText
    user_id: TelegramId | None = None


class PhotoSize(PayloadModel):
    """One size of a photo; Telegram sends each photo in a few sizes."""

    file_id: FileId
    width: Count = 0
    height: Count = 0
    file_size: Count | None = None


class Document(PayloadModel):
    """A file sent as such: an image sent uncompressed is one, with an image/* mime_type."""

    file_id: FileId
    mime_type: ShortText | None = None
    file_size: Count | None = None


class Message(PayloadModel):
    """A message in a chat, with at most one of the kinds of content Doorstep tells apart."""

    message_id: StrictInt
    date: UnixTime
    chat: Chat
    sender: User | None = Field(None, alias="from")
    text: Text | None = None
    caption: Text | None = None
    contact: Contact | None = None
    location: Location | None = None
    photo: list[PhotoSize] | None = Field(None, strict=True)
    sticker: Attachment | None = Field(None, strict=True)
    voice: Attachment | None = Field(None, strict=True)
    audio: Attachment | None = Field(None, strict=True)
    video: Attachment | None = Field(None, strict=True)
    video_note: Attachment | None = Field(None, strict=True)
    animation: Attachment | None = Field(None, strict=True)
    document: Document | None = None


class TappedMessage(PayloadModel):
    """The message under a tapped button; it may be too old for Telegram to send more than its chat."""

    chat: Chat


class CallbackQuery(PayloadModel):
    """A tap on an inline button."""

    id: ShortText
    sender: User = Field(alias="from")
    message: TappedMessage | None = None
    data: ShortText | None = None


class Update(PayloadModel):
    """One webhook delivery; kinds other than a message or a tap are genuine but unused."""

    update_id: Annotated[int, Field(strict=True, ge=0, le=MAX_TELEGRAM_ID)]
    message: Message | None = None
    callback_query: CallbackQuery | None = None


def decode_update(body: bytes, charset: str | None) -> dict[str, Any]:
    """The JSON object of a webhook body; raises MalformedPayload for anything Telegram would not send."""
    if charset is not None and charset.lower() not in UTF8:
        raise MalformedPayload(f"unsupported charset {charset[:40]!r}: Telegram sends UTF-8")
    try:
        raw = json.loads(body.decode("utf-8"), parse_constant=_no_constants)
    except UnicodeDecodeError:
        raise MalformedPayload("the body is not valid UTF-8") from None
    except RecursionError:
        raise MalformedPayload("the body is nested too deeply") from None
    except ValueError as exc:
        raise MalformedPayload(f"the body is not JSON: {str(exc)[:80]}") from None
    if not isinstance(raw, dict):
        raise MalformedPayload("the body is not a JSON object")
    return raw


def validate_update(raw: dict[str, Any]) -> Update:
    """The update as a validated model; raises MalformedPayload naming the first part that is wrong."""
    try:
        return Update.model_validate(raw)
    except ValidationError as exc:
        raise reason(exc) from None
    except RecursionError:
        raise MalformedPayload("the update is nested too deeply") from None


def media_kind(message: Message) -> str | None:
    """What a message carries besides text, as bots.messages.MEDIA_KINDS names it; None for plain text.

    An image sent as a file is a photo too.
    """
    for field, kind in _MEDIA_FIELDS:
        if getattr(message, field) is not None:
            return "photo" if kind == "document" and image_document(message) is not None else kind
    return None


def photo_file_id(message: Message) -> str | None:
    """The file_id of the message's photo: its largest size, or an image sent as a file."""
    if message.photo:
        # Telegram lists sizes smallest first; the area decides, then the bytes, then the position.
        ranked = sorted(
            enumerate(message.photo), key=lambda item: (_area(item[1]), item[1].file_size or 0, item[0])
        )
        return ranked[-1][1].file_id
    document = image_document(message)
    return document.file_id if document is not None and media_kind(message) == "photo" else None


def image_document(message: Message) -> Document | None:
    """The message's file when its mime_type says it is an image."""
    document = message.document
    if document is None or not (document.mime_type or "").lower().startswith("image/"):
        return None
    return document


def _area(size: PhotoSize) -> int:
    return size.width * size.height


def _no_constants(name: str) -> None:
    raise ValueError(f"{name} is not a number")
