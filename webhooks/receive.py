"""What every channel's webhook does with a verified, parsed message: record once, answer, hand over."""

from __future__ import annotations

import logging

from bots.intake import accept, answer_pending
from bots.messages import Inbound
from webhooks.handover import hand_over
from webhooks.state import WebState

log = logging.getLogger(__name__)


async def receive(state: WebState, inbound: Inbound) -> bool:
    """Record the message and answer it; False when it was a provider retry of one already recorded."""
    count = state.metrics.webhooks.labels
    person_id = await accept(state.conversations, inbound)
    if person_id is None:
        count(inbound.channel, "duplicate").inc()
        return False
    count(inbound.channel, "accepted").inc()
    try:
        await hand_over(state, await answer_pending(state.conversations, person_id))
    except Exception:
        log.exception("answering person %s failed; the sweep will retry", person_id)
    return True
