"""An MLS sync that fails for real (429, 500, expired tokens, limits, a killed process, no Redis) loses
nothing and applies nothing twice: each test counts both against the fake feed's own records."""

from __future__ import annotations

import asyncio
import os
import signal
from collections import Counter
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from redis import Redis

from bots.outbound.throttle import Throttle
from core.feeds.model import RawRecord
from doorstep.bootstrap import Runtime, build_runtime
from jobs.reso.client import ATTEMPTS
from jobs.reso.limits import Limiter, OutOfTime
from jobs.reso.runs import sync_feeds
from tests.conftest import REDIS_URL, PlatformStarter, platform_settings, unreachable_redis
from tests.fakes.odata import parse_instant
from tests.fakes.reso import FakeReso
from tests.fakes.reso_records import make_record
from tests.fakes.telegram import FakeTelegram
from tests.fakes.twilio import FakeTwilio
from tests.processes import DOORSTEP
from tests.reso_support import SYSTEM, T0, Sleeps, feed_listings, feed_row, feeds_env, raw_rows, spread, sync
from tests.support import Platform

CODE = Path(__file__).resolve().parents[2]
SERVER_ERROR = (
    '/odata/Property answered 500: {"error": {"code": "InternalServerError", '
    '"message": "FakeMLS: Internal Server Error"}}'
)


@dataclass
class Tally:
    """What syncs got wrong against the server: keys never imported, keys kept twice at one version,
    listings not at the server's latest, and listings the server does not serve."""

    lost: list[str] = field(default_factory=list)
    doubled: list[str] = field(default_factory=list)
    stale: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)


async def tally(platform: Platform, fake: FakeReso) -> Tally:
    """Compare the feed's listings and raw rows with the server's records, key by key."""
    served = {record["ListingKey"]: record for record in fake.records}
    listings = await feed_listings(platform)
    versions = Counter((row.listing_key, row.modification_timestamp) for row in await raw_rows(platform))
    stale = [
        key
        for key, listing in listings.items()
        if key in served
        and (
            listing.feed_modification_timestamp,
            listing.list_price,
            listing.public_remarks,
            listing.standard_status,
        )
        != (
            parse_instant(served[key]["ModificationTimestamp"]),
            Decimal(served[key]["ListPrice"]),
            served[key]["PublicRemarks"],
            served[key]["StandardStatus"],
        )
    ]
    return Tally(
        lost=sorted(set(served) - set(listings)),
        doubled=sorted({str(key) for (key, _), n in versions.items() if n > 1}),
        stale=sorted(stale),
        unknown=sorted(set(listings) - set(served)),
    )


async def raw_per_key(platform: Platform) -> Counter[int]:
    """How many keys have 1, 2, ... raw rows (an unchanged feed read once has only ones)."""
    return Counter(Counter(row.listing_key for row in await raw_rows(platform)).values())


def on_data_request(fake: FakeReso, number: int, action: Callable[[], object]) -> None:
    """Run `action()` just before the feed answers its `number`th data request."""

    def hook(_fake: FakeReso, seen: int, _path: str) -> None:
        if seen == number:
            action()

    fake.on_request(hook)


def on_test_clock(fake: FakeReso, platform: Platform) -> None:
    """Record the feed's requests (and time its tokens) on the test's clock, in seconds."""
    fake.clock = lambda: platform.clock.now().timestamp()


@pytest.fixture
async def fake() -> AsyncIterator[FakeReso]:
    """A feed that pages by nextLink, 100 records a page."""
    async with FakeReso(page_size=100, max_top=100) as server:
        yield server


@pytest.fixture
async def platform(start_platform: PlatformStarter, fake: FakeReso) -> AsyncIterator[Platform]:
    """The platform with the fake feed configured, photos not fetched."""
    async with start_platform(RESO_FEEDS=feeds_env(fake, media=False)) as running:
        yield running


@dataclass
class ProbingSleeps(Sleeps):
    """Sleeps that, before each wait, ask another process's limiter of the same feed if it could send now."""

    other: Limiter | None = None
    other_process: list[str] = field(default_factory=list)

    async def __call__(self, seconds: float) -> None:
        assert self.other is not None
        try:
            await self.other.wait(self.clock.now() + timedelta(seconds=1))
            self.other_process.append("sent at once")
        except OutOfTime as waiting:
            self.other_process.append(str(waiting))
        await super().__call__(seconds)


async def never_sleep(seconds: float) -> None:
    """A limiter's sleep for a probe that only asks whether it may send."""
    raise AssertionError(f"the probe was made to sleep {seconds} s")


