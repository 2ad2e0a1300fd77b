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
    "OTP_SECRET": "otp-key-0123456789abcdef",
}


def test_valid_environment_is_normalised() -> None:
    settings = load_settings(GOOD)
    assert settings.database_url == "postgresql+asyncpg://doorstep@db:5432/doorstep"
    assert settings.public_base_url == "https://bot.example.com"
    assert settings.telegram_api_base_url == "https://api.telegram.org"
    assert (settings.telegram_enabled, settings.twilio_enabled) == (True, False)
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
        "OTP_SECRET is required but not set"
    )


def test_a_short_otp_secret_is_refused() -> None:
    with pytest.raises(SettingsError) as error:
        load_settings({**GOOD, "OTP_SECRET": "short"})
    assert str(error.value) == "OTP_SECRET must be at least 16 characters (for example: openssl rand -hex 32)"


BASE = {key: GOOD[key] for key in ("DATABASE_URL", "REDIS_URL", "PUBLIC_BASE_URL", "OTP_SECRET")}
TWILIO = {
    "TWILIO_ACCOUNT_SID": "AC" + "0123456789abcdef" * 2,
    "TWILIO_AUTH_TOKEN": "f" * 32,
    "TWILIO_SMS_FROM": "+44 7700 900001",
    "TWILIO_WHATSAPP_FROM": "whatsapp:+447700900002",
}


def test_at_least_one_channel_is_needed() -> None:
    with pytest.raises(SettingsError) as error:
        load_settings(BASE)
    assert str(error.value) == (
        "no channel is configured: set TELEGRAM_BOT_TOKEN and TELEGRAM_WEBHOOK_SECRET, "
        "or TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and a sender (TWILIO_SMS_FROM, TWILIO_WHATSAPP_FROM)"
    )


def test_twilio_alone_is_a_channel_and_senders_are_normalised() -> None:
    settings = load_settings(
        {**BASE, **TWILIO, "TWILIO_WHATSAPP_TEMPLATES": '{"viewing.reminder": "HX' + "a" * 32 + '"}'}
    )
    assert (settings.telegram_enabled, settings.twilio_enabled) == (False, True)
    assert (settings.twilio_sms_from, settings.twilio_whatsapp_from) == ("+447700900001", "+447700900002")
    assert settings.twilio_whatsapp_templates == {"viewing.reminder": "HX" + "a" * 32}
    assert (settings.twilio_sms_rate, settings.twilio_whatsapp_rate) == (1.0, 10.0)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"TWILIO_AUTH_TOKEN": ""},
            "TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN must be set together, "
            "with TWILIO_SMS_FROM or TWILIO_WHATSAPP_FROM or both",
        ),
        (
            {"TWILIO_SMS_FROM": "", "TWILIO_WHATSAPP_FROM": ""},
            "TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN must be "
            "set together, with TWILIO_SMS_FROM or TWILIO_WHATSAPP_FROM or both",
        ),
        (
            {"TWILIO_ACCOUNT_SID": "AC123"},
            "TWILIO_ACCOUNT_SID must be AC followed by 32 hexadecimal characters, as in the Twilio console",
        ),
        (
            {"TWILIO_SMS_FROM": "my shop"},
            "TWILIO_SMS_FROM must be a phone number in international form, such as +447700900123",
        ),
        (
            {"TWILIO_WHATSAPP_TEMPLATES": "{oops"},
            'TWILIO_WHATSAPP_TEMPLATES must be JSON such as {"viewing.reminder": "HX..."}',
        ),
        (
            {"TWILIO_WHATSAPP_TEMPLATES": '{"viewing.reminder": "nope"}'},
            "TWILIO_WHATSAPP_TEMPLATES must map message kinds to ContentSids, "
            'such as {"viewing.reminder": "HX..."}',
        ),
        ({"TWILIO_SMS_RATE": "0"}, "TWILIO_SMS_RATE must be a number of messages per second above 0"),
    ],
)
def test_twilio_settings_are_checked(changes: dict[str, str], message: str) -> None:
    with pytest.raises(SettingsError) as error:
        load_settings({**BASE, **TWILIO, **changes})
    assert str(error.value) == message


def test_telegram_token_and_secret_go_together() -> None:
    with pytest.raises(
        SettingsError, match="TELEGRAM_BOT_TOKEN and TELEGRAM_WEBHOOK_SECRET must be set together"
    ):
        load_settings({**BASE, **TWILIO, "TELEGRAM_BOT_TOKEN": GOOD["TELEGRAM_BOT_TOKEN"]})


def test_empty_values_count_as_missing() -> None:
    with pytest.raises(SettingsError, match=r"^DATABASE_URL is required but not set$"):
        load_settings({**GOOD, "DATABASE_URL": ""})


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
