"""Running the job queues: the production worker (with RQ's scheduler and cron) and an in-thread one."""

from __future__ import annotations

import logging
import threading
import time
from functools import partial

from redis import Redis
from rq import SimpleWorker
from rq.cron import CronScheduler
from rq.scheduler import RQScheduler
from rq.timeouts import TimerDeathPenalty

from jobs import context
from jobs.feeds import sync_due_feeds
from jobs.queues import JobQueues
from jobs.supervisor import Part
from jobs.sweep import sweep

log = logging.getLogger(__name__)
SWEEP_INTERVAL_SECONDS = 15
FEEDS_INTERVAL_SECONDS = 60


class ThreadWorker(SimpleWorker):
    """Runs jobs in the calling thread: no fork, no signal handlers, timeouts by timer."""

    death_penalty_class = TimerDeathPenalty

    def _install_signal_handlers(self) -> None:
        """Signals belong to the main thread; the owner of this thread stops it instead."""


def run_worker(queues: JobQueues, *, burst: bool = False) -> None:
    """The production worker: runs jobs in-process, keeping its connections between jobs.

    Jobs are short and I/O-bound, so they run without a fork per job; scale out by running more workers.
    RQ's loop ends when Redis fails; the supervisor starts it again. Connections are closed either way.
    """
    try:
        SimpleWorker(queues.all(), connection=queues.connection).work(burst=burst, with_scheduler=burst)
    finally:
        context.close_all()


def run_scheduler(queues: JobQueues) -> None:
    """RQ's scheduler, which releases jobs enqueued for later (delivery held back by a rate limit)."""
    RQScheduler(queues.all(), connection=queues.connection).work()


def run_cron(connection: Redis, *, feeds_timeout: int | None = None) -> None:
    """The periodic sweep and, when feeds are configured (`feeds_timeout` set: how long a sync may run), the
    feed syncs, on RQ's cron scheduler (blocks; run it in its own process)."""
    cron = CronScheduler(connection=connection)
    cron.register(sweep, queue_name="default", interval=SWEEP_INTERVAL_SECONDS)
    if feeds_timeout is not None:
        cron.register(
            sync_due_feeds, queue_name="low", interval=FEEDS_INTERVAL_SECONDS, job_timeout=feeds_timeout
        )
    cron.start()


def supervised_parts(queues: JobQueues, *, cron: bool = True, feeds_timeout: int | None = None) -> list[Part]:
    """What `doorstep worker` runs: the job worker, RQ's scheduler and, unless told not to, the sweep (with
    the feed syncs when `feeds_timeout` is given)."""
    parts = [
        Part("jobs", partial(run_worker, queues)),
        Part("scheduler", partial(run_scheduler, queues)),
    ]
    if cron:
        parts.append(Part("sweep", partial(run_cron, queues.connection, feeds_timeout=feeds_timeout)))
    return parts


def drain(queues: JobQueues, worker: ThreadWorker | None = None) -> bool:
    """Release due scheduled jobs, then run every queued job in this thread; True if any ran."""
    worker = worker or ThreadWorker(queues.all(), connection=queues.connection)
    return worker.work(burst=True, with_scheduler=True, logging_level="WARNING")


class EmbeddedWorker(threading.Thread):
    """The embedded mode's worker: drains the queues a few times a second and sweeps periodically."""

    def __init__(self, queues: JobQueues, *, poll_seconds: float = 0.2) -> None:
        super().__init__(name="doorstep-embedded-worker", daemon=True)
        self._queues = queues
        self._poll = poll_seconds
        self._stop_requested = threading.Event()

    def run(self) -> None:
        """Work until stopped, then close the connections the jobs opened in this thread."""
        try:
            self._work()
        finally:
            context.close_all()

    def _work(self) -> None:
        last_sweep = 0.0
        worker = ThreadWorker(self._queues.all(), connection=self._queues.connection)
        while not self._stop_requested.is_set():
            if time.monotonic() - last_sweep >= SWEEP_INTERVAL_SECONDS:
                self._queues.sweep()
                last_sweep = time.monotonic()
            try:
                worked = drain(self._queues, worker)
            except Exception:
                log.exception("embedded worker pass failed")
                worked = False
            if not worked:
                self._stop_requested.wait(self._poll)

    def stop(self) -> None:
        """Ask the thread to finish after the current pass."""
        self._stop_requested.set()
