"""Benchmark: importing 10,000 records from a RESO feed, against a bare fetch-and-insert of the same pages.

Run with: .venv/bin/python -m pytest tests/bench/test_reso_import.py -m bench -s -q
The fake feed runs in its own process. BENCH lines give records a second for both and the importer's RSS
after 1,000 and after 10,000 records; only correctness is asserted, never timings.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from collections import Counter
from collections.abc import AsyncIterator, Sequence
from typing import Any

import aiohttp
import asyncpg
import pytest

from core.feeds.pages import Cursor
from doorstep.feed_settings import ResoFeed
from jobs.reso.sync import FeedSync
from tests.bench.measure import bench, proc_status_mib
from tests.reso_support import SYSTEM, feed_listings, raw_rows
from tests.support import Platform

pytestmark = [pytest.mark.bench]

RECORDS = 10_000
PAGE = 200
FIRST = 1_000


@pytest.fixture
async def feed_url() -> AsyncIterator[str]:
    """The base URL of a fake feed of RECORDS records in another process."""
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "tests.bench.reso_feed_process", str(RECORDS), stdout=asyncio.subprocess.PIPE
    )
    assert process.stdout is not None
    url = (await asyncio.wait_for(process.stdout.readline(), 120)).decode().strip()
    try:
        yield url
    finally:
        process.kill()
        await process.wait()


def feed(url: str, **overrides: Any) -> ResoFeed:
    """The benchmark's feed: no photos, pages of PAGE, limits far above what a run asks."""
    return ResoFeed.model_validate(
        {
            "originating_system_name": SYSTEM,
            "base_url": f"{url}/odata",
            "token_url": f"{url}/oauth2/token",
            "client_id": "doorstep",
            "client_secret": "fake-reso-secret",
            "max_top": PAGE,
            "media": False,
            "reconcile_hours": 0,
            "run_seconds": 3600,
            "rates": {"per_second": 100, "per_hour": 1_000_000, "per_day": 10_000_000},
            **overrides,
        }
    )


class MeasuredSync(FeedSync):
    """The real sync, noting the RSS each time the records applied pass a mark."""

    marks: dict[int, float]

    async def apply(
        self, raws: Sequence[Any], cursor: Cursor | None, counts: Counter[str], *, move_cursor: bool = True
    ) -> Cursor | None:
        """Apply the page as the sync does, then note the RSS at the marks passed."""
        after = await super().apply(raws, cursor, counts, move_cursor=move_cursor)
        done = sum(counts.values())
        for mark in (FIRST, RECORDS):
            if done >= mark and mark not in self.marks:
                self.marks[mark] = proc_status_mib("VmRSS")
        return after


async def test_importing_ten_thousand_records(platform: Platform, feed_url: str) -> None:
    adapters = platform.runtime.adapters()
    rss_start = proc_status_mib("VmRSS")
    async with aiohttp.ClientSession() as http:
        sync = MeasuredSync(feed(feed_url), platform.runtime, platform.sessions, adapters, http)
        sync.marks = {}
        began = time.perf_counter()
        report = await sync.run()
        seconds = time.perf_counter() - began
    for adapter in adapters.values():
        await adapter.aclose()
    assert (report.counts, report.error, report.finished) == (Counter(created=RECORDS), None, True)
    assert len(await feed_listings(platform)) == RECORDS
    assert len(await raw_rows(platform)) == RECORDS
    bench(
        "reso-import",
        "postgresql",
        records=RECORDS,
        pages=report.pages,
        wall=f"{seconds:.2f}s",
        rate=f"{RECORDS / seconds:.0f}/s",
        rss_start=f"{rss_start:.1f}MiB",
        rss_1k=f"{sync.marks[FIRST]:.1f}MiB",
        rss_10k=f"{sync.marks[RECORDS]:.1f}MiB",
        hwm=f"{proc_status_mib('VmHWM'):.1f}MiB",
    )
    began = time.perf_counter()
    fetched = await bare_import(feed_url, platform.runtime.settings.database_url)
    seconds = time.perf_counter() - began
    assert fetched == RECORDS
    bench(
        "reso-import-bare",
        "postgresql",
        records=fetched,
        wall=f"{seconds:.2f}s",
        rate=f"{fetched / seconds:.0f}/s",
    )


async def bare_import(url: str, database_url: str) -> int:
    """The yardstick: the same pages fetched by keyset and inserted as they come, one statement a page, into a
    scratch table of key, timestamp, price, city and the raw record; nothing read, checked or announced."""
    dsn = database_url.replace("postgresql+asyncpg://", "postgresql://")
    connection = await asyncpg.connect(dsn)
    await connection.execute(
        "CREATE TEMP TABLE bare (key text PRIMARY KEY, ts text, price numeric, city text, raw jsonb)"
    )
    total = 0
    async with aiohttp.ClientSession() as http:
        async with http.post(
            f"{url}/oauth2/token",
            data={
                "grant_type": "client_credentials",
                "client_id": "doorstep",
                "client_secret": "fake-reso-secret",
            },
        ) as response:
            token = (await response.json())["access_token"]
        headers = {"Authorization": f"Bearer {token}"}
        params = {"$orderby": "ModificationTimestamp,ListingKey", "$top": str(PAGE)}
        while True:
            async with http.get(f"{url}/odata/Property", params=params, headers=headers) as response:
                records = (await response.json())["value"]
            await connection.executemany(
                "INSERT INTO bare VALUES ($1, $2, $3, $4, $5) "
                "ON CONFLICT (key) DO UPDATE SET raw = excluded.raw",
                [
                    (r["ListingKey"], r["ModificationTimestamp"], r["ListPrice"], r["City"], json.dumps(r))
                    for r in records
                ],
            )
            total += len(records)
            if len(records) < PAGE:
                break
            last = records[-1]
            at, key = last["ModificationTimestamp"], last["ListingKey"]
            params["$filter"] = (
                f"ModificationTimestamp ge {at} and (ModificationTimestamp gt {at} or ListingKey gt '{key}')"
            )
    await connection.close()
    return total
