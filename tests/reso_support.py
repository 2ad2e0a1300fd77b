"""Syncing a feed in tests: the RESO_FEEDS of a fake feed, a sync on the test clock, the feed's listings."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select

from core.clock import ManualClock
from core.feeds.model import Feed, RawRecord
from core.listings.model import Listing
from jobs.reso.runs import sync_feeds
from jobs.reso.sync import SyncReport
from tests.fakes.reso import FakeReso
from tests.fakes.reso_records import make_record
from tests.support import Platform

SYSTEM = "FakeMLS"
T0 = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)


def feed_config(fake: FakeReso, **overrides: Any) -> dict[str, Any]:
    """One feed of RESO_FEEDS, served by `fake` (generous limits unless overridden)."""
    return {
        "originating_system_name": SYSTEM,
        "base_url": f"{fake.base_url}/odata",
        "token_url": f"{fake.base_url}/oauth2/token",
        "client_id": fake.client_id,
        "client_secret": fake.client_secret,
        "max_top": fake.max_top,
        "rates": {"per_second": 50, "per_hour": 100_000, "per_day": 1_000_000},
        "reconcile_hours": 0,
        **overrides,
    }


def feeds_env(fake: FakeReso, **overrides: Any) -> str:
    """RESO_FEEDS naming the one fake feed."""
    return json.dumps([feed_config(fake, **overrides)])


@dataclass
class Sleeps:
    """How a sync waits on the test clock: each wait is recorded and moves the clock on."""

    clock: ManualClock
    taken: list[float] = field(default_factory=list)

    async def __call__(self, seconds: float) -> None:
        self.taken.append(seconds)
        self.clock.advance(seconds=seconds)


async def sync(platform: Platform, sleeps: Sleeps | None = None, **options: Any) -> SyncReport:
    """Sync the fake feed once with the platform's runtime, as `doorstep import-reso` does."""
    adapters = platform.runtime.adapters()
    try:
        [report] = await sync_feeds(
            platform.runtime,
            platform.sessions,
            adapters,
            sleep=sleeps or Sleeps(platform.clock),
            **options,
        )
    finally:
        for adapter in adapters.values():
            await adapter.aclose()
    return report


def put_records(fake: FakeReso, numbers: range, modified: datetime = T0, **overrides: Any) -> list[str]:
    """Records n in `numbers`, modified at `modified` (one second apart unless all share it); their keys."""
    return [_put(fake, make_record(n, modified, **overrides)) for n in numbers]


def _put(fake: FakeReso, record: dict[str, Any]) -> str:
    fake.put(record)
    return str(record["ListingKey"])


def spread(fake: FakeReso, numbers: range, start: datetime = T0, **overrides: Any) -> list[str]:
    """Records n in `numbers`, each modified one second after the one before."""
    return [
        _put(fake, make_record(n, start + timedelta(seconds=i), **overrides)) for i, n in enumerate(numbers)
    ]


async def feed_listings(platform: Platform) -> dict[str, Listing]:
    """Every listing the feed brought, by the feed's ListingKey."""
    rows = await platform.rows(Listing, Listing.originating_system_name == SYSTEM)
    return {row.feed_listing_key: row for row in rows}


async def raw_rows(platform: Platform) -> list[RawRecord]:
    """Every raw record kept for the feed, oldest first."""
    return list(await platform.rows(RawRecord, RawRecord.feed == SYSTEM))


async def feed_row(platform: Platform) -> Feed:
    """The feed's sync state."""
    async with platform.sessions() as session:
        return (await session.scalars(select(Feed).where(Feed.name == SYSTEM))).one()
