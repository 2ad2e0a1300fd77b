"""Nothing is lost: crashes, provider failures and a Redis outage only delay replies, never drop them."""

from __future__ import annotations

import asyncio

import pytest

from bots.flows.searches import search
from bots.outbound.delivery import Courier
from core.message_log.model import InboundMessage, OutboxMessage
from core.message_log.retry import INBOUND_MAX_ATTEMPTS
from core.people.model import ChannelIdentity
from tests.conftest import PlatformStarter, unreachable_redis
from tests.support import Platform


def crash_search(monkeypatch: pytest.MonkeyPatch, times: int) -> list[int]:
    """Make the search step raise `times` times, as a bug or a lost connection would."""
    real, calls = search.search_active, []

    async def flaky(*args: object, **kwargs: object) -> object:
        calls.append(1)
        if len(calls) <= times:
            raise ConnectionResetError("connection lost mid-step")
        return await real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(search, "search_active", flaky)
    return calls


async def test_a_crash_mid_step_leaves_the_message_pending_and_the_sweep_answers_it(
    platform: Platform, monkeypatch: pytest.MonkeyPatch
) -> None:
    await platform.returning()
    await platform.converse("/start")
    await platform.converse(tap="menu:find")
    crash_search(monkeypatch, times=1)
    assert await platform.converse("Leeds") == []
    row = (await platform.rows(InboundMessage))[-1]
    assert (row.status, row.attempts) == ("pending", 1)
    assert row.last_error == "ConnectionResetError: connection lost mid-step"
    assert len(await platform.rows(OutboxMessage)) == 2

    platform.clock.advance(seconds=15)
    assert await platform.sweep() == {
        "released": 0,
        "people": 1,
        "batches": 0,
        "reminders": 0,
        "nudges": 0,
        "lapses": 0,
        "expiries": 0,
    }
    await platform.run_jobs()
    last = platform.telegram.sent("sendMessage")[-1]
    assert last.params["text"].startswith("<b>Homes for sale in Leeds</b> (1-5 of 6):")
    row = (await platform.rows(InboundMessage))[-1]
    assert (row.status, row.attempts, row.last_error) == ("processed", 1, None)


async def test_a_message_that_keeps_failing_is_given_up_with_an_apology(
    platform: Platform, monkeypatch: pytest.MonkeyPatch
) -> None:
    await platform.returning()
    await platform.converse("/start")
    await platform.converse(tap="menu:find")
    crash_search(monkeypatch, times=100)
    await platform.converse("Leeds")
    for _ in range(INBOUND_MAX_ATTEMPTS - 1):
        platform.clock.advance(minutes=20)
        await platform.sweep()
    await platform.run_jobs()
    row = (await platform.rows(InboundMessage))[-1]
    assert (row.status, row.attempts) == ("failed", INBOUND_MAX_ATTEMPTS)
    assert platform.telegram.sent("sendMessage")[-1].params["text"] == (
        "Sorry, something went wrong on our side and I could not finish that. "
        "Please try again in a moment, or type menu."
    )
    [reply] = await platform.converse("menu")
    assert reply.params["text"] == "What would you like to do?"


async def test_a_delivery_that_fails_twice_then_succeeds_is_sent_exactly_once(platform: Platform) -> None:
    platform.telegram.fail_next(2, status=502, method="sendMessage")
    await platform.say("/start")
    await platform.run_jobs()
    [row] = await platform.rows(OutboxMessage)
    assert (row.status, row.attempts, row.last_error) == ("pending", 1, "NetworkError: Bad Gateway")
    assert (row.next_attempt_at - platform.clock.now()).total_seconds() == 2

    await platform.run_jobs()
    assert len(platform.telegram.calls) == 1, "not due yet: nothing is sent early"
    platform.clock.advance(seconds=2)
    await platform.run_jobs()
    platform.clock.advance(seconds=4)
    await platform.run_jobs()
    platform.clock.advance(minutes=5)
    await platform.sweep()
    await platform.run_jobs()
    await platform.run_jobs()

    assert [c.failed_status for c in platform.telegram.calls] == [502, 502, None]
    [row] = await platform.rows(OutboxMessage)
    assert (row.status, row.attempts, row.last_error) == ("sent", 3, None)
    assert row.provider_message_id == "1"


