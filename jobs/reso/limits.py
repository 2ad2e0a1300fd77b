"""A feed's request limits, held in Redis token buckets so every process syncing it keeps to them together."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime

from bots.channels.rates import Rate
from bots.outbound.throttle import Throttle
from core.clock import Clock
from doorstep.feed_settings import FeedRates

# An hour's or a day's bucket holds a tenth of the allowance and refills the other nine tenths over the
# period, so no window of that length ever holds more requests than the allowance.
_BURST_SHARE = 0.1


class OutOfTime(Exception):
    """The next request could only go after the run's deadline: the run stops here, to go on next time."""


def buckets(name: str, rates: FeedRates) -> list[tuple[str, Rate]]:
    """The per-second, per-hour and per-day buckets of feed `name`."""
    return [
        (f"reso:{name}:second", Rate(rates.per_second, max(1, int(rates.per_second)))),
        _period(f"reso:{name}:hour", rates.per_hour, 3600),
        _period(f"reso:{name}:day", rates.per_day, 86400),
    ]


def _period(key: str, allowance: int, seconds: int) -> tuple[str, Rate]:
    burst = max(1, int(allowance * _BURST_SHARE))
    return key, Rate((allowance - burst) / seconds if allowance > burst else allowance / seconds / 2, burst)


class Limiter:
    """Waits before each request until every bucket of the feed lets it through."""

    def __init__(
        self,
        throttle: Throttle,
        clock: Clock,
        name: str,
        rates: FeedRates,
        sleep: Callable[[float], Awaitable[None]],
    ) -> None:
        self._throttle, self._clock, self._sleep = throttle, clock, sleep
        self._buckets = buckets(name, rates)
        self.waited = 0.0

    async def wait(self, deadline: datetime | None = None) -> None:
        """Return when a request may go; OutOfTime when that would be after `deadline`."""
        while (seconds := self._throttle.acquire(self._buckets)) > 0:
            await self.sleep(seconds, deadline)

    async def sleep(self, seconds: float, deadline: datetime | None = None) -> None:
        """Sleep `seconds`, or raise OutOfTime when that would pass `deadline`."""
        if deadline is not None and (deadline - self._clock.now()).total_seconds() < seconds:
            raise OutOfTime(f"the next request may only go in {seconds:.0f} s")
        self.waited += seconds
        await self._sleep(seconds)

    def pause(self, seconds: float) -> None:
        """Hold every process's requests to this feed for `seconds` (the server said 429, Retry-After)."""
        self._throttle.pause(self._buckets[0][0], seconds)
