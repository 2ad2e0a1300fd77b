"""Channel-neutral shapes of what people send us and what the bot says back."""

from __future__ import annotations

import base64
import hashlib
from dataclasses import asdict, dataclass, field
from typing import Any

TOKEN_PREFIX = "c"


@dataclass(frozen=True)
class Choice:
    """One option offered to a person: a stable id the flows act on, and the label they see.

    `number` is the item number the message shows beside it ("6." for "Details 6"), where it has one;
    `answers` is "yes" or "no" for a choice that confirms or cancels, so Y/N words pick it.
    """

    id: str
    label: str
    number: int | None = None
    answers: str | None = None

    def to_json(self) -> dict[str, Any]:
        """Plain dict for the dialog state, leaving out what is unset."""
        return {key: value for key, value in asdict(self).items() if value is not None}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Choice:
        """Rebuild from the dialog state (older states hold only id and label)."""
        return cls(data["id"], data["label"], data.get("number"), data.get("answers"))


# WhatsApp shows up to this many choices as buttons or a list picker; more go as numbered lines in the text.
WHATSAPP_LIST_LIMIT = 10


def listed_as_lines(channel: str, count: int) -> bool:
    """True where the channel shows `count` choices as numbered lines rather than buttons."""
    return channel == "sms" or (channel == "whatsapp" and count > WHATSAPP_LIST_LIMIT)


# What a message may carry instead of, or beside, its text (Inbound.media_kind).
MEDIA_KINDS = ("photo", "voice", "audio", "video", "document", "sticker", "location", "contact")


@dataclass(frozen=True)
class Inbound:
    """One message or tap from a person, as every channel adapter parses it.

    Media arrive as `media_urls` (Twilio, with each one's stated type in `media_types`) or as Telegram's
    `media_ids` (the file_id of a photo, or of an image sent as a file).
    """

    channel: str
    address: str
    external_id: str
    text: str | None = None
    choice_token: str | None = None
    display_name: str | None = None
    language_code: str | None = None
    callback_id: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    media_urls: tuple[str, ...] = ()
    contact_phone: str | None = None
    media_kind: str | None = None
    media_types: tuple[str, ...] = ()
    media_ids: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        """Plain dict for the inbound log."""
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Inbound:
        """Rebuild from the inbound log (rows logged before a field existed lack it)."""
        lists = {name: tuple(data.get(name) or ()) for name in ("media_urls", "media_types", "media_ids")}
        return cls(**{**data, **lists})


@dataclass(frozen=True)
class Attachment:
    """A document sent beside a reply: `data` is its text, `url` where providers that fetch media get it."""

    filename: str
    content_type: str
    data: str
    url: str


@dataclass(frozen=True)
class Reply:
    """One message to send: rendered text, the choices under it, an optional photo and document.

    `extra` helps the channel lay the message out; `meta` is kept on the outbox row for delivery (an OTP's
    id, a WhatsApp template's variables); `request_contact` asks Telegram for the person's own number.
    """

    kind: str
    text: str
    choices: tuple[Choice, ...] = ()
    photo_url: str | None = None
    important: bool = False
    extra: dict[str, Any] = field(default_factory=dict)
    meta: dict[str, Any] = field(default_factory=dict)
    request_contact: str | None = None
    attachment: Attachment | None = None


def web_photo(photo: str | None) -> str | None:
    """The photo if it is a web address any channel can fetch; None for a Telegram file_id (Telegram only)."""
    return photo if photo is not None and photo.startswith(("https://", "http://")) else None


def choice_token(choice_id: str) -> str:
    """A short opaque token for a choice id (fits Telegram's 64-byte callback_data with room to spare)."""
    digest = hashlib.blake2b(choice_id.encode(), digest_size=8).digest()
    return TOKEN_PREFIX + base64.b32encode(digest).decode().rstrip("=").lower()
