"""Benchmark: computing a listing's free viewing slots, the work behind every day and time picker."""

from __future__ import annotations

import time as timer
from datetime import UTC, datetime, time, timedelta

import pytest

from core.viewings.slots import Availability, Busy, Window, free_slots
from tests.bench.measure import bench, percentile

RUNS = 200


@pytest.mark.bench
@pytest.mark.parametrize(
    ("label", "days", "window", "slot"),
    [
        ("weekdays-9-17-30min", range(5), Window(time(9), time(17)), 30),
        ("daily-8-20-15min", range(7), Window(time(8), time(20)), 15),
    ],
)
def test_free_slots_over_thirty_days_with_two_hundred_bookings(
    label: str, days: range, window: Window, slot: int
) -> None:
    availability = Availability({day: [window] for day in days}, slot=timedelta(minutes=slot))
    now = datetime(2026, 3, 2, 8, 3, tzinfo=UTC)
    busy = [
        Busy(now + timedelta(hours=24 + 3.5 * i), now + timedelta(hours=24.5 + 3.5 * i)) for i in range(200)
    ]
    runs = []
    for _ in range(RUNS):
        began = timer.perf_counter()
        slots = free_slots(availability, "Europe/London", busy, now)
        runs.append((timer.perf_counter() - began) * 1000)
    bench(
        "viewing_slots",
        "none",
        case=label,
        slots=len(slots),
        busy=len(busy),
        p50=f"{percentile(runs, 0.5):.2f}ms",
        p95=f"{percentile(runs, 0.95):.2f}ms",
    )
