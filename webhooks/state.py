"""What the web handlers share, kept under one typed aiohttp AppKey."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from aiohttp import web
from redis import Redis
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bots.channels.base import ChannelAdapter
from bots.channels.twilio_form import TwilioSignature
from bots.intake import Conversations
from webhooks.metrics import Metrics


class Deliveries(Protocol):
    """Where new outbox rows are handed over for delivery."""

    def deliver(self, outbox_ids: Sequence[int]) -> None:
        """Queue the rows for delivery, in order."""
        ...


@dataclass(frozen=True)
class WebState:
    """Connections, adapters and webhook credentials of the web process, built once at start-up."""

    sessions: async_sessionmaker[AsyncSession]
    redis: Redis
    conversations: Conversations
    deliveries: Deliveries
    adapters: Mapping[str, ChannelAdapter]
    public_base_url: str
    telegram_secret: str | None
    twilio_signature: TwilioSignature | None
    metrics: Metrics


STATE = web.AppKey("state", WebState)
