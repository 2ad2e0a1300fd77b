"""Operators' endpoints: /healthz tells what is unreachable; /metrics counts webhooks and messages."""

from __future__ import annotations

from tests.conftest import PlatformStarter, unreachable_redis
from tests.support import Platform


async def test_healthy_when_database_and_redis_answer(platform: Platform) -> None:
    response = await platform.client.get("/healthz")
    assert response.status == 200
    assert await response.json() == {"status": "ok", "database": "ok", "redis": "ok"}


async def test_unhealthy_names_what_is_down(start_platform: PlatformStarter) -> None:
    dead = unreachable_redis()
    async with start_platform(web_redis=dead) as platform:
        response = await platform.client.get("/healthz")
        assert response.status == 503
        assert await response.json() == {
            "status": "unavailable",
            "database": "ok",
            "redis": "error: ConnectionError",
        }


async def test_metrics_count_webhook_outcomes_and_outbox_rows(platform: Platform) -> None:
    await platform.converse("/start")
    await platform.post({"update_id": 1}, secret="forged")
    body = await (await platform.client.get("/metrics")).text()
    assert 'doorstep_webhook_requests_total{channel="telegram",outcome="accepted"} 1.0' in body
    assert 'doorstep_webhook_requests_total{channel="telegram",outcome="forbidden"} 1.0' in body
    assert 'doorstep_outbox_messages{status="sent"} 1.0' in body
    assert 'doorstep_inbound_messages{status="processed"} 1.0' in body
