"""Sends hold their row by a short lease: a dead sender's rows return in seconds, a live one keeps them.

A row taken back from a dead sender is in doubt: Twilio is asked whether it has the message already, so
it is not sent twice; Telegram can't be asked, so the message goes again (the README says so).
"""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from bots.outbound.delivery import LEASE_RENEW_SECONDS, Courier
from core.message_log import outbox
from core.message_log.model import OutboxMessage
from tests.fakes.telegram import FakeTelegram
from tests.support import PHONE, Platform


async def _claim_first(platform: Platform) -> OutboxMessage:
    """Claim the oldest pending row as a sender would, and leave it there, as a sender that died."""
    [row, *_] = await platform.rows(OutboxMessage, OutboxMessage.status == "pending")
    async with platform.sessions() as session, session.begin():
        claimed = await outbox.claim(session, row.id, platform.clock.now())
    assert claimed is not None
    return claimed


async def _release(platform: Platform) -> list[list[int]]:
    async with platform.sessions() as session, session.begin():
        return await outbox.release_stale(session, platform.clock.now())


@pytest.mark.parametrize("backend", ["postgresql", "sqlite"])
async def test_a_lease_returns_the_row_just_after_it_runs_out_and_not_before(platform: Platform) -> None:
    await platform.say("/start")
    claimed = await _claim_first(platform)
    assert claimed.lease_until == platform.clock.now() + outbox.LEASE
    assert (claimed.status, claimed.attempts, claimed.in_doubt) == ("sending", 1, False)

    platform.clock.advance(seconds=outbox.LEASE.total_seconds())
    assert await _release(platform) == [], "released at the very end of its lease"
    platform.clock.advance(microseconds=1)
    assert await _release(platform) == [[claimed.id]]

    [row] = await platform.rows(OutboxMessage)
    assert (row.status, row.in_doubt, row.lease_until) == ("pending", True, None)
    assert row.next_attempt_at == platform.clock.now()
    assert row.last_error == "released after the sender stopped mid-delivery"


@pytest.mark.parametrize("backend", ["postgresql", "sqlite"])
async def test_the_sweep_hands_released_rows_straight_to_delivery(platform: Platform) -> None:
    await platform.say("/start")
    await _claim_first(platform)
    platform.clock.advance(seconds=21)
    assert (await platform.sweep())["released"] == 1
    await platform.run_jobs()
    [row] = await platform.rows(OutboxMessage)
    assert (row.status, row.attempts, row.in_doubt) == ("sent", 2, True)
    assert len(platform.telegram.sent("sendMessage")) == 1


async def test_a_live_sender_renews_its_lease_so_a_slow_send_is_never_taken_from_it(
    platform: Platform, fake_telegram: FakeTelegram
) -> None:
    await platform.say("/start")
    [row] = await platform.rows(OutboxMessage)
    adapters = platform.runtime.adapters()
    courier = Courier(platform.sessions, platform.clock, adapters, lease_renew_seconds=0.05)
    fake_telegram.delay = 0.6
    sending = asyncio.create_task(courier.deliver_one(row.id))
    for _ in range(200):
        if fake_telegram.in_flight:
            break
        await asyncio.sleep(0.01)
    platform.clock.advance(seconds=60)
    await asyncio.sleep(0.3)
    assert await _release(platform) == [], "a live sender's row was taken back"
    assert (await sending).sent
    await adapters["telegram"].aclose()
    [row] = await platform.rows(OutboxMessage)
    assert (row.status, row.in_doubt) == ("sent", False)
    assert len(platform.telegram.sent("sendMessage")) == 1


async def _cut_short_after_twilio_took_it(platform: Platform, channel: str, text: str) -> tuple[int, str]:
    """A reply whose sender reached Twilio and died before recording it; its row id and MessageSid."""
    await platform.post_twilio(f"/webhooks/twilio/{channel}", platform.twilio_form(channel, text))
    claimed = await _claim_first(platform)
    adapters = platform.runtime.adapters()
    sid = await adapters[channel].send(dict(claimed.payload))
    await adapters[channel].aclose()
    return claimed.id, sid


async def test_twilio_is_asked_first_so_an_sms_it_took_before_the_sender_died_is_not_sent_again(
    platform: Platform,
) -> None:
    channel = "sms"
    await platform.returning(channel)
    await platform.text(channel, "menu")
    platform.twilio.clear()
    row_id, sid = await _cut_short_after_twilio_took_it(platform, channel, "help")
    platform.clock.advance(seconds=21)
    assert (await platform.sweep())["released"] == 1
    await platform.run_jobs()
    assert len(platform.twilio.messages()) == 1, "sent twice"
    [row] = await platform.rows(OutboxMessage, OutboxMessage.id == row_id)
    assert (row.status, row.provider_message_id, row.in_doubt, row.attempts) == ("sent", sid, True, 2)


async def test_a_whatsapp_button_message_cut_short_goes_again_as_the_readme_warns(platform: Platform) -> None:
    await platform.returning("whatsapp")
    await platform.text("whatsapp", "menu")
    platform.twilio.clear()
    row_id, sid = await _cut_short_after_twilio_took_it(platform, "whatsapp", "menu")
    platform.clock.advance(seconds=21)
    await platform.sweep()
    await platform.run_jobs()
    first, again = platform.twilio.messages()
    assert first.params["ContentSid"] == again.params["ContentSid"]
    [row] = await platform.rows(OutboxMessage, OutboxMessage.id == row_id)
    assert (row.status, row.in_doubt) == ("sent", True)
    assert row.provider_message_id != sid


async def test_a_message_twilio_never_got_is_sent_once_when_its_row_returns(platform: Platform) -> None:
    await platform.returning("sms")
    platform.twilio.clear()
    await platform.post_twilio("/webhooks/twilio/sms", platform.twilio_form("sms", "menu"))
    await _claim_first(platform)
    platform.clock.advance(seconds=21)
    assert (await platform.sweep())["released"] == 1
    await platform.run_jobs()
    [message] = platform.twilio.messages(to=PHONE)
    assert message.params["Body"].startswith("What would you like to do?")
    [row] = await platform.rows(OutboxMessage, OutboxMessage.in_doubt)
    assert row.status == "sent"


async def test_an_older_identical_text_sent_before_the_row_was_written_is_not_taken_for_it(
    platform: Platform,
) -> None:
    platform.twilio.now = platform.clock.now
    await platform.returning("sms")
    await platform.text("sms", "menu")
    platform.clock.advance(minutes=10)
    await platform.post_twilio("/webhooks/twilio/sms", platform.twilio_form("sms", "menu"))
    [row] = await platform.rows(OutboxMessage, OutboxMessage.status == "pending")
    await _claim_first(platform)
    platform.clock.advance(seconds=21)
    await platform.sweep()
    await platform.run_jobs()
    menus = [body for body in platform.texts_to() if body.startswith("What would you like to do?")]
    assert len(menus) == 2
    [row] = await platform.rows(OutboxMessage, OutboxMessage.id == row.id)
    assert row.status == "sent"


def test_the_lease_is_renewed_well_before_it_runs_out() -> None:
    assert LEASE_RENEW_SECONDS * 3 < outbox.LEASE.total_seconds()
    assert outbox.LEASE <= timedelta(seconds=30)
