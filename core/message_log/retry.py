"""Retry policy for inbound processing and outbound delivery: pure functions over attempt counts."""

from __future__ import annotations

from datetime import timedelta

INBOUND_MAX_ATTEMPTS = 5
OUTBOUND_MAX_ATTEMPTS = 8
_BASE_SECONDS = 2
_CAP_SECONDS = 600


def backoff(attempts: int) -> timedelta:
    """Wait before the next try after `attempts` failed ones: 2 s, 4 s, 8 s ... capped at 10 minutes."""
    if attempts < 1:
        return timedelta(0)
    return timedelta(seconds=min(_CAP_SECONDS, _BASE_SECONDS ** min(attempts, 20)))


def retry_delay(attempts: int, retry_after: float | None) -> timedelta:
    """The provider's own retry_after when it gave one and it is longer, else our backoff."""
    ours = backoff(attempts)
    if retry_after is None:
        return ours
    return max(ours, timedelta(seconds=retry_after))
