"""RESO_FEEDS: feeds read from JSON with their defaults, each refusal naming the feed and field at fault."""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest

from doorstep.feed_settings import FeedRates
from doorstep.logs import RedactSecrets
from doorstep.settings import Settings, SettingsError, load_settings

ENV = {
    "DATABASE_URL": "postgresql://doorstep@db:5432/doorstep",
    "REDIS_URL": "redis://cache:6379/0",
    "PUBLIC_BASE_URL": "https://bot.example.com",
    "TELEGRAM_BOT_TOKEN": "123456789:AAHk-secretsecretsecret_0123",
    "TELEGRAM_WEBHOOK_SECRET": "s3cret-Value_1",
    "OTP_SECRET": "otp-key-0123456789abcdef",
}
LEEDS = {
    "originating_system_name": "LeedsMLS",
    "base_url": "https://api.leedsmls.example/odata/",
    "token_url": "https://auth.leedsmls.example/oauth2/token",
    "client_id": "doorstep",
    "client_secret": "leeds-client-secret-1",
}
YORK = {**LEEDS, "originating_system_name": "York MLS", "client_secret": "york-client-secret-2"}


def with_feeds(value: Any) -> Settings:
    """The settings with RESO_FEEDS set to `value` (JSON-encoded unless already a string)."""
    return load_settings({**ENV, "RESO_FEEDS": value if isinstance(value, str) else json.dumps(value)})


def refusal(value: Any) -> str:
    """The start-up error RESO_FEEDS = `value` gives."""
    with pytest.raises(SettingsError) as error:
        with_feeds(value)
    return str(error.value)


def test_a_list_of_feeds_is_read_in_order_with_every_default() -> None:
    leeds, york = with_feeds([LEEDS, YORK]).reso_feeds

    assert (leeds.originating_system_name, york.originating_system_name) == ("LeedsMLS", "York MLS")
    assert (leeds.base_url, leeds.token_url) == (
        "https://api.leedsmls.example/odata",
        "https://auth.leedsmls.example/oauth2/token",
    )
    assert (leeds.client_id, leeds.client_secret.get_secret_value()) == ("doorstep", "leeds-client-secret-1")
    assert (leeds.scope, leeds.resource, leeds.max_top, leeds.media) == (None, "Property", 200, True)
    assert leeds.rates == FeedRates(per_second=2.0, per_hour=7200, per_day=40000)
    assert (leeds.interval_minutes, leeds.reconcile_hours, leeds.run_seconds) == (15, 24, 600)
    assert (leeds.broker_phone, leeds.country, leeds.currency_code, leeds.time_zone) == (
        None,
        "GB",
        "GBP",
        "Europe/London",
    )


def test_one_feed_object_alone_is_a_list_of_one() -> None:
    [feed] = with_feeds({**LEEDS, "max_top": 10000, "country": "ie", "currency_code": "eur"}).reso_feeds
    assert (feed.originating_system_name, feed.max_top, feed.country, feed.currency_code) == (
        "LeedsMLS",
        10000,
        "IE",
        "EUR",
    )


@pytest.mark.parametrize("value", ["", "   "])
def test_an_empty_value_configures_no_feed(value: str) -> None:
    assert with_feeds(value).reso_feeds == ()


def test_no_variable_configures_no_feed() -> None:
    assert load_settings(ENV).reso_feeds == ()


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (
            "[{originating_system_name: LeedsMLS}]",
            'RESO_FEEDS must be JSON: a list of feeds such as [{"originating_system_name": "...", '
            '"base_url": ...}]',
        ),
        (
            [{key: value for key, value in LEEDS.items() if key != "client_id"}],
            "RESO_FEEDS feed 1 client_id: Field required",
        ),
        (
            [LEEDS, {key: value for key, value in YORK.items() if key != "token_url"}],
            "RESO_FEEDS feed 2 token_url: Field required",
        ),
        (
            {**LEEDS, "base_url": "api.leedsmls.example/odata"},
            "RESO_FEEDS feed 1 base_url: must be an http:// or https:// URL",
        ),
        (
            {**LEEDS, "token_url": "ftp://auth.leedsmls.example/token"},
            "RESO_FEEDS feed 1 token_url: must be an http:// or https:// URL",
        ),
        (
            [LEEDS, {**YORK, "originating_system_name": "LeedsMLS"}],
            "RESO_FEEDS each feed's originating_system_name must be given once",
        ),
        (
            {**LEEDS, "originating_system_name": "Leeds/MLS"},
            "RESO_FEEDS feed 1 originating_system_name: must be 1-100 letters, digits, spaces, dots, dashes "
            "or underscores",
        ),
        ({**LEEDS, "max_top": 0}, "RESO_FEEDS feed 1 max_top: Input should be greater than or equal to 1"),
        (
            {**LEEDS, "max_top": 10001},
            "RESO_FEEDS feed 1 max_top: Input should be less than or equal to 10000",
        ),
        (
            {**LEEDS, "rates": {"per_second": 0}},
            "RESO_FEEDS feed 1 rates per_second: Input should be greater than 0",
        ),
        (
            {**LEEDS, "rates": {"per_hour": 0, "per_day": 0}},
            "RESO_FEEDS feed 1 rates per_hour: Input should be greater than or equal to 1; "
            "feed 1 rates per_day: Input should be greater than or equal to 1",
        ),
        (
            {**LEEDS, "interval_minutes": 0},
            "RESO_FEEDS feed 1 interval_minutes: Input should be greater than 0",
        ),
        (
            {**LEEDS, "time_zone": "Europe/Leeds"},
            "RESO_FEEDS feed 1 time_zone: is not an IANA time zone such as Europe/London",
        ),
        (
            {**LEEDS, "country": "G8"},
            "RESO_FEEDS feed 1 country: must be letters only, such as GB or GBP",
        ),
        ({**LEEDS, "password": "hunter2"}, "RESO_FEEDS feed 1 password: Extra inputs are not permitted"),
        (
            {**LEEDS, "rates": {"per_minute": 60}},
            "RESO_FEEDS feed 1 rates per_minute: Extra inputs are not permitted",
        ),
        ("42", "RESO_FEEDS must be a list of feeds or one feed object, not 42"),
        ('"LeedsMLS"', 'RESO_FEEDS must be a list of feeds or one feed object, not "LeedsMLS"'),
        ([LEEDS, "York"], 'RESO_FEEDS feed 2 must be an object of the feed\'s settings, not "York"'),
    ],
)
def test_a_bad_feed_is_refused_naming_the_feed_and_the_field(value: Any, message: str) -> None:
    assert refusal(value) == message


@pytest.mark.parametrize(("max_top", "per_second"), [(1, 0.01), (10000, 100)])
def test_the_limits_themselves_are_accepted(max_top: int, per_second: float) -> None:
    [feed] = with_feeds({**LEEDS, "max_top": max_top, "rates": {"per_second": per_second}}).reso_feeds
    assert (feed.max_top, feed.rates.per_second) == (max_top, per_second)


def test_client_secrets_are_kept_out_of_the_repr_and_scrubbed_from_the_log(
    caplog: pytest.LogCaptureFixture,
) -> None:
    settings = with_feeds([LEEDS, YORK])
    assert "client-secret" not in repr(settings)
    assert {"leeds-client-secret-1", "york-client-secret-2"} <= set(settings.secrets())
    caplog.handler.addFilter(RedactSecrets(settings.secrets()))

    logging.getLogger("doorstep.test").warning(
        "token request refused for %s and %s", LEEDS["client_secret"], YORK["client_secret"]
    )

    assert caplog.records[-1].getMessage() == "token request refused for *** and ***"
