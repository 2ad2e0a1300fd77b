"""MLS feeds as an operator runs them: `doorstep import-reso`, `doorstep admin feeds`, /metrics, the cron."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from datetime import timedelta
from functools import partial

import pytest
from prometheus_client.utils import floatToGoString
from sqlalchemy import delete

from core.feeds.model import Feed
from core.listings.model import Listing
from doorstep import cli
from doorstep.feed_settings import parse_feeds
from jobs.feeds import feeds_timeout, sync_due_feeds
from jobs.worker import run_cron, supervised_parts
from tests.conftest import PlatformStarter, platform_settings
from tests.fakes.reso import TOKEN_PATH, FakeReso
from tests.fakes.reso_records import make_record
from tests.fakes.telegram import FakeTelegram
from tests.fakes.twilio import FakeTwilio
from tests.reso_support import SYSTEM, T0, feed_config, feed_listings, feed_row, feeds_env, spread, sync
from tests.support import Platform

NEVER = "NeverMLS"
FAILED = (
    '/odata/Property answered 500: {"error": {"code": "InternalServerError", '
    '"message": "FakeMLS: Internal Server Error"}}'
)


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


@pytest.fixture
def operator_env(
    platform: Platform,
    database_url: str,
    fake_telegram: FakeTelegram,
    fake_twilio: FakeTwilio,
    fake: FakeReso,
    monkeypatch: pytest.MonkeyPatch,
) -> pytest.MonkeyPatch:
    """The environment `doorstep` commands run with: the platform's, and RESO_FEEDS naming the fake feed."""
    for name, value in platform_settings(database_url, fake_telegram, fake_twilio).items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("RESO_FEEDS", feeds_env(fake, media=False))
    return monkeypatch


async def doorstep(*argv: str) -> None:
    """Run the `doorstep` command as an operator would, off the test's event loop."""
    await asyncio.to_thread(cli.main, list(argv))


async def refused(*argv: str) -> str:
    """The message `doorstep` exits with."""
    with pytest.raises(SystemExit) as exit_:
        await doorstep(*argv)
    return str(exit_.value)


