"""Thousands of broken but authenticated webhook bodies: never a 5xx, and a 400 writes nothing."""

from __future__ import annotations

from collections import Counter
from collections.abc import AsyncIterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from core.message_log.model import OutboxMessage
from tests.support import PUBLIC_BASE_URL, WEBHOOK_SECRET, Platform
from tests.webhook_payloads import (
    FORM_CONTENT_TYPES,
    form_bytes,
    sign_bytes,
    telegram_body,
    twilio_message_form,
    twilio_status_form,
)

EXAMPLES = 2000
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
FINGERPRINT = text(
    "SELECT (SELECT count(*) FROM inbound_messages), (SELECT count(*) FROM persons),"
    " (SELECT count(*) FROM channel_identities), (SELECT count(*) FROM outbox),"
    " (SELECT string_agg(status || ':' || coalesce(provider_status, '') || ':' || coalesce(error_code, ''),"
    " ',' ORDER BY id) FROM outbox)"
)


async def _fingerprint(platform: Platform) -> tuple[object, ...]:
    async with platform.sessions() as session:
        return tuple((await session.execute(FINGERPRINT)).one())


class Tally:
    """Response statuses of one fuzz run, and the tables as the last accepted request left them."""

    def __init__(self) -> None:
        self.statuses: Counter[int] = Counter()
        self.tables: tuple[object, ...] | None = None

    async def check(self, platform: Platform, status: int) -> None:
        """No 5xx; a refusal (400 or 403) leaves every table as it was."""
        self.statuses[status] += 1
        assert status < 500
        now = await _fingerprint(platform)
        if status in (400, 403):
            assert now == self.tables
        self.tables = now


@pytest.fixture
async def tally(platform: Platform) -> AsyncIterator[Tally]:
    """A fresh tally, starting from the tables as the platform started; its statuses are printed (-s)."""
    started = Tally()
    started.tables = await _fingerprint(platform)
    yield started
    print(f"\nwebhook fuzz: {sum(started.statuses.values())} requests, by status {dict(started.statuses)}")


@FUZZ
@given(body=telegram_body(), forged=st.integers(0, 19))
async def test_telegram_webhook_survives_junk(
    platform: Platform, tally: Tally, body: tuple[bytes, str], forged: int
) -> None:
    data, content_type = body
    secret = "x" + WEBHOOK_SECRET if forged == 0 else WEBHOOK_SECRET
    headers = {"X-Telegram-Bot-Api-Secret-Token": secret, "Content-Type": content_type}
    response = await platform.client.post("/webhooks/telegram", data=data, headers=headers)
    await tally.check(platform, response.status)


@pytest.mark.parametrize("channel", ["sms", "whatsapp"])
@FUZZ
@given(data=st.data(), content_type=st.sampled_from(FORM_CONTENT_TYPES), forged=st.integers(0, 19))
async def test_twilio_message_webhooks_survive_junk(
    platform: Platform, tally: Tally, channel: str, data: st.DataObject, content_type: str, forged: int
) -> None:
    pairs = data.draw(twilio_message_form(channel))
    await _post_form(platform, tally, f"/webhooks/twilio/{channel}", pairs, content_type, forged == 0)


@pytest.fixture
async def sent_sids(platform: Platform) -> list[str]:
    """MessageSids of replies really sent, so status reports find their rows."""
    await platform.text("sms", "hi")
    await platform.text("whatsapp", "hi")
    return [row.provider_message_id for row in await platform.rows(OutboxMessage)]


@FUZZ
@given(data=st.data(), content_type=st.sampled_from(FORM_CONTENT_TYPES), forged=st.integers(0, 19))
async def test_twilio_status_webhook_survives_junk(
    platform: Platform,
    sent_sids: list[str],
    tally: Tally,
    data: st.DataObject,
    content_type: str,
    forged: int,
) -> None:
    pairs = data.draw(twilio_status_form(sent_sids))
    await _post_form(platform, tally, "/webhooks/twilio/status", pairs, content_type, forged == 0)


async def _post_form(
    platform: Platform,
    tally: Tally,
    path: str,
    pairs: list[tuple[bytes, bytes]],
    content_type: str,
    forged: bool,
) -> None:
    signature = sign_bytes(platform.twilio_fake.auth_token, PUBLIC_BASE_URL + path, pairs)
    headers = {"X-Twilio-Signature": "x" + signature if forged else signature, "Content-Type": content_type}
    response = await platform.client.post(path, data=form_bytes(pairs), headers=headers)
    await tally.check(platform, response.status)
