"""Prometheus metrics of the web process, with row counts and each part's state read at scrape time."""

from __future__ import annotations

from datetime import datetime

from prometheus_client import CollectorRegistry, Counter, Gauge, generate_latest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.feeds.model import Feed
from core.message_log.model import InboundMessage, OutboxMessage


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
        self.up = Gauge("doorstep_up", "1 when the part answers, else 0", ["part"], registry=self.registry)
        self.workers = Gauge("doorstep_workers", "Job workers registered in Redis", registry=self.registry)
        self.feed_records = Gauge(
            "doorstep_feed_records",
            "Records each MLS feed has imported, withdrawn and failed (refused) since it first synced",
            ["feed", "outcome"],
            registry=self.registry,
        )
        self.feed_success = Gauge(
            "doorstep_feed_last_success_timestamp_seconds",
            "When each MLS feed last synced without an error",
            ["feed"],
            registry=self.registry,
        )
        self.last_sweep = Gauge(
            "doorstep_last_sweep_timestamp_seconds", "When the last sweep ended", registry=self.registry
        )

    def record_parts(
        self, database: bool, redis: bool, workers: int | None, last_sweep: datetime | None
    ) -> None:
        """Set the parts' gauges; what could not be read keeps its last value."""
        self.up.labels(part="database").set(int(database))
        self.up.labels(part="redis").set(int(redis))
        if workers is not None:
            self.workers.set(workers)
        if last_sweep is not None:
            self.last_sweep.set(last_sweep.timestamp())

    async def count_rows(self, session: AsyncSession) -> None:
        """Refresh the row counts by status, and each feed's record counts, from the database."""
        for gauge, model in ((self.outbox, OutboxMessage), (self.inbound, InboundMessage)):
            rows = await session.execute(select(model.status, func.count()).group_by(model.status))
            gauge.clear()
            for status, count in rows:
                gauge.labels(status=status).set(count)
        self.feed_records.clear()
        for feed in await session.scalars(select(Feed)):
            for outcome, count in (
                ("imported", feed.imported),
                ("withdrawn", feed.withdrawn),
                ("failed", feed.failed),
            ):
                self.feed_records.labels(feed=feed.name, outcome=outcome).set(count)
            if feed.last_success_at is not None:
                self.feed_success.labels(feed=feed.name).set(feed.last_success_at.timestamp())

    def render(self) -> bytes:
        """The exposition text."""
        return generate_latest(self.registry)
