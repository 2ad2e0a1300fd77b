"""An MLS feed imports alike into PostgreSQL and the embedded SQLite default."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

import pytest

from core.feeds.changes import listing_key_for
from tests.conftest import PlatformStarter
from tests.fakes.reso import FakeReso
from tests.fakes.reso_records import make_record
from tests.reso_support import SYSTEM, T0, feed_listings, feed_row, feeds_env, raw_rows, spread, sync


@pytest.mark.parametrize("backend", ["postgresql", "sqlite"])
async def test_a_feed_imports_once_changes_nothing_the_second_time_and_withdraws_a_deleted_home(
    start_platform: PlatformStarter, backend: str
) -> None:
    async with (
        FakeReso(page_size=100, max_top=100) as fake,
        start_platform(RESO_FEEDS=feeds_env(fake, media=False)) as platform,
    ):
        keys = spread(fake, range(1, 301))

        first = await sync(platform)
        platform.clock.advance(minutes=15)
        second = await sync(platform)

        # Three full pages, the last unlinked: a server that links its pages ends at its first unlinked one.
        assert (first.counts, first.pages, first.error) == (Counter(created=300), 3, None)
        assert (second.counts, second.pages, second.error) == (Counter(), 1, None)
        listings = await feed_listings(platform)
        assert sorted(listings) == sorted(keys)
        assert {listing.listing_key for listing in listings.values()} == {
            listing_key_for(SYSTEM, key) for key in keys
        }
        assert len(await raw_rows(platform)) == 300

        fake.put(make_record(150, T0 + timedelta(hours=1), StandardStatus="Delete"))
        platform.clock.advance(minutes=15)
        third = await sync(platform)

        assert third.counts == Counter(withdrawn=1)
        statuses = Counter(listing.standard_status for listing in (await feed_listings(platform)).values())
        assert statuses == Counter(Active=299, Withdrawn=1)
        assert (await feed_listings(platform))["FMLS0000150"].standard_status == "Withdrawn"
        feed = await feed_row(platform)
        assert (feed.imported, feed.withdrawn, feed.failed, feed.cursor_key) == (300, 1, 0, "FMLS0000150")
