"""Outbound rate limits: Redis token buckets the delivery job asks before each provider send."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Final

from redis import Redis

from bots.channels.rates import Rate
from core.clock import Clock

KEY_PREFIX: Final = "doorstep:rate:"
MIN_IDLE_TTL_SECONDS: Final = 60

_EPOCH: Final = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECONDS: Final = 1_000_000
_ONE_MICROSECOND: Final = timedelta(microseconds=1)

_ACQUIRE_LUA: Final = """
local now, cost = tonumber(ARGV[1]), tonumber(ARGV[2])
local wait, blocked, levels, stamps = 0, false, {}, {}
for i, key in ipairs(KEYS) do
  local rate, burst = tonumber(ARGV[1 + 2 * i]), tonumber(ARGV[2 + 2 * i])
  local state = redis.call('HMGET', key, 'tokens', 'stamp', 'paused_until')
  local stamp = tonumber(state[2]) or now
  local tokens = math.min(burst, (tonumber(state[1]) or burst) + math.max(0, now - stamp) * rate / 1e6)
  local paused_for = (tonumber(state[3]) or 0) - now
  levels[i], stamps[i] = tokens, (stamp > now) and state[2] or ARGV[1]
  if cost - tokens > 1e-9 then
    blocked, wait = true, math.max(wait, (cost - tokens) * 1e6 / rate)
  end
  if paused_for > 0 then
    blocked, wait = true, math.max(wait, paused_for)
  end
end
if blocked then
  return math.max(1, math.ceil(wait - 1e-6))
end
for i, key in ipairs(KEYS) do
  local rate, burst = tonumber(ARGV[1 + 2 * i]), tonumber(ARGV[2 + 2 * i])
  local idle_ms = math.max(tonumber(ARGV[3 + 2 * #KEYS]), math.ceil(2000 * burst / rate))
  redis.call('HSET', key, 'tokens', string.format('%.17g', math.max(0, levels[i] - cost)), 'stamp', stamps[i])
  redis.call('PEXPIRE', key, math.max(idle_ms, redis.call('PTTL', key)))
end
return 0
"""

_RESERVE_LUA: Final = """
local now, cost, horizon = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[4 + 2 * #KEYS])
local wait, levels, stamps = 0, {}, {}
for i, key in ipairs(KEYS) do
  local rate, burst = tonumber(ARGV[1 + 2 * i]), tonumber(ARGV[2 + 2 * i])
  local state = redis.call('HMGET', key, 'tokens', 'stamp', 'paused_until')
  local stamp = tonumber(state[2]) or now
  local tokens = math.min(burst, (tonumber(state[1]) or burst) + math.max(0, now - stamp) * rate / 1e6)
  levels[i], stamps[i] = tokens, (stamp > now) and state[2] or ARGV[1]
  if cost - tokens > 1e-9 then
    wait = math.max(wait, (cost - tokens) * 1e6 / rate)
  end
  wait = math.max(wait, (tonumber(state[3]) or 0) - now)
end
if wait > horizon then
  return -math.ceil(wait)
end
for i, key in ipairs(KEYS) do
  local rate, burst = tonumber(ARGV[1 + 2 * i]), tonumber(ARGV[2 + 2 * i])
  local keep_ms = math.max(tonumber(ARGV[3 + 2 * #KEYS]), math.ceil(2000 * burst / rate))
  local idle_ms = math.max(keep_ms, math.ceil(wait / 500))
  redis.call('HSET', key, 'tokens', string.format('%.17g', levels[i] - cost), 'stamp', stamps[i])
  redis.call('PEXPIRE', key, math.max(idle_ms, redis.call('PTTL', key)))
end
return math.ceil(wait)
"""

_PAUSE_LUA: Final = """
local until_us = tonumber(ARGV[1])
local paused_until = tonumber(redis.call('HGET', KEYS[1], 'paused_until')) or 0
if until_us > paused_until then
  redis.call('HSET', KEYS[1], 'paused_until', ARGV[1])
end
local keep_ms = math.ceil(tonumber(ARGV[2]) / 1000) + tonumber(ARGV[3])
redis.call('PEXPIRE', KEYS[1], math.max(keep_ms, redis.call('PTTL', KEYS[1])))
return 0
"""


def bucket_key(name: str) -> str:
    """The Redis key holding the bucket `name`."""
    return KEY_PREFIX + name


class Throttle:
    """Token buckets in Redis, on the injected clock: may this send go now, or how long until it may."""

    def __init__(self, redis: Redis, clock: Clock) -> None:
        self._clock = clock
        self._acquire = redis.register_script(_ACQUIRE_LUA)
        self._pause = redis.register_script(_PAUSE_LUA)
        self._reserve = redis.register_script(_RESERVE_LUA)

    def acquire(self, buckets: Sequence[tuple[str, Rate]], cost: int = 1) -> float:
        """Take `cost` tokens from every bucket and return 0.0, or take none and return seconds to wait."""
        _check_request(buckets, cost)
        if not buckets:
            return 0.0
        args: list[int | float] = [self._now_us(), cost]
        for _, rate in buckets:
            args += [rate.per_second, rate.burst]
        args.append(MIN_IDLE_TTL_SECONDS * 1000)
        keys = [bucket_key(name) for name, _ in buckets]
        return int(self._acquire(keys=keys, args=args)) / _MICROSECONDS

    def reserve(self, buckets: Sequence[tuple[str, Rate]], cost: int, horizon: float) -> tuple[float, bool]:
        """Book the next free slot within `horizon` seconds: (seconds until it, True); the tokens are taken
        now, so many waiting senders get distinct slots instead of all waking at once and trying again.
        Beyond the horizon nothing is booked: (seconds to wait, False)."""
        _check_request(buckets, cost)
        if not buckets:
            return 0.0, True
        args: list[int | float] = [self._now_us(), cost]
        for _, rate in buckets:
            args += [rate.per_second, rate.burst]
        args += [MIN_IDLE_TTL_SECONDS * 1000, horizon * _MICROSECONDS]
        result = int(self._reserve(keys=[bucket_key(name) for name, _ in buckets], args=args))
        return abs(result) / _MICROSECONDS, result >= 0

    def pause(self, name: str, seconds: float) -> None:
        """Let nothing through bucket `name` for `seconds` (an earlier, longer pause stands)."""
        pause_us = round(seconds * _MICROSECONDS)
        if pause_us <= 0:
            return
        args = [self._now_us() + pause_us, pause_us, MIN_IDLE_TTL_SECONDS * 1000]
        self._pause(keys=[bucket_key(name)], args=args)

    def _now_us(self) -> int:
        """The clock's time in whole microseconds since the Unix epoch."""
        return (self._clock.now() - _EPOCH) // _ONE_MICROSECOND


def _check_request(buckets: Sequence[tuple[str, Rate]], cost: int) -> None:
    """Refuse requests that could never succeed or would charge a bucket twice."""
    if cost < 1:
        raise ValueError(f"cost must be at least 1, not {cost}")
    names = [name for name, _ in buckets]
    if len(set(names)) != len(names):
        raise ValueError(f"a bucket is named twice in {names}")
    too_small = [name for name, rate in buckets if rate.burst < cost]
    if too_small:
        raise ValueError(f"cost {cost} exceeds the burst of {too_small}, so it could never be sent")
