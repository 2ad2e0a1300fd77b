"""Viewing slots: the times a listing can be booked, from the seller's hours on their local clock.

Times are offered one slot plus one buffer apart from the opening of the day's hours (30-minute viewings
with a 15-minute buffer start at 10:00, 10:45, 11:30...), so any two times offered side by side can both
be booked: a booking blocks its slot and the buffer after it, which is exactly where the next time starts.
A booking off that grid (made before the seller changed the length) still blocks the times it overlaps.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from heapq import nsmallest
from zoneinfo import ZoneInfo

from core.timezones import clock_reaches


@dataclass(frozen=True)
class Window:
    """Local wall-clock hours on one day, start < end (no window crosses midnight)."""

    start: time
    end: time

    def __post_init__(self) -> None:
        if not self.start < self.end:
            raise ValueError("a window must start before it ends")


@dataclass(frozen=True)
class Availability:
    """A listing's viewing hours: weekly windows, dated overrides, and the booking rules around them."""

    weekly: Mapping[int, Sequence[Window]]
    overrides: Mapping[date, Sequence[Window]] = field(default_factory=dict)
    slot: timedelta = timedelta(minutes=30)
    notice: timedelta = timedelta(hours=24)
    horizon: timedelta = timedelta(days=30)
    buffer: timedelta = timedelta(minutes=15)

    def __post_init__(self) -> None:
        if self.slot <= timedelta(0):
            raise ValueError("a slot must last longer than zero")
        if min(self.notice, self.horizon, self.buffer) < timedelta(0):
            raise ValueError("notice, horizon and buffer cannot be negative")

    @property
    def step(self) -> timedelta:
        """How far apart offered times start: a viewing and the buffer after it."""
        return self.slot + self.buffer


@dataclass(frozen=True, order=True)
class Slot:
    """One bookable viewing, aware UTC datetimes."""

    start: datetime
    end: datetime


@dataclass(frozen=True)
class Busy:
    """An existing active booking of the listing (its slot, without buffer), aware datetimes."""

    start: datetime
    end: datetime


def free_slots(
    availability: Availability,
    timezone: str,
    busy: Iterable[Busy],
    now: datetime,
    *,
    start: datetime | None = None,
    until: datetime | None = None,
) -> list[Slot]:
    """Every bookable slot, sorted and unique, in UTC."""
    if any(instant is not None and instant.tzinfo is None for instant in (now, start, until)):
        raise ValueError("now, start and until must be aware datetimes")
    zone = ZoneInfo(timezone)
    opens = now if start is None else max(now, start)
    latest = now + availability.horizon
    last_day = latest.astimezone(zone).date()
    if until is not None:
        last_day = min(last_day, until.astimezone(zone).date())
    earliest = max(now + availability.notice, opens)
    blocked = _Blocked(busy, availability.buffer)
    found = {
        slot
        for day in _days(opens.astimezone(zone).date(), last_day)
        for slot in _day_slots(availability, zone, day)
        if earliest <= slot.start <= latest and (until is None or slot.start < until) and blocked.lets(slot)
    }
    return sorted(found)


def nearest_free(slots: Sequence[Slot], wanted: datetime, count: int = 3) -> list[Slot]:
    """The `count` slots starting closest to `wanted` (ties: the earlier first), sorted by start."""
    return sorted(nsmallest(count, slots, key=lambda slot: (abs(slot.start - wanted), slot.start)))


def _days(first: date, last: date) -> Iterator[date]:
    for offset in range((last - first).days + 1):
        yield first + timedelta(days=offset)


def _day_slots(availability: Availability, zone: ZoneInfo, day: date) -> Iterator[Slot]:
    """The day's times that exist on the clock and end inside their window, each a step after the last.

    Windows are taken by their opening; a window opening less than a step after the last time starts its
    grid a step after that time instead, and a time the clock change brings closer is left out, so no
    two times of a day clash.
    """
    windows = availability.overrides.get(day, availability.weekly.get(day.weekday(), ()))
    step = availability.step
    next_wall: datetime | None = None
    next_instant: datetime | None = None
    for window in sorted(windows, key=lambda window: window.start):
        wall, stop = datetime.combine(day, window.start), datetime.combine(day, window.end)
        wall = max(wall, next_wall) if next_wall is not None else wall
        ends = _window_end(zone, stop)
        while wall < stop:
            begins = _first_instant(zone, wall)
            if (
                begins is not None
                and begins + availability.slot <= ends
                and (next_instant is None or begins >= next_instant)
            ):
                next_wall, next_instant = wall + step, begins + step
                yield Slot(begins, begins + availability.slot)
            wall += step


def _reads(zone: ZoneInfo, instant: datetime) -> datetime:
    return instant.astimezone(zone).replace(tzinfo=None)


def _first_instant(zone: ZoneInfo, wall: datetime) -> datetime | None:
    """The first instant the local clock reads `wall`, or None when it skips it (spring forward)."""
    instant = wall.replace(tzinfo=zone, fold=0).astimezone(UTC)
    return instant if _reads(zone, instant) == wall else None


def _window_end(zone: ZoneInfo, wall: datetime) -> datetime:
    """The last instant the clock reads `wall`, or when it jumps past it if it never does."""
    later = wall.replace(tzinfo=zone, fold=1).astimezone(UTC)
    if _reads(zone, later) == wall:
        return later
    return clock_reaches(zone, wall, low=later, high=wall.replace(tzinfo=zone, fold=0).astimezone(UTC))


class _Blocked:
    """Busy bookings widened by the buffer on both sides, merged and sorted so each slot is one bisect."""

    def __init__(self, busy: Iterable[Busy], buffer: timedelta) -> None:
        self._starts: list[datetime] = []
        self._ends: list[datetime] = []
        for low, high in sorted((booking.start - buffer, booking.end + buffer) for booking in busy):
            if high <= low:
                continue
            if self._ends and low <= self._ends[-1]:
                self._ends[-1] = max(self._ends[-1], high)
            else:
                self._starts.append(low)
                self._ends.append(high)

    def lets(self, slot: Slot) -> bool:
        """Whether the slot keeps clear of every widened booking."""
        index = bisect_right(self._ends, slot.start)
        return index == len(self._ends) or slot.end <= self._starts[index]
