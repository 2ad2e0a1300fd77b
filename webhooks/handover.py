"""Handing new outbox rows to the delivery queue after commit; a Redis outage only delays them."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence

from webhooks.state import WebState

log = logging.getLogger(__name__)


async def hand_over(state: WebState, outbox_ids: Sequence[int]) -> None:
    """Enqueue delivery; if the queue is unreachable the rows stay pending for the sweep."""
    if not outbox_ids:
        return
    try:
        await asyncio.to_thread(state.deliveries.deliver, list(outbox_ids))
    except Exception as exc:
        log.warning("could not enqueue delivery of %s (%s); the sweep will", list(outbox_ids), exc)
