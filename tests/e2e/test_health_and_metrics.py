"""Operators' endpoints: /healthz tells what is unreachable; /metrics counts webhooks and messages."""

from __future__ import annotations

from rq import Worker

from tests.conftest import PlatformStarter, unreachable_redis
from tests.support import Platform


async def test_degraded_until_a_worker_runs_and_a_sweep_has_ended(platform: Platform) -> None:
    response = await platform.client.get("/healthz")
    assert response.status == 200
    assert await response.json() == {
        "status": "degraded",
        "database": "ok",
        "redis": "ok",
        "workers": 0,
        "last_sweep": None,
        "last_sweep_age_seconds": None,
    }


async def test_healthy_with_a_live_worker_and_a_recent_sweep(platform: Platform) -> None:
    worker = Worker(platform.runtime.queues.all(), connection=platform.runtime.redis)
    worker.register_birth()
    await platform.sweep()
    platform.clock.advance(seconds=60)
    response = await platform.client.get("/healthz")
    assert response.status == 200
    assert await response.json() == {
        "status": "ok",
        "database": "ok",
        "redis": "ok",
        "workers": 1,
        "last_sweep": "2026-11-20T10:00:00+00:00",
        "last_sweep_age_seconds": 60.0,
    }
    platform.clock.advance(seconds=1)
    late = await (await platform.client.get("/healthz")).json()
    assert (late["status"], late["last_sweep_age_seconds"]) == ("degraded", 61.0)
    worker.register_death()
    gone = await (await platform.client.get("/healthz")).json()
    assert (gone["status"], gone["workers"]) == ("degraded", 0)


async def test_redis_down_is_degraded_not_unavailable_since_webhooks_are_still_kept(
    start_platform: PlatformStarter,
) -> None:
    dead = unreachable_redis()
    async with start_platform(web_redis=dead) as platform:
        response = await platform.client.get("/healthz")
        assert response.status == 200
        assert await response.json() == {
            "status": "degraded",
            "database": "ok",
            "redis": "error: ConnectionError",
            "workers": None,
            "last_sweep": None,
            "last_sweep_age_seconds": None,
        }
        body = await (await platform.client.get("/metrics")).text()
        assert 'doorstep_up{part="redis"} 0.0' in body
        assert 'doorstep_up{part="database"} 1.0' in body


async def test_metrics_count_webhook_outcomes_and_outbox_rows(platform: Platform) -> None:
    await platform.converse("/start")
    await platform.post({"update_id": 1}, secret="forged")
    body = await (await platform.client.get("/metrics")).text()
    assert 'doorstep_webhook_requests_total{channel="telegram",outcome="accepted"} 1.0' in body
    assert 'doorstep_webhook_requests_total{channel="telegram",outcome="forbidden"} 1.0' in body
    assert 'doorstep_outbox_messages{status="sent"} 1.0' in body
    assert 'doorstep_inbound_messages{status="processed"} 1.0' in body
    assert 'doorstep_up{part="database"} 1.0' in body
    assert 'doorstep_up{part="redis"} 1.0' in body
    assert "doorstep_workers 0.0" in body
