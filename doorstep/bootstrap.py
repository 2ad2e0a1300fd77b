"""The composition root: the one place that turns settings into connections, queues and adapters."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import fakeredis
from aiohttp import web
from redis import Redis
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bots.channels.base import ChannelAdapter
from bots.channels.telegram import TelegramAdapter
from bots.intake import Conversations
from bots.texts import Texts
from core.clock import Clock, SystemClock
from core.db import create_engine, session_factory
from core.models import Channel
from doorstep.settings import Settings, load_settings
from jobs.queues import JobQueues
from webhooks.app import STATE, WebState, build_app
from webhooks.metrics import Metrics


@dataclass
class Runtime:
    """Settings plus everything that may be shared across event loops: clock, Redis, queues, texts."""

    settings: Settings
    clock: Clock
    redis: Redis
    queues: JobQueues
    texts: Texts = field(repr=False)

    def adapters(self) -> dict[str, ChannelAdapter]:
        """Fresh channel adapters; each holds HTTP clients bound to the event loop that first uses them."""
        settings = self.settings
        telegram = TelegramAdapter(
            settings.telegram_bot_token.get_secret_value(), settings.telegram_api_base_url
        )
        return {telegram.channel: telegram}

    def conversations(
        self, sessions: async_sessionmaker[AsyncSession], adapters: dict[str, ChannelAdapter]
    ) -> Conversations:
        """Conversation processing over the given connections."""
        return Conversations(
            sessions=sessions,
            clock=self.clock,
            texts=self.texts,
            adapters=adapters,
            default_locale=self.settings.default_locale,
            default_timezone=self.settings.default_timezone,
        )


def connect_redis(settings: Settings) -> Redis:
    """Redis at REDIS_URL, or an in-process stand-in for memory:// (the embedded mode)."""
    if settings.uses_memory_redis:
        return fakeredis.FakeRedis(server=fakeredis.FakeServer())
    return Redis.from_url(
        settings.redis_url, socket_connect_timeout=2, socket_timeout=5, health_check_interval=30
    )


def build_runtime(settings: Settings, *, clock: Clock | None = None, redis: Redis | None = None) -> Runtime:
    """Wire a runtime from validated settings; connections open lazily, on first use."""
    connection = redis if redis is not None else connect_redis(settings)
    return Runtime(
        settings=settings,
        clock=clock or SystemClock(),
        redis=connection,
        queues=JobQueues(connection),
        texts=Texts(settings.default_locale),
    )


def runtime_from_environment() -> Runtime:
    """A runtime from this process's environment variables."""
    return build_runtime(load_settings(os.environ))


def web_app(runtime: Runtime) -> web.Application:
    """The web application over `runtime`, opening the database engine for the app's lifetime."""

    async def connections(app: web.Application) -> AsyncIterator[None]:
        engine = create_engine(runtime.settings.database_url)
        sessions = session_factory(engine)
        adapters = runtime.adapters()
        telegram = adapters[Channel.TELEGRAM]
        assert isinstance(telegram, TelegramAdapter)
        app[STATE] = WebState(
            sessions=sessions,
            redis=runtime.redis,
            conversations=runtime.conversations(sessions, adapters),
            deliveries=runtime.queues,
            telegram=telegram,
            telegram_secret=runtime.settings.telegram_webhook_secret.get_secret_value(),
            metrics=Metrics(),
        )
        yield
        for adapter in adapters.values():
            await adapter.aclose()
        await engine.dispose()

    return build_app(connections)
