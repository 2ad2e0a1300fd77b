"""Benchmark helpers: per-user Telegram updates, timed webhook posts, percentiles and BENCH lines."""

from __future__ import annotations

import itertools
import math
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.support import Platform, tap_update, text_update

FIRST_CHAT_ID = 700_000_000
MIB = 1024 * 1024


def chat_id(user: int) -> int:
    """The Telegram chat id (and user id) of benchmark user number `user`."""
    return FIRST_CHAT_ID + user


def user_text(update_id: int, user: int, text: str) -> dict[str, Any]:
    """A private text message from benchmark user `user`, in their own chat."""
    update = text_update(update_id, text)
    message = update["message"]
    message["from"]["id"] = message["chat"]["id"] = chat_id(user)
    message["from"]["first_name"] = message["chat"]["first_name"] = f"User{user}"
    message["from"]["username"] = message["chat"]["username"] = f"bench_user_{user}"
    return update


def user_tap(update_id: int, user: int, choice_id: str) -> dict[str, Any]:
    """A button tap on `choice_id` from benchmark user `user`, in their own chat."""
    update = tap_update(update_id, choice_id)
    query = update["callback_query"]
    query["from"]["id"] = query["message"]["chat"]["id"] = chat_id(user)
    query["from"]["first_name"] = query["message"]["chat"]["first_name"] = f"User{user}"
    return update


def update_ids(start: int = 1) -> Iterator[int]:
    """Fresh update ids, so no update is taken for a provider retry."""
    return itertools.count(start)


async def timed_post(platform: Platform, update: dict[str, Any]) -> float:
    """POST one update to the webhook; returns the seconds until the response body was read."""
    started = time.perf_counter()
    response = await platform.post(update)
    body = await response.read()
    elapsed = time.perf_counter() - started
    assert response.status == 200, body
    return elapsed


def percentile(values: Sequence[float], fraction: float) -> float:
    """The nearest-rank percentile of `values` (fraction in 0..1)."""
    ordered = sorted(values)
    rank = max(1, math.ceil(fraction * len(ordered)))
    return ordered[rank - 1]


@dataclass(frozen=True)
class Latencies:
    """Webhook response times of one run and the wall time it took."""

    seconds: list[float]
    wall: float

    def fields(self) -> dict[str, str]:
        """n, p50/p95/p99/max in ms and the rate over the wall time, as BENCH fields."""
        ms = [s * 1000 for s in self.seconds]
        return {
            "n": str(len(ms)),
            "p50": f"{percentile(ms, 0.50):.1f}ms",
            "p95": f"{percentile(ms, 0.95):.1f}ms",
            "p99": f"{percentile(ms, 0.99):.1f}ms",
            "max": f"{max(ms):.1f}ms",
            "rate": f"{len(ms) / self.wall:.0f}/s",
        }


def bench(name: str, backend: str, **fields: object) -> None:
    """Print one greppable `BENCH <name> backend=<backend> key=value ...` line."""
    parts = " ".join(f"{key}={value}" for key, value in fields.items())
    print(f"BENCH {name} backend={backend} {parts}", flush=True)


def proc_status_mib(field: str) -> float:
    """A memory field of /proc/self/status (VmRSS, VmHWM, ...) in MiB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) / 1024
    raise LookupError(f"{field} not in /proc/self/status")
