"""Field types shared by the provider payload models: clean text, bounded ids, and readable refusals."""

from __future__ import annotations

from typing import Annotated

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
)

from bots.channels.base import MalformedPayload
from core.message_log.model import InboundMessage, OutboxMessage
from core.people.model import ChannelIdentity


def _width(column: object) -> int:
    return int(column.type.length)  # type: ignore[attr-defined]


# The columns what a payload carries ends up in.
NAME_LENGTH = _width(ChannelIdentity.__table__.c.display_name)
LANGUAGE_CODE_LENGTH = _width(ChannelIdentity.__table__.c.language_code)
EXTERNAL_ID_LENGTH = _width(InboundMessage.__table__.c.external_id)
PROVIDER_ID_LENGTH = _width(OutboxMessage.__table__.c.provider_message_id)
ERROR_CODE_LENGTH = _width(OutboxMessage.__table__.c.error_code)

# Telegram's ids have at most 52 significant bits; anything past 2**53 is not from Telegram.
MAX_TELEGRAM_ID = 2**53
# The longest text either provider delivers in one message (Telegram's 4096, WhatsApp's 4096).
MAX_TEXT_LENGTH = 4096


def _clean(value: str) -> str:
    """Refuse text a database column cannot hold: NUL characters and lone UTF-16 surrogates."""
    if "\x00" in value:
        raise ValueError("contains a NUL character")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("contains a lone surrogate") from None
    return value


def _blank_is_none(value: object) -> object:
    """Twilio posts fields it has no value for as empty strings."""
    return None if value == "" else value


TelegramId = Annotated[int, Field(strict=True, ge=-MAX_TELEGRAM_ID, le=MAX_TELEGRAM_ID)]
Blank = BeforeValidator(_blank_is_none)


STRICT = Field(strict=True)
CLEAN = AfterValidator(_clean)


def at_most(limit: int) -> StringConstraints:
    """The length a text may have: as wide as the column it goes into, or what the provider allows."""
    return StringConstraints(max_length=limit)


Text = Annotated[str, STRICT, at_most(MAX_TEXT_LENGTH), CLEAN]
Name = Annotated[str, STRICT, at_most(NAME_LENGTH), CLEAN]
LanguageCode = Annotated[str, STRICT, at_most(LANGUAGE_CODE_LENGTH), CLEAN]
# Ids and tokens: a callback's id and data (Telegram allows 64 bytes), a phone number, a chat type.
ShortText = Annotated[str, STRICT, at_most(64), CLEAN]


class PayloadModel(BaseModel):
    """A provider payload as far as we use it: other fields are ignored, nothing non-finite passes."""

    model_config = ConfigDict(extra="ignore", frozen=True, allow_inf_nan=False)


def reason(error: ValidationError) -> MalformedPayload:
    """The first thing wrong with a payload, as a 400 says it: "message.chat: Field required"."""
    first = error.errors(include_url=False)[0]
    where = ".".join(str(part) for part in first["loc"]) or "body"
    return MalformedPayload(f"{where}: {first['msg'].removeprefix('Value error, ')}")
