"""`doorstep worker`'s supervisor: a part that dies is started again with backoff; stopping stops all."""

from __future__ import annotations

import itertools
import os
import threading
import time
from pathlib import Path

import pytest

from jobs.supervisor import (
    FIRST_BACKOFF_SECONDS,
    HEALTHY_AFTER_SECONDS,
    MAX_BACKOFF_SECONDS,
    Part,
    Supervisor,
    next_backoff,
)
from tests.processes import alive, wait_until


@pytest.mark.parametrize(
    ("previous", "ran_for", "expected"),
    [
        (0.0, 0.1, FIRST_BACKOFF_SECONDS),
        (FIRST_BACKOFF_SECONDS, 0.1, FIRST_BACKOFF_SECONDS * 2),
        (4.0, HEALTHY_AFTER_SECONDS - 0.001, 8.0),
        (4.0, HEALTHY_AFTER_SECONDS, FIRST_BACKOFF_SECONDS),
        (MAX_BACKOFF_SECONDS / 2, 1.0, MAX_BACKOFF_SECONDS),
        (MAX_BACKOFF_SECONDS / 2 + 0.001, 1.0, MAX_BACKOFF_SECONDS),
        (MAX_BACKOFF_SECONDS, 1.0, MAX_BACKOFF_SECONDS),
    ],
)
def test_backoff_doubles_up_to_its_cap_and_resets_after_a_healthy_run(
    previous: float, ran_for: float, expected: float
) -> None:
    assert next_backoff(previous, ran_for) == expected


def _record_start_and_exit(log: Path) -> None:
    with log.open("a") as handle:
        handle.write(f"{time.monotonic()}\n")
    os._exit(3)


def _run_forever(log: Path) -> None:
    log.write_text(str(os.getpid()))
    while True:
        time.sleep(0.05)


def test_a_part_that_keeps_dying_is_started_again_each_time_later(tmp_path: Path) -> None:
    starts, steady = tmp_path / "starts", tmp_path / "steady"
    supervisor = Supervisor(
        [Part("dies", lambda: _record_start_and_exit(starts)), Part("steady", lambda: _run_forever(steady))]
    )
    thread = threading.Thread(target=supervisor.run, kwargs={"handle_signals": False})
    thread.start()
    wait_until(lambda: starts.exists() and len(starts.read_text().split()) == 3, 20, "three starts")
    steady_pid = int(steady.read_text())
    supervisor.stop()
    thread.join(10)
    times = [float(line) for line in starts.read_text().split()]
    gaps = [later - earlier for earlier, later in itertools.pairwise(times)]
    assert len(times) == 3, f"the next start should come 2 s later, not after {gaps}"
    assert gaps[0] >= FIRST_BACKOFF_SECONDS
    assert gaps[1] >= FIRST_BACKOFF_SECONDS * 2
    assert supervisor.restarts == {"dies": 2, "steady": 0}
    assert not alive(steady_pid), "a part outlived its stopped supervisor"
