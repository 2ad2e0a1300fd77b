"""`doorstep worker`'s parent: runs each part in a child process and restarts any that dies, with backoff.

A Redis or PostgreSQL outage makes RQ's loops give up; rather than patch each loop, a part simply exits
and is started again once the backoff has passed. Children end with their parent (a parent-death signal
and a parent check), so a killed supervisor leaves nothing behind.
"""

from __future__ import annotations

import ctypes
import logging
import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from multiprocessing.process import BaseProcess
from types import FrameType

log = logging.getLogger(__name__)
_PR_SET_PDEATHSIG = 1
FIRST_BACKOFF_SECONDS = 0.5
MAX_BACKOFF_SECONDS = 15.0
HEALTHY_AFTER_SECONDS = 60.0
STOP_GRACE_SECONDS = 20.0
POLL_SECONDS = 0.2


def next_backoff(previous: float, ran_for: float) -> float:
    """Wait before the next start: doubling from the first step, back to it after a healthy run."""
    if ran_for >= HEALTHY_AFTER_SECONDS or previous <= 0:
        return FIRST_BACKOFF_SECONDS
    return min(MAX_BACKOFF_SECONDS, previous * 2)


@dataclass(frozen=True)
class Part:
    """One supervised part: a name for logs and a function that runs it until it stops or fails."""

    name: str
    run: Callable[[], None]


@dataclass
class _Child:
    part: Part
    process: BaseProcess | None = None
    started: float = 0.0
    backoff: float = 0.0
    start_after: float = 0.0
    restarts: int = 0


class Supervisor:
    """Starts every part, restarts the ones that exit, and stops them all on SIGTERM or SIGINT."""

    def __init__(self, parts: Sequence[Part]) -> None:
        self._children = [_Child(part) for part in parts]
        self._stopping = threading.Event()
        self._context = multiprocessing.get_context("fork")

    def run(self, *, handle_signals: bool = True) -> None:
        """Supervise until asked to stop (SIGTERM, SIGINT or `stop`); then stop the children, gently first."""
        if handle_signals:
            signal.signal(signal.SIGTERM, self._request_stop)
            signal.signal(signal.SIGINT, self._request_stop)
        try:
            while not self._stopping.is_set():
                for child in self._children:
                    self._tend(child)
                self._stopping.wait(POLL_SECONDS)
        finally:
            self._stop_all()

    def stop(self) -> None:
        """Ask the supervisor to stop (for a caller in another thread)."""
        self._stopping.set()

    def _request_stop(self, signum: int, _frame: FrameType | None) -> None:
        log.info("worker: stopping on %s", signal.Signals(signum).name)
        self._stopping.set()

    def _tend(self, child: _Child) -> None:
        process, now = child.process, time.monotonic()
        if process is not None and process.is_alive():
            return
        if process is not None:
            process.join()
            ran_for = now - child.started
            child.backoff = next_backoff(child.backoff, ran_for)
            child.start_after = now + child.backoff
            child.process = None
            log.warning(
                "worker: %s exited with %s after %.1f s; starting it again in %.1f s",
                child.part.name,
                process.exitcode,
                ran_for,
                child.backoff,
            )
            return
        if now >= child.start_after:
            self._start(child)

    def _start(self, child: _Child) -> None:
        parent = os.getpid()
        process = self._context.Process(
            target=_run_child, args=(child.part, parent), name=f"doorstep-{child.part.name}", daemon=False
        )
        process.start()
        if child.started:
            child.restarts += 1
        child.process, child.started = process, time.monotonic()
        log.info("worker: %s started as pid %s", child.part.name, process.pid)

    def _stop_all(self) -> None:
        running = [c.process for c in self._children if c.process is not None and c.process.is_alive()]
        for process in running:
            if process.pid is not None:
                os.kill(process.pid, signal.SIGTERM)
        deadline = time.monotonic() + STOP_GRACE_SECONDS
        for process in running:
            process.join(max(0.0, deadline - time.monotonic()))
            if process.is_alive():
                process.kill()
                process.join()

    @property
    def restarts(self) -> dict[str, int]:
        """How often each part was started again."""
        return {child.part.name: child.restarts for child in self._children}


def _run_child(part: Part, parent: int) -> None:
    """In the child: die with the parent, restore default signals, run the part."""
    die_with_parent(parent)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    part.run()


def die_with_parent(parent: int) -> None:
    """Get SIGTERM when the parent dies (Linux), and watch for it elsewhere, so no child is orphaned."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        signalled = libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0) == 0
    except (OSError, AttributeError):
        signalled = False
    if os.getppid() != parent:
        os._exit(0)
    if not signalled:
        threading.Thread(target=_watch_parent, args=(parent,), name="parent-watch", daemon=True).start()


def _watch_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(1.0)
    os.kill(os.getpid(), signal.SIGTERM)
