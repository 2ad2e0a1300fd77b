"""Settings: every bad variable is named, URLs are normalised, secrets never reach the log."""

from __future__ import annotations

import logging

import pytest

from doorstep.logs import RedactSecrets
from doorstep.settings import SettingsError, load_database_url, load_settings

GOOD = {
    "DATABASE_URL": "postgresql://doorstep@db:5432/doorstep",
    "REDIS_URL": "redis://cache:6379/0",
    "PUBLIC_BASE_URL": "https://bot.example.com/",
    "TELEGRAM_BOT_TOKEN": "123456789:AAHk-secretsecretsecret_0123",
    "TELEGRAM_WEBHOOK_SECRET": "s3cret-Value_1",
}


def test_valid_environment_is_normalised() -> None:
    settings = load_settings(GOOD)
    assert settings.database_url == "postgresql+asyncpg://doorstep@db:5432/doorstep"
    assert settings.public_base_url == "https://bot.example.com"
    assert settings.telegram_api_base_url == "https://api.telegram.org"
    assert settings.telegram_bot_id == 123456789
    assert (settings.default_locale, settings.default_timezone, settings.default_region) == (
        "en",
        "Europe/London",
        "GB",
    )


def test_missing_variables_are_each_named() -> None:
    with pytest.raises(SettingsError) as error:
        load_settings({"REDIS_URL": "redis://cache"})
    assert str(error.value) == (
        "DATABASE_URL is required but not set; PUBLIC_BASE_URL is required but not set; "
        "TELEGRAM_BOT_TOKEN is required but not set; TELEGRAM_WEBHOOK_SECRET is required but not set"
    )


def test_empty_values_count_as_missing() -> None:
    with pytest.raises(SettingsError, match=r"^TELEGRAM_WEBHOOK_SECRET is required but not set$"):
        load_settings({**GOOD, "TELEGRAM_WEBHOOK_SECRET": ""})


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("DATABASE_URL", "mysql://x/y", "DATABASE_URL must be a postgresql:// or sqlite+aiosqlite:/// URL"),
        (
            "REDIS_URL",
            "cache:6379",
            "REDIS_URL must be a redis:// URL, or memory:// for the in-process stand-in",
        ),
        ("PUBLIC_BASE_URL", "bot.example.com", "PUBLIC_BASE_URL must be an http:// or https:// URL"),
        (
            "TELEGRAM_BOT_TOKEN",
            "not-a-token",
            "TELEGRAM_BOT_TOKEN is not a bot token as BotFather gives it (digits, a colon, then the secret)",
        ),
        (
            "TELEGRAM_WEBHOOK_SECRET",
            "has spaces!",
            "TELEGRAM_WEBHOOK_SECRET must be 1-256 characters of A-Z, a-z, 0-9, _ and -",
        ),
        (
            "DEFAULT_TIMEZONE",
            "Mars/Olympus",
            "DEFAULT_TIMEZONE is not an IANA time zone such as Europe/London",
        ),
        ("DEFAULT_REGION", "XX", "DEFAULT_REGION is not a two-letter region code such as GB"),
    ],
)
def test_malformed_values_are_named_with_what_is_expected(variable: str, value: str, message: str) -> None:
    with pytest.raises(SettingsError) as error:
        load_settings({**GOOD, variable: value})
    assert str(error.value) == message


def test_the_token_is_not_in_the_settings_repr() -> None:
    assert "secretsecret" not in repr(load_settings(GOOD))


def test_database_url_alone_for_migrate() -> None:
    assert load_database_url({"DATABASE_URL": "postgres://a@b/c"}) == "postgresql+asyncpg://a@b/c"
    with pytest.raises(SettingsError, match=r"^DATABASE_URL is required but not set$"):
        load_database_url({})


def test_log_records_are_scrubbed_of_secrets(caplog: pytest.LogCaptureFixture) -> None:
    settings = load_settings(GOOD)
    logger = logging.getLogger("doorstep.test")
    handler_filter = RedactSecrets(settings.secrets())
    caplog.handler.addFilter(handler_filter)
    logger.warning("POST https://api.telegram.org/bot%s/sendMessage failed", GOOD["TELEGRAM_BOT_TOKEN"])
    assert caplog.records[-1].getMessage() == "POST https://api.telegram.org/bot***/sendMessage failed"
