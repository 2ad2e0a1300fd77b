"""Twilio's webhook forms (inbound SMS and WhatsApp, status callbacks) validated into what Doorstep uses."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any, Literal

from pydantic import Field, StringConstraints, ValidationError, model_validator

from bots.channels.payload_types import (
    CLEAN,
    ERROR_CODE_LENGTH,
    EXTERNAL_ID_LENGTH,
    PROVIDER_ID_LENGTH,
    STRICT,
    Blank,
    Name,
    PayloadModel,
    Text,
    at_most,
    reason,
)

# Twilio delivers at most 10 media items with one message.
MAX_MEDIA = 10
MediaCount = Annotated[str, StringConstraints(pattern=r"^(?:[0-9]|10)$")]
Lat = Annotated[Annotated[float, Field(ge=-90, le=90)] | None, Blank]
Lng = Annotated[Annotated[float, Field(ge=-180, le=180)] | None, Blank]
Digits = Annotated[str, StringConstraints(pattern=rf"^[0-9]{{1,{ERROR_CODE_LENGTH}}}$")]
ErrorDigits = Annotated[Digits | None, Blank]
Status = Literal[
    "accepted",
    "scheduled",
    "canceled",
    "queued",
    "sending",
    "sent",
    "failed",
    "delivered",
    "undelivered",
    "receiving",
    "received",
    "read",
    "partially_delivered",
]
Sid = Annotated[str, STRICT, at_most(EXTERNAL_ID_LENGTH), CLEAN]
StatusSid = Annotated[str, STRICT, StringConstraints(min_length=1, max_length=PROVIDER_ID_LENGTH), CLEAN]
Sender = Annotated[str, STRICT, at_most(80), CLEAN]
Token = Annotated[str, STRICT, at_most(256), CLEAN]
ContentType = Annotated[str, STRICT, at_most(255), CLEAN]
Url = Annotated[str, STRICT, at_most(2048), CLEAN]


class TwilioMessage(PayloadModel):
    """An inbound SMS or WhatsApp message: text, a tap, a location or media."""

    MessageSid: Annotated[Sid | None, Blank] = None
    SmsMessageSid: Annotated[Sid | None, Blank] = None
    From: Sender
    Body: Text = ""
    NumMedia: MediaCount = "0"
    media_urls: tuple[Url, ...] = ()
    media_types: tuple[ContentType, ...] = ()
    MediaContentType0: Annotated[ContentType | None, Blank] = None
    Latitude: Lat = None
    Longitude: Lng = None
    ProfileName: Annotated[Name | None, Blank] = None
    ButtonPayload: Annotated[Token | None, Blank] = None
    ListId: Annotated[Token | None, Blank] = None

    @model_validator(mode="before")
    @classmethod
    def _gather_media(cls, data: Any) -> Any:
        """Collect MediaUrl0..MediaUrl{NumMedia-1} with their MediaContentType (blank where not given);
        a NumMedia that is no count is refused by its field."""
        if not isinstance(data, Mapping):
            return data
        count = data.get("NumMedia", "0")
        listed = [n for n in range(int(count) if count in _MEDIA_COUNTS else 0) if f"MediaUrl{n}" in data]
        return {
            **data,
            "media_urls": [data[f"MediaUrl{n}"] for n in listed],
            "media_types": [data.get(f"MediaContentType{n}", "") for n in listed],
        }

    @property
    def sid(self) -> str | None:
        """The message's id: MessageSid, or the older SmsMessageSid."""
        return self.MessageSid or self.SmsMessageSid


class TwilioStatus(PayloadModel):
    """A delivery status callback for a message we sent."""

    MessageSid: StatusSid
    MessageStatus: Status
    ErrorCode: ErrorDigits = None


_MEDIA_COUNTS = frozenset(str(n) for n in range(MAX_MEDIA + 1))


def validate_message(form: Mapping[str, str]) -> TwilioMessage:
    """An inbound message form as a validated model; raises MalformedPayload naming what is wrong."""
    try:
        return TwilioMessage.model_validate(form)
    except ValidationError as exc:
        raise reason(exc) from None


def validate_status(form: Mapping[str, str]) -> TwilioStatus:
    """A status callback form as a validated model; raises MalformedPayload naming what is wrong."""
    try:
        return TwilioStatus.model_validate(form)
    except ValidationError as exc:
        raise reason(exc) from None


def media_kind(message: TwilioMessage) -> str | None:
    """What the message carries besides text: its first media item's kind, or a location."""
    if message.media_urls:
        content_type = (message.MediaContentType0 or "").lower()
        if content_type in _CONTACT_TYPES:
            return "contact"
        return _MEDIA_TYPES.get(content_type.partition("/")[0], "document")
    if message.Latitude is not None and message.Longitude is not None:
        return "location"
    return None


_MEDIA_TYPES = {"image": "photo", "audio": "voice", "video": "video"}
# WhatsApp sends a shared contact as a vCard file.
_CONTACT_TYPES = frozenset({"text/vcard", "text/x-vcard"})
