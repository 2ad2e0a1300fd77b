"""The composition root: the one place that turns settings into connections, queues and adapters."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import fakeredis
from aiohttp import web
from redis import Redis
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

import core.schema  # noqa: F401  (every table is registered before the first session opens)
from bots.channels.base import ChannelAdapter
from bots.channels.photos import ChannelPhotos
from bots.channels.sms import SmsAdapter
from bots.channels.telegram import TelegramAdapter
from bots.channels.telegram_files import TelegramFiles
from bots.channels.twilio_form import TwilioSignature
from bots.channels.twilio_media import TwilioMedia
from bots.channels.twilio_sender import TwilioSender
from bots.channels.whatsapp import WhatsAppAdapter
from bots.flows.catalog import FLOWS
from bots.intake import Conversations
from bots.outbound.throttle import Throttle
from bots.photos import PhotoSource
from bots.texts import Texts
from core.clock import Clock, SystemClock
from core.db import create_engine, session_factory
from core.people.model import Channel
from doorstep.settings import Settings, load_settings
from jobs.queues import JobQueues
from webhooks.app import STATE, TWILIO_STATUS_PATH, WebState, build_app
from webhooks.metrics import Metrics


@dataclass
class Runtime:
    """Settings plus everything that may be shared across event loops: clock, Redis, queues, texts."""

    settings: Settings
    clock: Clock
    redis: Redis
    queues: JobQueues
    texts: Texts = field(repr=False)
    throttle: Throttle = field(repr=False)

    def adapters(self) -> dict[str, ChannelAdapter]:
        """Fresh adapters of the configured channels; their HTTP clients bind to the loop that uses them."""
        settings = self.settings
        adapters: dict[str, ChannelAdapter] = {}
        if settings.telegram_bot_token is not None:
            token = settings.telegram_bot_token.get_secret_value()
            adapters[Channel.TELEGRAM] = TelegramAdapter(token, settings.telegram_api_base_url)
        if settings.twilio_account_sid and settings.twilio_auth_token is not None:
            sender = TwilioSender(
                settings.twilio_account_sid,
                settings.twilio_auth_token.get_secret_value(),
                settings.twilio_api_base_url,
                f"{settings.public_base_url}{TWILIO_STATUS_PATH}",
                self.redis,
            )
            region = settings.default_region
            if settings.twilio_sms_from:
                adapters[Channel.SMS] = SmsAdapter(
                    sender, settings.twilio_sms_from, region, settings.twilio_sms_rate
                )
            if settings.twilio_whatsapp_from:
                adapters[Channel.WHATSAPP] = WhatsAppAdapter(
                    sender, settings.twilio_whatsapp_from, region, settings.twilio_whatsapp_rate
                )
        return adapters

    def photos(self, adapters: dict[str, ChannelAdapter]) -> ChannelPhotos:
        """Fetching the photos people send, through the Telegram adapter's bot and Twilio's credentials."""
        settings = self.settings
        telegram = adapters.get(Channel.TELEGRAM)
        twilio = None
        if settings.twilio_account_sid and settings.twilio_auth_token is not None:
            token = settings.twilio_auth_token.get_secret_value()
            twilio = TwilioMedia(settings.twilio_account_sid, token, settings.twilio_api_base_url)
        return ChannelPhotos(
            TelegramFiles(telegram) if isinstance(telegram, TelegramAdapter) else None, twilio
        )

    def conversations(
        self,
        sessions: async_sessionmaker[AsyncSession],
        adapters: dict[str, ChannelAdapter],
        photos: PhotoSource,
    ) -> Conversations:
        """Conversation processing over the given connections."""
        return Conversations(
            sessions=sessions,
            clock=self.clock,
            texts=self.texts,
            flows=FLOWS,
            adapters=adapters,
            default_locale=self.settings.default_locale,
            default_timezone=self.settings.default_timezone,
            default_region=self.settings.default_region,
            otp_secret=self.settings.otp_secret.get_secret_value().encode(),
            public_base_url=self.settings.public_base_url,
            photos=photos,
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
    clock = clock or SystemClock()
    return Runtime(
        settings=settings,
        clock=clock,
        redis=connection,
        queues=JobQueues(connection),
        texts=Texts(settings.default_locale, settings.default_region),
        throttle=Throttle(connection, clock),
    )


def runtime_from_environment() -> Runtime:
    """A runtime from this process's environment variables."""
    return build_runtime(load_settings(os.environ))


def web_app(runtime: Runtime) -> web.Application:
    """The web application over `runtime`, opening the database engine for the app's lifetime."""
    settings = runtime.settings

    async def connections(app: web.Application) -> AsyncIterator[None]:
        engine = create_engine(settings.database_url)
        sessions = session_factory(engine)
        adapters = runtime.adapters()
        photos = runtime.photos(adapters)
        secret = settings.telegram_webhook_secret
        token = settings.twilio_auth_token
        app[STATE] = WebState(
            sessions=sessions,
            redis=runtime.redis,
            conversations=runtime.conversations(sessions, adapters, photos),
            deliveries=runtime.queues,
            adapters=adapters,
            public_base_url=settings.public_base_url,
            telegram_secret=secret.get_secret_value() if secret else None,
            twilio_signature=TwilioSignature(token.get_secret_value()) if token else None,
            metrics=Metrics(),
        )
        yield
        await photos.aclose()
        for adapter in adapters.values():
            await adapter.aclose()
        await engine.dispose()

    return build_app(connections)