async def test_import_reso_syncs_the_feed_and_prints_one_line_for_it(
    platform: Platform, fake: FakeReso, operator_env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    spread(fake, range(1, 6))

    await doorstep("import-reso")

    assert capsys.readouterr().out == "FakeMLS: 5 created in 1 page(s), 1 request(s); up to date.\n"
    assert sorted(await feed_listings(platform)) == [f"FMLS000000{n}" for n in range(1, 6)]

    await doorstep("import-reso", "--feed", SYSTEM, "--reconcile")

    assert (
        capsys.readouterr().out
        == "FakeMLS: no records in 1 page(s), 2 request(s); up to date; keys reconciled.\n"
    )


async def test_import_reso_reconciles_when_the_period_has_passed_unless_told_not_to(
    platform: Platform, fake: FakeReso, operator_env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    operator_env.setenv("RESO_FEEDS", feeds_env(fake, media=False, reconcile_hours=24))
    spread(fake, range(1, 4))

    await doorstep("import-reso", "--no-reconcile")
    await doorstep("import-reso")
    await doorstep("import-reso")

    assert capsys.readouterr().out.splitlines() == [
        "FakeMLS: 3 created in 1 page(s), 1 request(s); up to date.",
        "FakeMLS: no records in 1 page(s), 2 request(s); up to date; keys reconciled.",
        "FakeMLS: no records in 1 page(s), 1 request(s); up to date.",
    ]


async def test_import_reso_refuses_what_it_cannot_do_saying_why(
    platform: Platform, fake: FakeReso, operator_env: pytest.MonkeyPatch
) -> None:
    assert await refused("import-reso", "--feed", "Unknown") == (
        "doorstep import-reso: no feed is configured as Unknown; RESO_FEEDS has ['FakeMLS']"
    )
    assert await refused("import-reso", "--replay") == (
        "doorstep import-reso: --replay needs the one feed to replay, e.g. --replay --feed LeedsMLS"
    )
    operator_env.delenv("RESO_FEEDS")
    assert await refused("import-reso") == (
        "doorstep import-reso: no feed is configured: set RESO_FEEDS (see the README, 'MLS feeds')"
    )
    assert fake.requests == []


async def test_import_reso_exits_with_the_error_when_the_feed_fails(
    platform: Platform, fake: FakeReso, operator_env: pytest.MonkeyPatch
) -> None:
    spread(fake, range(1, 6))
    fake.fail(500, times=100, path=TOKEN_PATH)

    message = await refused("import-reso")

    assert message == (
        "doorstep import-reso: FakeMLS: no records in 0 page(s), 0 request(s); stopped before the end; "
        "the next sync goes on from there. Error: the token endpoint answered 500: "
        '{"error": {"code": "InternalServerError", "message": "FakeMLS: Internal Server Error"}}'
    )
    assert await feed_listings(platform) == {}
    assert (await feed_row(platform)).last_error == (
        'the token endpoint answered 500: {"error": {"code": "InternalServerError", '
        '"message": "FakeMLS: Internal Server Error"}}'
    )


async def test_replay_brings_back_every_home_from_the_kept_records_without_asking_the_feed(
    platform: Platform, fake: FakeReso, operator_env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    spread(fake, range(1, 8))
    await sync(platform)
    keys = {key: listing.listing_key for key, listing in (await feed_listings(platform)).items()}
    async with platform.sessions() as session, session.begin():
        await session.execute(delete(Listing).where(Listing.originating_system_name == SYSTEM))
    assert await feed_listings(platform) == {}
    asked = len(fake.requests)

    await doorstep("import-reso", "--replay", "--feed", SYSTEM)

    assert capsys.readouterr().out == "FakeMLS replayed: 7 created.\n"
    listings = await feed_listings(platform)
    assert {key: listing.listing_key for key, listing in listings.items()} == keys
    assert {listing.standard_status for listing in listings.values()} == {"Active"}
    assert len(fake.requests) == asked


def two_feeds_env(fake: FakeReso) -> str:
    """RESO_FEEDS with the fake feed and one that has never synced."""
    never = feed_config(fake, originating_system_name=NEVER, client_secret="never-secret")
    return json.dumps([feed_config(fake, media=False), never])


async def test_admin_feeds_shows_each_feed_as_it_stands(
    platform: Platform, fake: FakeReso, operator_env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    operator_env.setenv("RESO_FEEDS", two_feeds_env(fake))
    spread(fake, range(1, 4))
    fake.put(make_record(4, T0 + timedelta(minutes=1), ListPrice="N/A"))
    await sync(platform)
    async with platform.sessions() as session, session.begin():
        session.add(Feed(name="OldMLS", last_run={}, imported=12, withdrawn=3, failed=0))

    await doorstep("admin", "feeds")

    assert capsys.readouterr().out == (
        "FakeMLS\n"
        "  cursor:          2026-11-01 09:01:00 UTC after key FMLS0000004\n"
        "  last run:        2026-11-20 10:00:00 UTC to 2026-11-20 10:00:00 UTC (3 created, 1 rejected)\n"
        "  last success:    2026-11-20 10:00:00 UTC\n"
        "  last reconciled: never\n"
        "  in all:          3 imported, 0 withdrawn, 1 failed\n"
        "  last error:      none\n"
        "\n"
        "NeverMLS\n"
        "  never synced\n"
        "\n"
        "OldMLS (no longer configured)\n"
        "  cursor:          the start\n"
        "  last run:        never to never (nothing)\n"
        "  last success:    never\n"
        "  last reconciled: never\n"
        "  in all:          12 imported, 3 withdrawn, 0 failed\n"
        "  last error:      none\n"
    )


async def test_admin_feeds_shows_why_the_last_sync_failed(
    platform: Platform, fake: FakeReso, operator_env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    spread(fake, range(1, 4))
    await sync(platform)
    platform.clock.advance(minutes=15)
    fake.fail(500, times=100)

    report = await sync(platform)

    assert report.error == FAILED
    await doorstep("admin", "feeds")
    assert capsys.readouterr().out == (
        "FakeMLS\n"
        "  cursor:          2026-11-01 09:00:02 UTC after key FMLS0000003\n"
        "  last run:        2026-11-20 10:15:00 UTC to 2026-11-20 10:15:31 UTC (nothing)\n"
        "  last success:    2026-11-20 10:00:00 UTC\n"
        "  last reconciled: never\n"
        "  in all:          3 imported, 0 withdrawn, 0 failed\n"
        f"  last error:      {FAILED}\n"
    )


async def test_metrics_count_each_feeds_records_and_its_last_success(
    platform: Platform, fake: FakeReso
) -> None:
    spread(fake, range(1, 6))
    fake.put(make_record(6, T0 + timedelta(minutes=1), ListPrice="N/A"))
    fake.put(make_record(7, T0 + timedelta(minutes=2), StandardStatus="Sold-ish"))
    await sync(platform)
    fake.put(make_record(1, T0 + timedelta(hours=1), StandardStatus="Delete"))
    fake.put(make_record(2, T0 + timedelta(hours=1, seconds=1), ListPrice=199000))
    platform.clock.advance(minutes=20)
    await sync(platform)

    body = await (await platform.client.get("/metrics")).text()

    assert 'doorstep_feed_records{feed="FakeMLS",outcome="imported"} 6.0' in body
    assert 'doorstep_feed_records{feed="FakeMLS",outcome="failed"} 2.0' in body
    assert 'doorstep_feed_records{feed="FakeMLS",outcome="withdrawn"} 1.0' in body
    success = floatToGoString(platform.clock.now().timestamp())
    assert f'doorstep_feed_last_success_timestamp_seconds{{feed="FakeMLS"}} {success}' in body


def test_the_worker_runs_the_feed_syncs_with_time_for_every_feed_only_when_feeds_are_configured(
    platform: Platform, fake: FakeReso
) -> None:
    feeds = parse_feeds(
        [feed_config(fake, run_seconds=120), feed_config(fake, originating_system_name=NEVER)]
    )
    assert (feeds_timeout(()), feeds_timeout(feeds)) == (None, 120 + 600 + 300)

    parts = supervised_parts(platform.runtime.queues, feeds_timeout=feeds_timeout(feeds))

    assert [part.name for part in parts] == ["jobs", "scheduler", "sweep"]
    cron = parts[2].run
    assert isinstance(cron, partial)
    assert (cron.func, cron.keywords) == (run_cron, {"feeds_timeout": 1020})
    without = supervised_parts(platform.runtime.queues, cron=False, feeds_timeout=1020)
    assert [part.name for part in without] == ["jobs", "scheduler"]


async def test_the_cron_job_syncs_a_due_feed_once_per_interval(platform: Platform, fake: FakeReso) -> None:
    spread(fake, range(1, 4))

    synced = await cron_run(platform)

    assert synced == ["FakeMLS: 3 created in 1 page(s), 1 request(s); up to date."]
    asked = len(fake.data_requests)
    platform.clock.advance(minutes=14, seconds=59)
    assert await cron_run(platform) == []
    assert len(fake.data_requests) == asked
    platform.clock.advance(seconds=1)
    assert await cron_run(platform) == ["FakeMLS: no records in 1 page(s), 1 request(s); up to date."]
    assert len(fake.data_requests) == asked + 1
    assert len(await feed_listings(platform)) == 3


async def cron_run(platform: Platform) -> object:
    """What `sync_due_feeds` returns when the worker runs it from the low queue, as the cron enqueues it."""
    job = platform.runtime.queues.low.enqueue(sync_due_feeds)
    assert await platform.run_jobs()
    return job.return_value()