async def test_a_429_mid_sync_waits_as_told_pauses_every_process_and_finishes_with_each_record_once(
    platform: Platform, fake: FakeReso
) -> None:
    spread(fake, range(1, 251))
    on_data_request(fake, 2, lambda: fake.fail(429, retry_after=7))
    connection = Redis.from_url(REDIS_URL)
    (feed,) = platform.runtime.settings.reso_feeds
    other = Limiter(Throttle(connection, platform.clock), platform.clock, SYSTEM, feed.rates, never_sleep)
    sleeps = ProbingSleeps(platform.clock, other=other)

    try:
        report = await sync(platform, sleeps)
    finally:
        connection.close()

    assert sleeps.taken == [7.0]
    # While the sync waited, a second process's limiter of the same feed would also have had to wait 7 s.
    assert sleeps.other_process == ["the next request may only go in 7 s"]
    assert [r.status for r in fake.data_requests] == [200, 429, 200, 200]
    assert (report.counts, report.finished, report.error) == (Counter(created=250), True, None)
    assert await tally(platform, fake) == Tally()
    assert await raw_per_key(platform) == Counter({1: 250})


async def test_a_500_on_one_page_is_tried_again_after_a_second_and_the_sync_finishes(
    platform: Platform, fake: FakeReso
) -> None:
    spread(fake, range(1, 251))
    fake.fail_at(2, 500)
    sleeps = Sleeps(platform.clock)

    report = await sync(platform, sleeps)

    assert sleeps.taken == [1.0]
    assert [r.status for r in fake.data_requests] == [200, 500, 200, 200]
    assert (report.counts, report.finished, report.error) == (Counter(created=250), True, None)
    assert await tally(platform, fake) == Tally()
    assert await raw_per_key(platform) == Counter({1: 250})


async def test_a_page_that_fails_every_try_stops_the_sync_at_the_page_before_and_the_next_sync_mends_it(
    platform: Platform, fake: FakeReso
) -> None:
    spread(fake, range(1, 351))
    on_data_request(fake, 3, lambda: fake.fail(500, times=ATTEMPTS))
    sleeps = Sleeps(platform.clock)

    failed = await sync(platform, sleeps)

    assert sleeps.taken == [1.0, 2.0, 4.0, 8.0, 16.0]
    assert (failed.error, failed.finished, failed.counts) == (SERVER_ERROR, False, Counter(created=200))
    feed = await feed_row(platform)
    assert (feed.last_error, feed.last_success_at) == (SERVER_ERROR, None)
    assert (feed.cursor_timestamp, feed.cursor_key) == (T0 + timedelta(seconds=199), "FMLS0000200")
    assert sorted(await feed_listings(platform)) == [f"FMLS{n:07d}" for n in range(1, 201)]
    assert await raw_per_key(platform) == Counter({1: 200})

    platform.clock.advance(minutes=15)
    mended = await sync(platform)

    assert (mended.error, mended.finished, mended.counts) == (None, True, Counter(created=150))
    assert await tally(platform, fake) == Tally()
    assert await raw_per_key(platform) == Counter({1: 350})
    feed = await feed_row(platform)
    assert (feed.last_error, feed.last_success_at) == (None, platform.clock.now())


async def test_a_token_that_expires_mid_sync_is_renewed_once_and_the_sync_goes_on(
    platform: Platform, fake: FakeReso
) -> None:
    spread(fake, range(1, 251))
    on_data_request(fake, 2, fake.expire_tokens)

    report = await sync(platform)

    assert fake.tokens_issued == 2
    assert [r.status for r in fake.data_requests] == [200, 401, 200, 200]
    assert (report.counts, report.finished, report.error) == (Counter(created=250), True, None)
    assert await tally(platform, fake) == Tally()


async def test_credentials_the_server_no_longer_takes_stop_the_sync_before_anything_is_written(
    platform: Platform, fake: FakeReso
) -> None:
    spread(fake, range(1, 51))
    await sync(platform)
    spread(fake, range(51, 61), start=T0 + timedelta(hours=1))
    fake.client_secret = "rotated-by-the-mls"
    asked = len(fake.data_requests)
    rows = len(await raw_rows(platform))

    platform.clock.advance(minutes=15)
    report = await sync(platform)

    assert report.error == 'the token endpoint answered 401: {"error": "invalid_client"}'
    assert (report.counts, report.pages, report.finished) == (Counter(), 0, False)
    assert (len(fake.data_requests), len(await raw_rows(platform))) == (asked, rows)
    assert len(await feed_listings(platform)) == 50
    feed = await feed_row(platform)
    assert (feed.cursor_timestamp, feed.cursor_key, feed.last_error) == (
        T0 + timedelta(seconds=49),
        "FMLS0000050",
        report.error,
    )


