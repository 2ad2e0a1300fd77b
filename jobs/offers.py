"""Job: expire an offer nobody answered in time and tell both sides; it re-reads the offer when it runs."""

from __future__ import annotations

from bots.flows.announce import settle_notices
from bots.outbound.notify import send_notices
from core.offers.closing import expire_if_due
from jobs.context import job_scope, run_job


def expire(offer_id: int) -> int:
    """Expire the offer if it still waits and its time is over; a withdrawn or answered one is left alone."""
    return run_job(_expire(offer_id))


async def _expire(offer_id: int) -> int:
    scope = await job_scope()
    runtime = scope.runtime
    now = runtime.clock.now()
    async with scope.sessions() as session, session.begin():
        if await expire_if_due(session, offer_id, now) is None:
            return 0
        notices = await settle_notices(session, now)
        ids = await send_notices(
            session, runtime.texts, scope.adapters, notices, now, runtime.settings.public_base_url
        )
    runtime.queues.deliver(ids)
    return len(ids)
