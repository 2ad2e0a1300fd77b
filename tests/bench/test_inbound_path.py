"""Benchmarks of the inbound path (webhook to outbox) and the delivery path (RQ job to Telegram).

Run with: .venv/bin/python -m pytest tests/bench -m bench -s -q
Figures are printed on lines starting with BENCH; only correctness is asserted, never timings.
The fixtures flush TEST_REDIS_URL and recreate TEST_PG_DATABASE, so while anyone else runs the tests on
the same machine give the benchmarks their own, e.g. TEST_PG_DATABASE=doorstep_bench
TEST_REDIS_URL=redis://127.0.0.1:6379/11.
"""

from __future__ import annotations

import asyncio
import logging
import time
import tracemalloc
from collections import Counter
from collections.abc import Iterator
from itertools import islice
from pathlib import Path
from typing import Any

import pytest

from core.message_log.model import InboundMessage, OutboxMessage
from core.people.model import ChannelIdentity, Person
from tests.bench.measure import (
    MIB,
    Latencies,
    bench,
    chat_id,
    proc_status_mib,
    timed_post,
    update_ids,
    user_tap,
    user_text,
)
from tests.support import Platform

pytestmark = [pytest.mark.bench, pytest.mark.parametrize("backend", ["postgresql", "sqlite"])]

USERS = 200
WARMUP_USERS = 5
CONCURRENT_UPDATES = 200
CONCURRENT_USERS = 50
CONCURRENCY = 50
CONVERSATION_USERS = 50
CONVERSATION: list[tuple[str, str]] = [
    ("text", "/start"),
    ("tap", "menu:find"),
    ("text", "Leeds"),
    ("tap", "search:details:DS-LDS-002"),
    ("tap", "search:back"),
    ("tap", "search:more"),
]
LAST_PAGE = "<b>Homes for sale in Leeds</b> (6-6 of 6)"
CONVERSATION_METHODS = ["sendMessage"] * 3 + ["sendPhoto"] + ["sendMessage"] * 2
PROJECT_ROOT = str(Path(__file__).resolve().parents[2])

Update = dict[str, Any]


@pytest.fixture(autouse=True)
def log_problems(
    caplog: pytest.LogCaptureFixture, backend: str, request: pytest.FixtureRequest
) -> Iterator[None]:
    """After each benchmark, print how many warnings and errors were logged, and the first few."""
    caplog.set_level(logging.WARNING)
    yield
    problems = [r for r in caplog.records if r.levelno >= logging.WARNING]
    errors = sum(r.levelno >= logging.ERROR for r in problems)
    bench("log", backend, test=request.node.originalname, warnings=len(problems) - errors, errors=errors)
    for record in problems[:5]:
        print(f"  {record.levelname} {record.name}: {record.getMessage()[:200]}")


def start_updates(ids: Iterator[int], users: range) -> list[Update]:
    """One "/start" from each of `users`, each in their own chat."""
    return [user_text(next(ids), user, "/start") for user in users]


async def post_sequentially(platform: Platform, updates: list[Update]) -> Latencies:
    """Post updates one after another; the latency of each and the wall time of all."""
    started = time.perf_counter()
    seconds = [await timed_post(platform, update) for update in updates]
    return Latencies(seconds, time.perf_counter() - started)


async def warm_up(platform: Platform, ids: Iterator[int]) -> float:
    """Open pools and import lazily loaded code with a few users outside the figures; the first in ms."""
    first, *_ = (await post_sequentially(platform, start_updates(ids, range(-WARMUP_USERS, 0)))).seconds
    return first * 1000


async def assert_all_answered(platform: Platform, inbound: int) -> list[OutboxMessage]:
    """Every inbound row is processed with exactly one outbox row; returns the outbox rows."""
    rows = await platform.rows(InboundMessage)
    assert len(rows) == inbound
    assert Counter(row.status for row in rows) == {"processed": inbound}
    outbox = await platform.rows(OutboxMessage)
    assert Counter(row.inbound_id for row in outbox) == dict.fromkeys((row.id for row in rows), 1)
    return list(outbox)


async def timed_delivery(platform: Platform, backend: str, name: str, rows: int) -> None:
    """Deliver every queued row with the real RQ worker and print rows per second of wall time.

    Telegram's bot-wide limit (30 a second) holds rows back; the test clock is moved on as they fall due, so
    the figure is the worker's speed including the rows it has to put back while the bucket refills.
    """
    started = time.perf_counter()
    await platform.deliver_all()
    seconds = time.perf_counter() - started
    bench(name, backend, rows=rows, wall=f"{seconds:.2f}s", rate=f"{rows / seconds:.0f}/s")


async def test_sequential_inbound_then_delivery(platform: Platform, backend: str) -> None:
    """(1) webhook latency of 200 new users' /start, (3) delivering their replies, (5) process RSS."""
    ids = update_ids()
    cold_ms = await warm_up(platform, ids)
    updates = start_updates(ids, range(USERS))
    rss_before = proc_status_mib("VmRSS")
    latencies = await post_sequentially(platform, updates)
    rss_after = proc_status_mib("VmRSS")
    bench("inbound-sequential", backend, **latencies.fields(), cold=f"{cold_ms:.1f}ms")
    bench(
        "memory-rss",
        backend,
        before=f"{rss_before:.1f}MiB",
        after=f"{rss_after:.1f}MiB",
        delta=f"{rss_after - rss_before:+.1f}MiB",
        hwm=f"{proc_status_mib('VmHWM'):.1f}MiB",
    )
    total = USERS + WARMUP_USERS
    outbox = await assert_all_answered(platform, total)
    assert {row.status for row in outbox} == {"pending"}

    await timed_delivery(platform, backend, "delivery", total)
    assert Counter(row.status for row in await platform.rows(OutboxMessage)) == {"sent": total}
    sent_to = Counter(call.params["chat_id"] for call in platform.telegram.sent("sendMessage"))
    assert sent_to == {chat_id(user): 1 for user in range(-WARMUP_USERS, USERS)}


