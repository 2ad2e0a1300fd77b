"""Settings: read once from the environment, validated into one frozen object."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import phonenumbers
from babel import Locale, UnknownLocaleError
from pydantic import BaseModel, ConfigDict, SecretStr, ValidationError, field_validator, model_validator

from doorstep.feed_settings import ResoFeed, parse_feeds

MEMORY_REDIS_URL = "memory://"
_TELEGRAM_TOKEN = re.compile(r"^\d{3,20}:[A-Za-z0-9_-]{20,}$")
_WEBHOOK_SECRET = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
_ACCOUNT_SID = re.compile(r"^AC[0-9a-fA-F]{32}$")
_CONTENT_SID = re.compile(r"^HX[0-9a-fA-F]{32}$")


class SettingsError(Exception):
    """Start-up refused: one line per missing or malformed variable, each naming it."""


class Settings(BaseModel):
    """Everything Doorstep reads from its environment; field names are the variables in lower case."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    database_url: str
    redis_url: str
    public_base_url: str
    telegram_bot_token: SecretStr | None = None
    telegram_webhook_secret: SecretStr | None = None
    telegram_api_base_url: str = "https://api.telegram.org"
    twilio_account_sid: str | None = None
    twilio_auth_token: SecretStr | None = None
    twilio_sms_from: str | None = None
    twilio_whatsapp_from: str | None = None
    twilio_api_base_url: str = "https://api.twilio.com"
    twilio_whatsapp_templates: dict[str, str] = {}
    twilio_sms_rate: float = 1.0
    twilio_whatsapp_rate: float = 10.0
    otp_secret: SecretStr
    default_locale: str = "en"
    default_timezone: str = "Europe/London"
    default_region: str = "GB"
    log_level: str = "INFO"
    reso_feeds: tuple[ResoFeed, ...] = ()

    @field_validator("database_url")
    @classmethod
    def _database_url(cls, value: str) -> str:
        return normalise_database_url(value)

    @field_validator("redis_url")
    @classmethod
    def _redis_url(cls, value: str) -> str:
        if not value.startswith(("redis://", "rediss://", "unix://", MEMORY_REDIS_URL)):
            raise ValueError(f"must be a redis:// URL, or {MEMORY_REDIS_URL} for the in-process stand-in")
        return value

    @field_validator("public_base_url", "telegram_api_base_url", "twilio_api_base_url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        if not re.match(r"^https?://[^/\s]+", value):
            raise ValueError("must be an http:// or https:// URL")
        return value.rstrip("/")

    @field_validator("telegram_bot_token")
    @classmethod
    def _telegram_token(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not _TELEGRAM_TOKEN.match(value.get_secret_value()):
            raise ValueError("is not a bot token as BotFather gives it (digits, a colon, then the secret)")
        return value

    @field_validator("telegram_webhook_secret")
    @classmethod
    def _webhook_secret(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not _WEBHOOK_SECRET.match(value.get_secret_value()):
            raise ValueError("must be 1-256 characters of A-Z, a-z, 0-9, _ and -")
        return value

    @field_validator("twilio_account_sid")
    @classmethod
    def _account_sid(cls, value: str | None) -> str | None:
        if value is not None and not _ACCOUNT_SID.match(value):
            raise ValueError("must be AC followed by 32 hexadecimal characters, as in the Twilio console")
        return value

    @field_validator("twilio_sms_from", "twilio_whatsapp_from")
    @classmethod
    def _sender(cls, value: str | None) -> str | None:
        if value is None:
            return None
        number = value.removeprefix("whatsapp:")
        try:
            parsed = phonenumbers.parse(number, None)
        except phonenumbers.NumberParseException:
            parsed = None
        if parsed is None or not phonenumbers.is_possible_number(parsed):
            raise ValueError("must be a phone number in international form, such as +447700900123")
        return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)

    @field_validator("twilio_whatsapp_templates", mode="before")
    @classmethod
    def _templates(cls, value: object) -> object:
        if isinstance(value, str):
            try:
                value = json.loads(value)
            except json.JSONDecodeError:
                raise ValueError('must be JSON such as {"viewing.reminder": "HX..."}') from None
        if not isinstance(value, dict) or not all(_CONTENT_SID.match(str(v)) for v in value.values()):
            raise ValueError('must map message kinds to ContentSids, such as {"viewing.reminder": "HX..."}')
        return value

    @field_validator("reso_feeds", mode="before")
    @classmethod
    def _feeds(cls, value: object) -> object:
        return parse_feeds(value)

    @field_validator("twilio_sms_rate", "twilio_whatsapp_rate")
    @classmethod
    def _rate(cls, value: float) -> float:
        if not 0 < value <= 1000:
            raise ValueError("must be a number of messages per second above 0")
        return value

    @model_validator(mode="after")
    def _channels(self) -> Settings:
        telegram = [self.telegram_bot_token, self.telegram_webhook_secret]
        if any(telegram) and not all(telegram):
            raise ValueError("TELEGRAM_BOT_TOKEN and TELEGRAM_WEBHOOK_SECRET must be set together")
        twilio = [self.twilio_account_sid, self.twilio_auth_token]
        senders = [self.twilio_sms_from, self.twilio_whatsapp_from]
        if (any(twilio) or any(senders)) and not (all(twilio) and any(senders)):
            raise ValueError(
                "TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN must be set together, "
                "with TWILIO_SMS_FROM or TWILIO_WHATSAPP_FROM or both"
            )
        if not self.telegram_enabled and not self.twilio_enabled:
            raise ValueError(
                "no channel is configured: set TELEGRAM_BOT_TOKEN and TELEGRAM_WEBHOOK_SECRET, or "
                "TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and a sender (TWILIO_SMS_FROM, TWILIO_WHATSAPP_FROM)"
            )
        return self

    @property
    def telegram_enabled(self) -> bool:
        """True when a Telegram bot is configured."""
        return self.telegram_bot_token is not None

    @property
    def twilio_enabled(self) -> bool:
        """True when a Twilio account is configured."""
        return self.twilio_account_sid is not None and self.twilio_auth_token is not None

    @field_validator("default_locale")
    @classmethod
    def _locale(cls, value: str) -> str:
        try:
            Locale.parse(value)
        except (ValueError, UnknownLocaleError) as exc:
            raise ValueError(f"is not a known locale ({exc})") from None
        return value

    @field_validator("otp_secret")
    @classmethod
    def _otp_secret(cls, value: SecretStr) -> SecretStr:
        if len(value.get_secret_value()) < 16:
            raise ValueError("must be at least 16 characters (for example: openssl rand -hex 32)")
        return value

    @field_validator("default_timezone")
    @classmethod
    def _timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError("is not an IANA time zone such as Europe/London") from None
        return value

    @field_validator("default_region")
    @classmethod
    def _region(cls, value: str) -> str:
        if value.upper() not in phonenumbers.SUPPORTED_REGIONS:
            raise ValueError("is not a two-letter region code such as GB")
        return value.upper()

    @property
    def uses_memory_redis(self) -> bool:
        """True when Redis is the in-process stand-in of the embedded mode."""
        return self.redis_url.startswith(MEMORY_REDIS_URL)

    def secrets(self) -> list[str]:
        """Every secret value set, so that logs can be scrubbed of them."""
        values = [
            self.telegram_bot_token,
            self.telegram_webhook_secret,
            self.twilio_auth_token,
            self.otp_secret,
        ]
        values += [feed.client_secret for feed in self.reso_feeds]
        return [v.get_secret_value() for v in values if v is not None and v.get_secret_value()]


def normalise_database_url(value: str) -> str:
    """The async-driver form of a PostgreSQL or SQLite URL; anything else is refused."""
    for prefix in ("postgres://", "postgresql://"):
        if value.startswith(prefix):
            return "postgresql+asyncpg://" + value[len(prefix) :]
    if not value.startswith(("postgresql+asyncpg://", "sqlite+aiosqlite://")):
        raise ValueError("must be a postgresql:// or sqlite+aiosqlite:/// URL")
    return value


def load_database_url(environ: Mapping[str, str]) -> str:
    """Just DATABASE_URL, for commands that need nothing else (migrate, seed-demo)."""
    try:
        return normalise_database_url(environ["DATABASE_URL"])
    except KeyError:
        raise SettingsError("DATABASE_URL is required but not set") from None
    except ValueError as exc:
        raise SettingsError(f"DATABASE_URL {exc}") from None


def load_settings(environ: Mapping[str, str]) -> Settings:
    """Validate the environment into Settings, or raise SettingsError naming every bad variable."""
    values: dict[str, Any] = {
        name: environ[name.upper()] for name in Settings.model_fields if environ.get(name.upper(), "") != ""
    }
    try:
        return Settings.model_validate(values)
    except ValidationError as exc:
        raise SettingsError(_describe(exc)) from None


def _describe(exc: ValidationError) -> str:
    lines = []
    for error in exc.errors():
        message = str(error["msg"]).removeprefix("Value error, ")
        if not error["loc"]:
            lines.append(message)
        elif error["type"] == "missing":
            lines.append(f"{str(error['loc'][0]).upper()} is required but not set")
        else:
            lines.append(f"{str(error['loc'][0]).upper()} {message}")
    return "; ".join(lines)
