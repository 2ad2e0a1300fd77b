"""Outbound rate limits on real Redis and on fakeredis, over a clock that moves only when told."""

from __future__ import annotations

import math
import os
from collections.abc import Iterator
from datetime import UTC, datetime

import fakeredis
import pytest
from redis import Redis

from bots.channels.rates import (
    SMS_BURST_SEGMENTS,
    Rate,
    telegram_bot_bucket,
    telegram_buckets,
    twilio_buckets,
)
from bots.outbound.throttle import Throttle, bucket_key
from core.clock import ManualClock

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
BOT = 7001
SENDER = "+447700900123"
ONE_THIRTIETH_ROUNDED_UP = math.ceil(1_000_000 / 30) / 1_000_000


@pytest.fixture(params=["redis", "fakeredis"])
def store(request: pytest.FixtureRequest) -> Iterator[Redis]:
    """Real Redis at TEST_REDIS_URL or fakeredis, flushed before and after the test."""
    connection: Redis = Redis.from_url(REDIS_URL) if request.param == "redis" else fakeredis.FakeRedis()
    connection.flushdb()
    yield connection
    connection.flushdb()
    connection.close()


@pytest.fixture
def clock() -> ManualClock:
    """The test's clock, standing still until advanced."""
    return ManualClock(datetime(2026, 11, 20, 10, 0, tzinfo=UTC))


@pytest.fixture
def throttle(store: Redis, clock: ManualClock) -> Throttle:
    """A throttle over the test's Redis and clock."""
    return Throttle(store, clock)


def send_to_chats(throttle: Throttle, chats: range) -> list[float]:
    """Ask to send one Telegram message to each chat, all at the same instant."""
    return [throttle.acquire(telegram_buckets(BOT, str(chat))) for chat in chats]


def test_the_first_message_goes_at_once(throttle: Throttle) -> None:
    assert throttle.acquire(telegram_buckets(BOT, "1")) == 0.0


def test_the_31st_message_in_one_instant_waits_a_thirtieth_of_a_second(
    throttle: Throttle, clock: ManualClock
) -> None:
    assert send_to_chats(throttle, range(30)) == [0.0] * 30
    assert throttle.acquire(telegram_buckets(BOT, "30")) == ONE_THIRTIETH_ROUNDED_UP
    clock.advance(microseconds=33_333)
    assert throttle.acquire(telegram_buckets(BOT, "30")) == 1e-6
    clock.advance(microseconds=1)
    assert throttle.acquire(telegram_buckets(BOT, "30")) == 0.0


def test_a_second_message_to_the_same_chat_waits_one_second(throttle: Throttle, clock: ManualClock) -> None:
    assert throttle.acquire(telegram_buckets(BOT, "1")) == 0.0
    assert throttle.acquire(telegram_buckets(BOT, "1")) == 1.0
    clock.advance(seconds=0.5)
    assert throttle.acquire(telegram_buckets(BOT, "1")) == 0.5
    clock.advance(seconds=0.5)
    assert throttle.acquire(telegram_buckets(BOT, "1")) == 0.0


def test_chats_of_other_bots_do_not_share_a_bucket(throttle: Throttle) -> None:
    assert throttle.acquire(telegram_buckets(BOT, "1")) == 0.0
    assert throttle.acquire(telegram_buckets(BOT + 1, "1")) == 0.0


def test_a_refused_request_charges_no_bucket(throttle: Throttle) -> None:
    assert throttle.acquire(telegram_buckets(BOT, "1")) == 0.0
    assert [throttle.acquire(telegram_buckets(BOT, "1")) for _ in range(5)] == [1.0] * 5
    assert send_to_chats(throttle, range(2, 31)) == [0.0] * 29
    assert throttle.acquire(telegram_buckets(BOT, "31")) == ONE_THIRTIETH_ROUNDED_UP


def test_buckets_refill_continuously_up_to_the_burst(throttle: Throttle, clock: ManualClock) -> None:
    send_to_chats(throttle, range(30))
    clock.advance(seconds=0.1)
    assert send_to_chats(throttle, range(100, 104)) == [0.0, 0.0, 0.0, ONE_THIRTIETH_ROUNDED_UP]
    clock.advance(hours=1)
    assert send_to_chats(throttle, range(200, 231))[-2:] == [0.0, ONE_THIRTIETH_ROUNDED_UP]


def test_a_pause_blocks_every_chat_of_the_bot_for_its_length(throttle: Throttle, clock: ManualClock) -> None:
    throttle.pause(telegram_bot_bucket(BOT), 30)
    assert throttle.acquire(telegram_buckets(BOT, "1")) == 30.0
    assert throttle.acquire(telegram_buckets(BOT, "2")) == 30.0
    assert throttle.acquire(telegram_buckets(BOT + 1, "1")) == 0.0
    clock.advance(seconds=29.75)
    assert throttle.acquire(telegram_buckets(BOT, "3")) == 0.25
    clock.advance(seconds=0.25)
    assert throttle.acquire(telegram_buckets(BOT, "3")) == 0.0


def test_a_shorter_pause_does_not_cut_a_longer_one_short(throttle: Throttle) -> None:
    throttle.pause(telegram_bot_bucket(BOT), 30)
    throttle.pause(telegram_bot_bucket(BOT), 5)
    throttle.pause(telegram_bot_bucket(BOT), 0)
    assert throttle.acquire(telegram_buckets(BOT, "1")) == 30.0


def test_the_wait_covers_both_the_pause_and_the_missing_tokens(
    throttle: Throttle, clock: ManualClock
) -> None:
    buckets = [("slow", Rate(per_second=0.1, burst=1))]
    assert throttle.acquire(buckets) == 0.0
    throttle.pause("slow", 4)
    assert throttle.acquire(buckets) == 10.0
    throttle.pause("slow", 12)
    assert throttle.acquire(buckets) == 12.0
    clock.advance(seconds=12)
    assert throttle.acquire(buckets) == 0.0


