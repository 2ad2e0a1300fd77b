"""GET /healthz (each part's state) and GET /metrics (Prometheus text)."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST
from redis import Redis
from rq import Worker
from sqlalchemy import text

from jobs.queues import LAST_SWEEP_KEY
from webhooks.state import STATE, WebState

CHECK_TIMEOUT_SECONDS = 3
SWEEP_LATE_SECONDS = 60


@dataclass(frozen=True)
class Parts:
    """What /healthz and /metrics report: each connection, the live workers and the last sweep."""

    database: str
    redis: str
    workers: int | None
    last_sweep: datetime | None

    def status(self, now: datetime) -> str:
        """unavailable: webhooks can't be kept; degraded: they are kept but answers may wait; else ok."""
        if self.database != "ok":
            return "unavailable"
        if self.redis != "ok" or not self.workers or self.sweep_age(now) is None:
            return "degraded"
        age = self.sweep_age(now)
        return "degraded" if age is not None and age > SWEEP_LATE_SECONDS else "ok"

    def sweep_age(self, now: datetime) -> float | None:
        """Seconds since the last sweep ended, None when none is known."""
        return None if self.last_sweep is None else max(0.0, (now - self.last_sweep).total_seconds())


async def healthz(request: web.Request) -> web.Response:
    """200 while webhooks can be kept (status ok or degraded), 503 when the database is unreachable."""
    state = request.app[STATE]
    parts = await read_parts(state)
    now = state.conversations.clock.now()
    status = parts.status(now)
    age = parts.sweep_age(now)
    body: dict[str, Any] = {
        "status": status,
        "database": parts.database,
        "redis": parts.redis,
        "workers": parts.workers,
        "last_sweep": parts.last_sweep.isoformat() if parts.last_sweep else None,
        "last_sweep_age_seconds": round(age, 1) if age is not None else None,
    }
    return web.json_response(body, status=503 if status == "unavailable" else 200)


async def metrics(request: web.Request) -> web.Response:
    """Prometheus exposition of the web process, with each part's state."""
    state = request.app[STATE]
    parts = await read_parts(state)
    state.metrics.record_parts(parts.database == "ok", parts.redis == "ok", parts.workers, parts.last_sweep)
    if parts.database == "ok":
        async with state.sessions() as session:
            await state.metrics.count_rows(session)
    return web.Response(body=state.metrics.render(), headers={"Content-Type": CONTENT_TYPE_LATEST})


async def read_parts(state: WebState) -> Parts:
    """Probe the database and Redis, and read the workers and the last sweep from Redis."""
    database, redis = await asyncio.gather(_check(_database(state)), _check(_ping(state.redis)))
    workers, last_sweep = None, None
    if redis == "ok":
        try:
            workers, last_sweep = await asyncio.wait_for(
                asyncio.to_thread(_workers_and_sweep, state.redis), CHECK_TIMEOUT_SECONDS
            )
        except Exception as exc:
            redis = f"error: {type(exc).__name__}"
    return Parts(database, redis, workers, last_sweep)


def _workers_and_sweep(redis: Redis) -> tuple[int, datetime | None]:
    workers = Worker.count(connection=redis)
    raw = redis.get(LAST_SWEEP_KEY)
    text_value = raw.decode() if isinstance(raw, bytes) else raw
    return workers, datetime.fromisoformat(text_value) if text_value else None


async def _database(state: WebState) -> None:
    async with state.sessions() as session:
        await session.execute(text("SELECT 1"))


async def _ping(redis: Redis) -> None:
    await asyncio.to_thread(redis.ping)


async def _check(probe: Any) -> str:
    try:
        await asyncio.wait_for(probe, CHECK_TIMEOUT_SECONDS)
    except Exception as exc:
        return f"error: {type(exc).__name__}"
    return "ok"
