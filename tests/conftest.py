"""Fixtures: real PostgreSQL and Redis (never skipped), SQLite on demand, the fake Telegram, a clock."""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient, TestServer
from redis import Redis
from redis.backoff import NoBackoff
from redis.retry import Retry
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from core.clock import ManualClock
from core.db import create_engine, session_factory
from core.schema import Base
from doorstep.bootstrap import build_runtime, web_app
from doorstep.database import migrate
from doorstep.seed import seed_demo_listings
from doorstep.settings import load_settings
from jobs import context
from tests.fakes.telegram import FakeTelegram
from tests.fakes.twilio import FakeTwilio
from tests.support import OTP_SECRET, PUBLIC_BASE_URL, SMS_FROM, WEBHOOK_SECRET, WHATSAPP_FROM, Platform

pytest_plugins = ["tests.network_guard"]

PG_ADMIN_URL = os.environ.get("TEST_PG_ADMIN_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres")
PG_DATABASE = os.environ.get("TEST_PG_DATABASE", "doorstep_test")
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
START = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)


def _pg_url(database: str) -> str:
    return PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + database


async def _recreate_pg_database() -> None:
    engine = create_async_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    try:
        async with engine.connect() as connection:
            await connection.execute(text(f'DROP DATABASE IF EXISTS "{PG_DATABASE}" WITH (FORCE)'))
            await connection.execute(text(f'CREATE DATABASE "{PG_DATABASE}"'))
    except OSError as exc:
        raise RuntimeError(
            f"PostgreSQL is needed for the tests and is not reachable at {PG_ADMIN_URL}"
        ) from exc
    finally:
        await engine.dispose()


@pytest.fixture(scope="session")
def postgres_url() -> str:
    """A freshly created and migrated PostgreSQL database for this test run."""
    asyncio.run(_recreate_pg_database())
    url = _pg_url(PG_DATABASE)
    migrate(url)
    return url


@pytest.fixture
def backend() -> str:
    """Which database a test runs on; parametrize `backend` to run one on SQLite too."""
    return "postgresql"


@pytest.fixture
async def database_url(backend: str, postgres_url: str, tmp_path: Path) -> AsyncIterator[str]:
    """An empty, migrated database of the test's backend."""
    if backend == "sqlite":
        url = f"sqlite+aiosqlite:///{tmp_path / 'doorstep.db'}"
        await asyncio.to_thread(migrate, url)
        yield url
        return
    engine = create_engine(postgres_url, pooled=False)
    async with engine.begin() as connection:
        names = ", ".join(table.name for table in Base.metadata.sorted_tables)
        await connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    await engine.dispose()
    yield postgres_url


@pytest.fixture
def redis_connection() -> Iterator[Redis]:
    """Real Redis, flushed before and after the test."""
    connection = Redis.from_url(REDIS_URL)
    try:
        connection.flushdb()
    except Exception as exc:
        raise RuntimeError(f"Redis is needed for the tests and is not reachable at {REDIS_URL}") from exc
    yield connection
    connection.flushdb()
    connection.close()


def unreachable_redis() -> Redis:
    """A Redis client pointed at a closed port, failing at once without retries."""
    return Redis(host="127.0.0.1", port=1, socket_connect_timeout=0.2, retry=Retry(NoBackoff(), 0))


@pytest.fixture
def clock() -> ManualClock:
    """A clock that moves only when the test says."""
    return ManualClock(START)


@pytest.fixture
async def fake_telegram() -> AsyncIterator[FakeTelegram]:
    """The fake Telegram Bot API on a local port."""
    async with FakeTelegram() as telegram:
        yield telegram


def platform_settings(database_url: str, telegram: FakeTelegram, twilio: FakeTwilio) -> dict[str, str]:
    """The environment the platform under test runs with: every channel, each on its fake provider."""
    return {
        "DATABASE_URL": database_url,
        "REDIS_URL": REDIS_URL,
        "PUBLIC_BASE_URL": PUBLIC_BASE_URL,
        "TELEGRAM_BOT_TOKEN": telegram.token,
        "TELEGRAM_WEBHOOK_SECRET": WEBHOOK_SECRET,
        "OTP_SECRET": OTP_SECRET,
        "TELEGRAM_API_BASE_URL": telegram.base_url,
        "TWILIO_ACCOUNT_SID": twilio.account_sid,
        "TWILIO_AUTH_TOKEN": twilio.auth_token,
        "TWILIO_SMS_FROM": SMS_FROM,
        "TWILIO_WHATSAPP_FROM": WHATSAPP_FROM,
        "TWILIO_API_BASE_URL": twilio.base_url,
    }


@pytest.fixture
async def fake_twilio() -> AsyncIterator[FakeTwilio]:
    """The fake Twilio REST API on a local port."""
    async with FakeTwilio() as twilio:
        yield twilio


@asynccontextmanager
async def running_platform(
    database_url: str,
    web_redis: Redis,
    fake_telegram: FakeTelegram,
    clock: ManualClock,
    jobs_redis: Redis,
    fake_twilio: FakeTwilio,
    **overrides: str,
) -> AsyncIterator[Platform]:
    """The web app on a test server over `web_redis`, jobs installed over `jobs_redis`, listings seeded."""
    settings = load_settings({**platform_settings(database_url, fake_telegram, fake_twilio), **overrides})
    runtime = build_runtime(settings, clock=clock, redis=web_redis)
    jobs_runtime = build_runtime(settings, clock=clock, redis=jobs_redis)
    context.install(jobs_runtime)
    engine = create_engine(database_url)
    sessions = session_factory(engine)
    async with sessions() as session, session.begin():
        await seed_demo_listings(session, clock.now())
    client = TestClient(TestServer(web_app(runtime)))
    await client.start_server()
    try:
        yield Platform(jobs_runtime, client, fake_telegram.emulator, sessions, clock, fake_twilio)
    finally:
        await client.close()
        await engine.dispose()
        await asyncio.to_thread(context.close_all)


PlatformStarter = Callable[..., AbstractAsyncContextManager[Platform]]


@pytest.fixture
def start_platform(
    database_url: str,
    redis_connection: Redis,
    fake_telegram: FakeTelegram,
    fake_twilio: FakeTwilio,
    clock: ManualClock,
) -> PlatformStarter:
    """Start the platform with another Redis for the web process or other settings, as keywords."""

    def start(web_redis: Redis | None = None, **overrides: str) -> AbstractAsyncContextManager[Platform]:
        return running_platform(
            database_url,
            web_redis or redis_connection,
            fake_telegram,
            clock,
            redis_connection,
            fake_twilio,
            **overrides,
        )

    return start


@pytest.fixture
async def platform(start_platform: PlatformStarter) -> AsyncIterator[Platform]:
    """The whole platform over real services and the fake Telegram and Twilio."""
    async with start_platform() as running:
        yield running