def test_an_sms_is_charged_one_token_per_segment(throttle: Throttle, clock: ManualClock) -> None:
    sms = twilio_buckets(SENDER, "sms")
    assert sms == [(f"twilio:sms:{SENDER}", Rate(per_second=1.0, burst=SMS_BURST_SEGMENTS))]
    assert throttle.acquire(sms, cost=3) == 0.0
    assert throttle.acquire(sms, cost=3) == 2.0
    clock.advance(seconds=2)
    assert throttle.acquire(sms, cost=3) == 0.0
    assert throttle.acquire(sms, cost=1) == 1.0


def test_a_longer_sms_than_the_burst_is_refused_outright(throttle: Throttle) -> None:
    with pytest.raises(ValueError, match="exceeds the burst"):
        throttle.acquire(twilio_buckets(SENDER, "sms"), cost=SMS_BURST_SEGMENTS + 1)


def test_whatsapp_sends_ten_a_second_per_sender(throttle: Throttle) -> None:
    whatsapp = twilio_buckets(SENDER, "whatsapp")
    assert [throttle.acquire(whatsapp) for _ in range(11)] == [0.0] * 10 + [0.1]
    assert throttle.acquire(twilio_buckets("+447700900999", "whatsapp")) == 0.0
    assert throttle.acquire(twilio_buckets(SENDER, "sms")) == 0.0


def test_twilio_rates_can_be_raised_for_faster_senders() -> None:
    assert twilio_buckets(SENDER, "sms", sms_rate=30.0) == [(f"twilio:sms:{SENDER}", Rate(30.0, 30))]
    assert twilio_buckets(SENDER, "whatsapp", whatsapp_rate=80.0)[0][1] == Rate(80.0, 80)
    with pytest.raises(ValueError):
        twilio_buckets(SENDER, "fax")


def test_idle_buckets_expire(throttle: Throttle, store: Redis) -> None:
    throttle.acquire(telegram_buckets(BOT, "1"))
    throttle.acquire([("trickle", Rate(per_second=0.01, burst=5))])
    throttle.pause("paused", 300)
    assert 59 <= store.ttl(bucket_key(telegram_bot_bucket(BOT))) <= 60
    assert 59 <= store.ttl(bucket_key(f"telegram:chat:{BOT}:1")) <= 60
    assert 999 <= store.ttl(bucket_key("trickle")) <= 1000
    assert 359 <= store.ttl(bucket_key("paused")) <= 360
    assert sorted(store.keys()) == sorted(
        bucket_key(name).encode()
        for name in [telegram_bot_bucket(BOT), f"telegram:chat:{BOT}:1", "trickle", "paused"]
    )


def test_a_charge_keeps_the_expiry_of_a_pause(throttle: Throttle, clock: ManualClock, store: Redis) -> None:
    throttle.pause(telegram_bot_bucket(BOT), 300)
    clock.advance(seconds=300)
    assert throttle.acquire(telegram_buckets(BOT, "1")) == 0.0
    assert store.ttl(bucket_key(telegram_bot_bucket(BOT))) >= 359


def test_nothing_to_check_means_no_wait(throttle: Throttle) -> None:
    assert throttle.acquire([]) == 0.0


@pytest.mark.parametrize("cost", [0, -1])
def test_a_cost_below_one_is_refused(throttle: Throttle, cost: int) -> None:
    with pytest.raises(ValueError):
        throttle.acquire(telegram_buckets(BOT, "1"), cost=cost)


def test_a_bucket_named_twice_is_refused(throttle: Throttle) -> None:
    with pytest.raises(ValueError, match="named twice"):
        throttle.acquire(telegram_buckets(BOT, "1") * 2)


@pytest.mark.parametrize(("per_second", "burst"), [(0.0, 1), (-1.0, 1), (1.0, 0)])
def test_a_rate_that_never_refills_or_holds_nothing_is_refused(per_second: float, burst: int) -> None:
    with pytest.raises(ValueError):
        Rate(per_second, burst)


def test_reservations_give_waiting_senders_distinct_slots(throttle: Throttle) -> None:
    slots = [throttle.reserve(telegram_buckets(7, str(chat)), 1, horizon=300) for chat in range(90)]
    assert all(booked for _, booked in slots)
    waits = [wait for wait, _ in slots]
    assert waits[:30] == [0.0] * 30
    assert waits[30:33] == pytest.approx([1 / 30, 2 / 30, 3 / 30], abs=1e-5)
    assert waits[-1] == pytest.approx(2.0, abs=1e-5)
    assert waits == sorted(waits)


def test_a_reserved_slot_is_kept_when_the_time_comes(throttle: Throttle, clock: ManualClock) -> None:
    assert throttle.reserve(telegram_buckets(7, "1"), 1, horizon=300) == (0.0, True)
    assert throttle.reserve(telegram_buckets(7, "1"), 1, horizon=300) == (1.0, True)
    clock.advance(seconds=1)
    assert throttle.reserve(telegram_buckets(7, "1"), 1, horizon=300) == (1.0, True)


def test_nothing_is_booked_beyond_the_horizon(throttle: Throttle) -> None:
    throttle.pause(telegram_bot_bucket(7), 600)
    assert throttle.reserve(telegram_buckets(7, "1"), 1, horizon=300) == (600.0, False)
    throttle.pause(telegram_bot_bucket(7), 0)
    assert throttle.reserve(telegram_buckets(8, "1"), 1, horizon=300) == (0.0, True)
