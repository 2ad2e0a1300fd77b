"""The RQ queues Doorstep uses and the jobs it puts on them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from redis import Redis
from rq import Queue, Retry

QUEUE_NAMES = ("default", "outbound", "low")
LAST_SWEEP_KEY = "doorstep:sweep:last"
DELIVER = "jobs.deliver.deliver"
SWEEP = "jobs.sweep.sweep"
REMIND = "jobs.viewings.remind"
NUDGE = "jobs.viewings.nudge"
LAPSE = "jobs.viewings.lapse"
EXPIRE_OFFER = "jobs.offers.expire"


class JobQueues:
    """default (conversation work), outbound (provider sends), low (housekeeping)."""

    def __init__(self, connection: Redis) -> None:
        self.connection = connection
        self.default, self.outbound, self.low = (Queue(name, connection=connection) for name in QUEUE_NAMES)

    def all(self) -> list[Queue]:
        """Every queue, most urgent first, as a worker should listen."""
        return [self.outbound, self.default, self.low]

    def deliver(self, outbox_ids: Sequence[int]) -> None:
        """Deliver these outbox rows, in this order, as soon as a worker is free."""
        if outbox_ids:
            self.outbound.enqueue(DELIVER, list(outbox_ids), retry=Retry(max=3, interval=[5, 30, 120]))

    def deliver_at(self, when: datetime, outbox_ids: Sequence[int]) -> None:
        """Deliver these rows at `when` (the worker's scheduler releases the job)."""
        if outbox_ids:
            self.outbound.enqueue_at(when, DELIVER, list(outbox_ids))

    def sweep(self) -> None:
        """Run one sweep now."""
        self.default.enqueue(SWEEP)

    def viewing_reminder(self, viewing_id: int, reminder: str, starts_at: datetime) -> None:
        """Remind both sides of a viewing (the job checks it still stands at `starts_at`)."""
        self.default.enqueue(
            REMIND, viewing_id, reminder, starts_at.isoformat(), retry=Retry(max=3, interval=[5, 30, 120])
        )

    def viewing_nudge(self, viewing_id: int) -> None:
        """Remind a host of a request waiting for their answer."""
        self.default.enqueue(NUDGE, viewing_id, retry=Retry(max=3, interval=[5, 30, 120]))

    def viewing_lapse(self, viewing_id: int) -> None:
        """Lapse a request nobody answered."""
        self.default.enqueue(LAPSE, viewing_id, retry=Retry(max=3, interval=[5, 30, 120]))

    def offer_expiry(self, offer_id: int) -> None:
        """Expire an offer whose time is over (the job checks it still waits)."""
        self.default.enqueue(EXPIRE_OFFER, offer_id, retry=Retry(max=3, interval=[5, 30, 120]))