async def test_two_requests_a_second_are_kept_by_waiting_half_a_second_for_each_beyond_the_burst(
    start_platform: PlatformStarter, fake: FakeReso
) -> None:
    rates = {"per_second": 2, "per_hour": 100_000, "per_day": 1_000_000}
    async with start_platform(RESO_FEEDS=feeds_env(fake, media=False, rates=rates)) as platform:
        spread(fake, range(1, 451))
        sleeps = Sleeps(platform.clock)

        report = await sync(platform, sleeps)

        # 5 pages, 5 requests: the bucket holds 2, which go at once; each of the other 3 waits for the
        # bucket to refill one token at 2 a second, 0.5 s: 3 x 0.5 s = 1.5 s in all.
        assert report.requests == len(fake.data_requests) == 5
        assert sleeps.taken == [0.5, 0.5, 0.5]
        assert sum(sleeps.taken) == (5 - 2) / 2
        assert (report.counts, report.finished) == (Counter(created=450), True)
        assert await tally(platform, fake) == Tally()


async def test_an_hourly_allowance_stops_a_run_early_and_later_runs_go_on_from_the_cursor(
    start_platform: PlatformStarter,
) -> None:
    rates = {"per_second": 50, "per_hour": 20, "per_day": 1_000_000}
    async with (
        FakeReso(page_size=10, max_top=10) as fake,
        start_platform(RESO_FEEDS=feeds_env(fake, media=False, rates=rates, run_seconds=1000)) as platform,
    ):
        on_test_clock(fake, platform)
        spread(fake, range(1, 256))

        first = await sync(platform)

        # The hour's bucket holds 2 and refills 18 an hour (one each 200 s): requests at 0, 0, 200 ... 1000 s.
        assert (first.requests, first.finished, first.error) == (7, False, None)
        assert (await feed_row(platform)).cursor_key == "FMLS0000070"
        runs = [first]
        platform.clock.advance(hours=1)
        while not runs[-1].finished:
            runs.append(await sync(platform))
            assert runs[-1].error is None
            platform.clock.advance(minutes=5)

        assert [run.requests for run in runs] == [7, 7, 6, 6]
        second_start = fake.data_requests[7].query["$filter"]
        assert second_start.endswith("ListingKey gt 'FMLS0000070')")
        times = [r.at for r in fake.data_requests]
        busiest = max(sum(start <= t <= start + 3600 for t in times) for start in times)
        # The busiest hour, from the second run's start, saw a full bucket's 2 and one each 200 s after.
        assert busiest == 19
        assert busiest <= 20
        assert await tally(platform, fake) == Tally()
        assert await raw_per_key(platform) == Counter({1: 255})


async def run_doorstep(env: dict[str, str], started: list[int], log: Path) -> tuple[int, str]:
    """`doorstep import-reso` as its own process, awaited without blocking the loop the fake serves on.

    The process imports the code beside these tests (PYTHONPATH), not whichever checkout was installed.
    """
    with log.open("wb") as errors:
        process = await asyncio.create_subprocess_exec(
            DOORSTEP,
            "import-reso",
            env={**os.environ, **env, "PYTHONPATH": str(CODE)},
            stdout=asyncio.subprocess.PIPE,
            stderr=errors,
        )
        started.append(process.pid)
        out, _ = await asyncio.wait_for(process.communicate(), timeout=120)
    assert process.returncode is not None
    return process.returncode, out.decode()


async def test_a_sync_killed_mid_feed_is_taken_over_by_the_next_which_ends_with_every_record_once(
    start_platform: PlatformStarter,
    fake: FakeReso,
    database_url: str,
    fake_telegram: FakeTelegram,
    fake_twilio: FakeTwilio,
    tmp_path: Path,
) -> None:
    resofeeds = feeds_env(fake, media=False)
    env = {**platform_settings(database_url, fake_telegram, fake_twilio), "RESO_FEEDS": resofeeds}
    started: list[int] = []
    on_data_request(fake, 4, lambda: os.kill(started[0], signal.SIGKILL))
    async with start_platform(RESO_FEEDS=resofeeds) as platform:
        spread(fake, range(1, 651))

        killed = await run_doorstep(env, started, tmp_path / "killed.log")

        assert killed == (-signal.SIGKILL, "")
        feed = await feed_row(platform)
        assert (feed.cursor_key, feed.last_finished_at) == ("FMLS0000300", None)
        assert feed.lease_holder is not None and f":{started[0]}:" in feed.lease_holder
        assert len(await feed_listings(platform)) == 300

        rerun = await run_doorstep(env, started, tmp_path / "rerun.log")

        assert rerun == (0, f"{SYSTEM}: 350 created in 4 page(s), 4 request(s); up to date.\n")
        assert await tally(platform, fake) == Tally()
        assert await raw_per_key(platform) == Counter({1: 650})
        feed = await feed_row(platform)
        assert (feed.lease_holder, feed.last_error, feed.imported) == (None, None, 650)


