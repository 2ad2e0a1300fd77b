"""GET /healthz (database and Redis reachability) and GET /metrics (Prometheus text)."""

from __future__ import annotations

import asyncio

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST
from sqlalchemy import text

from webhooks.state import STATE, WebState

CHECK_TIMEOUT_SECONDS = 3


async def healthz(request: web.Request) -> web.Response:
    """200 when the database and Redis answer, 503 naming what does not."""
    state = request.app[STATE]
    checks = {"database": await _check(_database(state)), "redis": await _check(_redis(state))}
    healthy = all(value == "ok" for value in checks.values())
    return web.json_response(
        {"status": "ok" if healthy else "unavailable", **checks}, status=200 if healthy else 503
    )


async def metrics(request: web.Request) -> web.Response:
    """Prometheus exposition of the web process."""
    state = request.app[STATE]
    async with state.sessions() as session:
        body = await state.metrics.render(session)
    return web.Response(body=body, headers={"Content-Type": CONTENT_TYPE_LATEST})


async def _database(state: WebState) -> None:
    async with state.sessions() as session:
        await session.execute(text("SELECT 1"))


async def _redis(state: WebState) -> None:
    await asyncio.to_thread(state.redis.ping)


async def _check(probe: object) -> str:
    try:
        await asyncio.wait_for(probe, CHECK_TIMEOUT_SECONDS)  # type: ignore[arg-type]
    except Exception as exc:
        return f"error: {type(exc).__name__}"
    return "ok"
