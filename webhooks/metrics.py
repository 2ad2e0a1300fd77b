"""Prometheus metrics of the web process, and message counts read from the database at scrape time."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, generate_latest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.models import InboundMessage, OutboxMessage


class Metrics:
    """One registry per app, so several apps in one process (tests) do not collide."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.webhooks = Counter(
            "doorstep_webhook_requests",
            "Webhook requests by channel and outcome",
            ["channel", "outcome"],
            registry=self.registry,
        )
        self.outbox = Gauge(
            "doorstep_outbox_messages", "Outbox rows by status", ["status"], registry=self.registry
        )
        self.inbound = Gauge(
            "doorstep_inbound_messages", "Inbound rows by status", ["status"], registry=self.registry
        )

    async def render(self, session: AsyncSession) -> bytes:
        """The exposition text, with row counts refreshed from the database."""
        for gauge, model in ((self.outbox, OutboxMessage), (self.inbound, InboundMessage)):
            rows = await session.execute(select(model.status, func.count()).group_by(model.status))
            gauge.clear()
            for status, count in rows:
                gauge.labels(status=status).set(count)
        return generate_latest(self.registry)