async def test_a_sync_without_redis_reports_it_and_writes_nothing_and_the_next_imports_everything(
    platform: Platform, fake: FakeReso
) -> None:
    spread(fake, range(1, 151))
    cut_off = build_runtime_without_redis(platform)
    adapters = cut_off.adapters()
    try:
        [failed] = await sync_feeds(cut_off, platform.sessions, adapters, sleep=Sleeps(platform.clock))
    finally:
        for adapter in adapters.values():
            await adapter.aclose()

    assert failed.error == "ConnectionError: Error 111 connecting to 127.0.0.1:1. Connection refused."
    assert (failed.counts, failed.requests, fake.data_requests) == (Counter(), 0, [])
    assert (await feed_listings(platform), await platform.rows(RawRecord)) == ({}, [])
    assert (await feed_row(platform)).last_error == failed.error

    platform.clock.advance(minutes=15)
    report = await sync(platform)

    assert (report.counts, report.error) == (Counter(created=150), None)
    assert await tally(platform, fake) == Tally()
    assert (await feed_row(platform)).last_error is None


def build_runtime_without_redis(platform: Platform) -> Runtime:
    """The platform's settings and clock over a Redis nobody answers on."""
    return build_runtime(platform.runtime.settings, clock=platform.clock, redis=unreachable_redis())


CHANGED_AT = T0 + timedelta(hours=1)


def change_record_50_before_page_2(fake: FakeReso) -> None:
    """Serve 250 records, and have the server re-put record 50 (read on page 1) later and cheaper just
    before it answers page 2, as an MLS agent editing a listing mid-sync does."""
    spread(fake, range(1, 251))
    changed = make_record(50, CHANGED_AT, PublicRemarks="Price cut mid-sync.", ListPrice=199000)
    on_data_request(fake, 2, lambda: fake.put(changed))


async def versions_of_record_50(platform: Platform) -> tuple[object, ...]:
    """The listing's applied version and price, then each raw row's version."""
    listing = (await feed_listings(platform))["FMLS0000050"]
    rows = [r.modification_timestamp for r in await raw_rows(platform) if r.listing_key == "FMLS0000050"]
    return listing.feed_modification_timestamp, listing.list_price, *rows


async def test_a_record_changed_between_pages_read_after_the_last_record_is_applied_once_and_none_lost(
    start_platform: PlatformStarter,
) -> None:
    async with (
        FakeReso(paging="skip", page_size=100, max_top=100) as fake,
        start_platform(RESO_FEEDS=feeds_env(fake, media=False)) as platform,
    ):
        change_record_50_before_page_2(fake)

        report = await sync(platform)

        assert (report.counts, report.finished, report.error) == (Counter(created=250, updated=1), True, None)
        assert await versions_of_record_50(platform) == (
            CHANGED_AT,
            Decimal(199000),
            T0 + timedelta(seconds=49),
            CHANGED_AT,
        )
        assert await tally(platform, fake) == Tally()
        assert await raw_per_key(platform) == Counter({1: 249, 2: 1})


async def test_a_record_changed_between_next_links_costs_one_record_that_reconciliation_brings_in(
    platform: Platform, fake: FakeReso
) -> None:
    change_record_50_before_page_2(fake)

    report = await sync(platform)

    # The next link's $skip=100 counts in a list that lost record 50 to its end: record 101, which slid
    # into page 1's last place, is never served to this sync, and is older than the cursor it leaves.
    assert (report.counts, report.finished, report.error) == (Counter(created=249, updated=1), True, None)
    assert await versions_of_record_50(platform) == (
        CHANGED_AT,
        Decimal(199000),
        T0 + timedelta(seconds=49),
        CHANGED_AT,
    )
    assert await tally(platform, fake) == Tally(lost=["FMLS0000101"])

    platform.clock.advance(minutes=15)
    mended = await sync(platform, reconcile=True)

    assert (mended.counts, mended.reconciled) == (Counter(created=1), True)
    assert await tally(platform, fake) == Tally()
    assert await raw_per_key(platform) == Counter({1: 249, 2: 1})


async def test_a_feed_told_not_to_follow_next_links_loses_nothing_to_a_record_changed_mid_sync(
    start_platform: PlatformStarter, fake: FakeReso
) -> None:
    async with start_platform(RESO_FEEDS=feeds_env(fake, media=False, follow_next_links=False)) as platform:
        change_record_50_before_page_2(fake)

        report = await sync(platform)

        assert (report.counts, report.finished, report.error) == (Counter(created=250, updated=1), True, None)
        assert await tally(platform, fake) == Tally()
        assert {r.query.get("$skip") for r in fake.data_requests} == {None}
