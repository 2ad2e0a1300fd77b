"""Job: deliver outbox rows in order, rescheduling the rest when one must wait."""

from __future__ import annotations

from jobs.context import job_scope, run_job


def deliver(outbox_ids: list[int]) -> dict[str, object]:
    """Send the given outbox rows; rows already sent or claimed elsewhere are skipped."""
    return run_job(_deliver(outbox_ids))


async def _deliver(outbox_ids: list[int]) -> dict[str, object]:
    scope = await job_scope()
    result = await scope.courier().deliver_batch(outbox_ids)
    scope.runtime.queues.deliver(result.added)
    if result.retry_at is not None:
        scope.runtime.queues.deliver_at(result.retry_at, result.waiting)
    return {"sent": result.sent, "waiting": result.waiting}
