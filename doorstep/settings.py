"""Settings: read once from the environment, validated into one frozen object."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import phonenumbers
from babel import Locale, UnknownLocaleError
from pydantic import BaseModel, ConfigDict, SecretStr, ValidationError, field_validator

MEMORY_REDIS_URL = "memory://"
_TELEGRAM_TOKEN = re.compile(r"^\d{3,20}:[A-Za-z0-9_-]{20,}$")
_WEBHOOK_SECRET = re.compile(r"^[A-Za-z0-9_-]{1,256}$")


class SettingsError(Exception):
    """Start-up refused: one line per missing or malformed variable, each naming it."""


class Settings(BaseModel):
    """Everything Doorstep reads from its environment; field names are the variables in lower case."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    database_url: str
    redis_url: str
    public_base_url: str
    telegram_bot_token: SecretStr
    telegram_webhook_secret: SecretStr
    telegram_api_base_url: str = "https://api.telegram.org"
    twilio_account_sid: str | None = None
    twilio_auth_token: SecretStr | None = None
    twilio_sms_from: str | None = None
    twilio_whatsapp_from: str | None = None
    twilio_api_base_url: str = "https://api.twilio.com"
    otp_secret: SecretStr | None = None
    default_locale: str = "en"
    default_timezone: str = "Europe/London"
    default_region: str = "GB"
    log_level: str = "INFO"

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
    def _telegram_token(cls, value: SecretStr) -> SecretStr:
        if not _TELEGRAM_TOKEN.match(value.get_secret_value()):
            raise ValueError("is not a bot token as BotFather gives it (digits, a colon, then the secret)")
        return value

    @field_validator("telegram_webhook_secret")
    @classmethod
    def _webhook_secret(cls, value: SecretStr) -> SecretStr:
        if not _WEBHOOK_SECRET.match(value.get_secret_value()):
            raise ValueError("must be 1-256 characters of A-Z, a-z, 0-9, _ and -")
        return value

    @field_validator("default_locale")
    @classmethod
    def _locale(cls, value: str) -> str:
        try:
            Locale.parse(value)
        except (ValueError, UnknownLocaleError) as exc:
            raise ValueError(f"is not a known locale ({exc})") from None
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
    def telegram_bot_id(self) -> int:
        """The numeric bot id, the part of the token before the colon."""
        return int(self.telegram_bot_token.get_secret_value().split(":", 1)[0])

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
        variable = str(error["loc"][0]).upper() if error["loc"] else "settings"
        if error["type"] == "missing":
            lines.append(f"{variable} is required but not set")
        else:
            message = str(error["msg"]).removeprefix("Value error, ")
            lines.append(f"{variable} {message}")
    return "; ".join(lines)