async def test_sequential_inbound_memory(platform: Platform, backend: str) -> None:
    """(5) tracemalloc peak over the workload of (1), traced in a run of its own so (1) is not slowed."""
    ids = update_ids()
    await warm_up(platform, ids)
    updates = start_updates(ids, range(USERS))
    rss_before = proc_status_mib("VmRSS")
    tracemalloc.start()
    try:
        before = tracemalloc.take_snapshot()
        latencies = await post_sequentially(platform, updates)
        current, peak = tracemalloc.get_traced_memory()
        growth = tracemalloc.take_snapshot().compare_to(before, "lineno")
    finally:
        tracemalloc.stop()
    rss_after = proc_status_mib("VmRSS")
    bench(
        "memory-tracemalloc",
        backend,
        n=USERS,
        peak=f"{peak / MIB:.2f}MiB",
        retained=f"{current / MIB:.2f}MiB",
        rss_before=f"{rss_before:.1f}MiB",
        rss_after=f"{rss_after:.1f}MiB",
        traced_p50=latencies.fields()["p50"],
    )
    print_growth("overall (aiohttp's TestClient keeps every response until it closes)", growth)
    print_growth("in product code", [s for s in growth if is_product_code(str(s.traceback))])
    await assert_all_answered(platform, USERS + WARMUP_USERS)


def is_product_code(location: str) -> bool:
    """Whether a traceback location is in Doorstep itself, not its tests, dependencies or the stdlib."""
    return location.startswith(PROJECT_ROOT) and not any(d in location for d in ("/.venv/", "/tests/"))


def print_growth(title: str, growth: list[tracemalloc.StatisticDiff], top: int = 3) -> None:
    """The lines whose allocations grew most over the traced run."""
    print(f"  top growth {title}:")
    for stat in growth[:top]:
        print(f"    {stat.size_diff / 1024:+.0f}KiB in {stat.count_diff:+d} blocks at {stat.traceback}")


def concurrent_updates(ids: Iterator[int], burst: int) -> list[Update]:
    """200 "/start"s from 50 users; `burst` consecutive updates come from the same user."""
    return [
        user_text(next(ids), (n // burst) % CONCURRENT_USERS, "/start") for n in range(CONCURRENT_UPDATES)
    ]


async def post_in_batches(platform: Platform, updates: list[Update]) -> Latencies:
    """Post updates CONCURRENCY at a time with asyncio.gather, one batch after another."""
    seconds: list[float] = []
    batches = iter(updates)
    started = time.perf_counter()
    while batch := list(islice(batches, CONCURRENCY)):
        seconds += await asyncio.gather(*(timed_post(platform, update) for update in batch))
    return Latencies(seconds, time.perf_counter() - started)


@pytest.mark.parametrize("burst", [1, 4], ids=["spread", "burst4"])
async def test_concurrent_inbound(platform: Platform, backend: str, burst: int) -> None:
    """(2) 200 updates from 50 users, 50 requests in flight; burst=4 sends each user's 4 at once."""
    updates = concurrent_updates(update_ids(), burst)
    latencies = await post_in_batches(platform, updates)
    bench("inbound-concurrent", backend, burst=burst, concurrency=CONCURRENCY, **latencies.fields())
    await assert_all_answered(platform, CONCURRENT_UPDATES)
    assert len(await platform.rows(ChannelIdentity)) == CONCURRENT_USERS
    assert len(await platform.rows(Person)) == CONCURRENT_USERS


def turn_updates(ids: Iterator[int], kind: str, value: str) -> list[Update]:
    """One conversation turn (a text or a tap) from every conversation user."""
    make = user_text if kind == "text" else user_tap
    return [make(next(ids), user, value) for user in range(CONVERSATION_USERS)]


async def test_conversation_turns(platform: Platform, backend: str) -> None:
    """(4) 50 returning buyers each search Leeds in 6 turns, turn by turn; the latency of each turn."""
    for user in range(CONVERSATION_USERS):
        await platform.returning(address=str(chat_id(user)))
    ids = update_ids()
    every: list[float] = []
    for turn, (kind, value) in enumerate(CONVERSATION, start=1):
        latencies = await post_sequentially(platform, turn_updates(ids, kind, value))
        every += latencies.seconds
        bench("conversation-turn", backend, turn=turn, step=value, **latencies.fields())
    bench("conversation-all", backend, **Latencies(every, sum(every)).fields())
    outbox = await assert_all_answered(platform, len(CONVERSATION) * CONVERSATION_USERS)
    assert_each_user_reached_last_page(outbox)


def assert_each_user_reached_last_page(outbox: list[OutboxMessage]) -> None:
    """Every user got one reply per turn, the details as a photo and lastly the second page of results."""
    by_chat: dict[str, list[OutboxMessage]] = {}
    for row in outbox:
        by_chat.setdefault(row.address, []).append(row)
    assert sorted(by_chat) == sorted(str(chat_id(user)) for user in range(CONVERSATION_USERS))
    for rows in by_chat.values():
        assert [row.payload["method"] for row in rows] == CONVERSATION_METHODS
        assert rows[-1].text.startswith(LAST_PAGE)
