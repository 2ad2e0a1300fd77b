"""Retry waits."""

from __future__ import annotations

from datetime import timedelta

from core.message_log.retry import backoff, retry_delay


def test_backoff_doubles_and_is_capped() -> None:
    assert [backoff(n).total_seconds() for n in range(0, 12)] == [
        0,
        2,
        4,
        8,
        16,
        32,
        64,
        128,
        256,
        512,
        600,
        600,
    ]
    assert backoff(10_000) == timedelta(minutes=10)


def test_the_provider_retry_after_wins_when_longer() -> None:
    assert retry_delay(1, 30) == timedelta(seconds=30)
    assert retry_delay(5, 3) == timedelta(seconds=32)
    assert retry_delay(2, None) == timedelta(seconds=4)
