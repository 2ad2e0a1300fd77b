"""Job: the periodic safety net that retries waiting inbound messages and re-enqueues undelivered rows."""

from __future__ import annotations

import logging
from datetime import timedelta

from bots.intake import answer_pending
from core.message_log import inbox, outbox
from core.offers.queries import due_expiries
from core.viewings.actions import release_holds
from core.viewings.schedule import due_reminders, due_requests
from jobs.context import job_scope, run_job
from jobs.queues import LAST_SWEEP_KEY

log = logging.getLogger(__name__)
SETTLE = timedelta(seconds=10)
LOCK_KEY = "doorstep:sweep:lock"
LOCK_SECONDS = 30


def sweep() -> dict[str, int]:
    """One pass; a second sweep started while one runs does nothing.

    The lock lapses after LOCK_SECONDS, so a sweep killed mid-way holds up the next ones only briefly; two
    sweeps overlapping is safe, since every row is claimed or locked before it is acted on.
    """
    return run_job(_sweep())


async def _sweep() -> dict[str, int]:
    scope = await job_scope()
    runtime = scope.runtime
    if not runtime.redis.set(LOCK_KEY, "1", nx=True, ex=LOCK_SECONDS):
        return {"skipped": 1}
    try:
        now = runtime.clock.now()
        async with scope.sessions() as session, session.begin():
            released = await outbox.release_stale(session, now)
            people = await inbox.people_with_due(session, now, SETTLE)
            await release_holds(session, now)
            reminders = await due_reminders(session, now)
            nudges, lapses = await due_requests(session, now)
            expiries = await due_expiries(session, now)
        for due in reminders:
            runtime.queues.viewing_reminder(due.viewing_id, due.reminder, due.starts_at)
        for viewing_id in nudges:
            runtime.queues.viewing_nudge(viewing_id)
        for viewing_id in lapses:
            runtime.queues.viewing_lapse(viewing_id)
        for offer_id in expiries:
            runtime.queues.offer_expiry(offer_id)
        conversations = scope.conversations()
        for person_id in people:
            runtime.queues.deliver(await answer_pending(conversations, person_id))
        async with scope.sessions() as session:
            batches = await outbox.due_batches(session, runtime.clock.now(), SETTLE)
        for batch in released + batches:
            runtime.queues.deliver(batch)
    finally:
        runtime.redis.delete(LOCK_KEY)
    runtime.redis.set(LAST_SWEEP_KEY, runtime.clock.now().isoformat())
    counts = {
        "released": sum(len(batch) for batch in released),
        "people": len(people),
        "batches": len(batches),
        "reminders": len(reminders),
        "nudges": len(nudges),
        "lapses": len(lapses),
        "expiries": len(expiries),
    }
    if any(counts.values()):
        log.info("sweep: %s", counts)
    return counts