async def test_flood_control_waits_as_long_as_telegram_asks(platform: Platform) -> None:
    platform.telegram.fail_next(1, status=429, retry_after=30, method="sendMessage")
    await platform.say("/start")
    await platform.run_jobs()
    [row] = await platform.rows(OutboxMessage)
    assert (row.next_attempt_at - platform.clock.now()).total_seconds() == 30
    platform.clock.advance(seconds=29)
    await platform.run_jobs()
    assert len(platform.telegram.sent("sendMessage")) == 0
    platform.clock.advance(seconds=1)
    await platform.run_jobs()
    assert len(platform.telegram.sent("sendMessage")) == 1


async def test_a_blocked_bot_marks_the_chat_unreachable_until_the_person_writes_again(
    platform: Platform,
) -> None:
    await platform.returning()
    platform.telegram.block(5512347788)
    await platform.converse("/start")
    [row] = await platform.rows(OutboxMessage)
    assert (row.status, row.last_error) == ("undeliverable", "Forbidden: bot was blocked by the user")
    [identity] = await platform.rows(ChannelIdentity)
    assert identity.unreachable_reason == "Forbidden: bot was blocked by the user"
    assert identity.unreachable_at == platform.clock.now()

    platform.telegram.clear()
    [reply] = await platform.converse("menu")
    assert reply.params["text"] == "What would you like to do?"
    [identity] = await platform.rows(ChannelIdentity)
    assert identity.unreachable_at is None


async def test_redis_down_at_hand_over_delays_delivery_until_the_sweep(
    start_platform: PlatformStarter,
) -> None:
    unreachable = unreachable_redis()
    async with start_platform(web_redis=unreachable) as platform:
        await platform.returning()
        await platform.say("/start")
        await platform.run_jobs()
        [row] = await platform.rows(OutboxMessage)
        assert row.status == "pending"
        assert platform.telegram.calls == []

        platform.clock.advance(seconds=11)
        assert await platform.sweep() == {
            "released": 0,
            "people": 0,
            "batches": 1,
            "reminders": 0,
            "nudges": 0,
            "lapses": 0,
            "expiries": 0,
        }
        await platform.run_jobs()
        [row] = await platform.rows(OutboxMessage)
        assert row.status == "sent"
        assert platform.telegram.sent("sendMessage")[0].params["text"].startswith("Hi Amira!")


async def test_a_worker_that_died_mid_send_is_recovered_by_the_sweep(platform: Platform) -> None:
    from core.message_log import outbox

    platform.telegram.fail_next(1, status=500)
    await platform.say("/start")
    async with platform.sessions() as session, session.begin():
        [row] = await platform.rows(OutboxMessage)
        assert await outbox.claim(session, row.id, platform.clock.now()) is not None
    platform.clock.advance(minutes=6)
    assert (await platform.sweep())["released"] == 1
    platform.telegram.clear()
    await platform.run_jobs()
    assert len(platform.telegram.sent("sendMessage")) == 1


async def test_concurrent_deliveries_of_one_row_send_it_once(platform: Platform) -> None:
    await platform.say("/start")
    [row] = await platform.rows(OutboxMessage)
    adapters = platform.runtime.adapters()
    courier = Courier(platform.sessions, platform.clock, adapters)
    results = await asyncio.gather(*(courier.deliver_one(row.id) for _ in range(8)))
    await adapters["telegram"].aclose()
    assert sorted(outcome.sent for outcome in results) == [False] * 7 + [True]
    assert len(platform.telegram.sent("sendMessage")) == 1


async def test_messages_sent_at_once_by_one_person_are_answered_in_order(platform: Platform) -> None:
    await platform.returning()
    await platform.converse("/start")
    await platform.converse(tap="menu:find")
    responses = await asyncio.gather(*(platform.say(text) for text in ("Leeds", "Bristol", "London")))
    assert [r.status for r in responses] == [200, 200, 200]
    await platform.deliver_all()
    inbound = await platform.rows(InboundMessage)
    assert [r.status for r in inbound] == ["processed"] * 5
    outbox = await platform.rows(OutboxMessage)
    assert [row.inbound_id for row in outbox] == [r.id for r in inbound]
    headers = [c.params["text"].split("</b>")[0] for c in platform.telegram.sent("sendMessage")[2:]]
    typed = [r.message["text"] for r in inbound[2:]]
    assert headers == [f"<b>Homes for sale in {area}" for area in typed]
