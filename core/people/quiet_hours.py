"""Quiet hours: when a person's local clock says not to disturb them, and reading the hours they type."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Final
from zoneinfo import ZoneInfo

from core.time_ranges import parse_clock_range
from core.timezones import clock_reaches

DEFAULT_QUIET: Final = (time(22, 0), time(8, 0))

_OFF_WORDS: Final = frozenset({"off", "none", "no", "إيقاف", "ايقاف", "لا"})


@dataclass(frozen=True, slots=True)
class QuietHours:
    """A readable answer about quiet hours: from `start` until `end`, or turned off when both are None."""

    start: time | None
    end: time | None

    def __post_init__(self) -> None:
        if (self.start is None) != (self.end is None):
            raise ValueError("quiet hours need both a start and an end, or neither")

    @property
    def off(self) -> bool:
        """True when the person turned quiet hours off."""
        return self.start is None


QUIET_OFF: Final = QuietHours(None, None)


def quiet_until(now: datetime, timezone: str, start: time | None, end: time | None) -> datetime | None:
    """The UTC instant quiet hours end when `now` falls inside them on the local clock; else None."""
    if now.tzinfo is None:
        raise ValueError("now must be an aware datetime")
    if start is None or end is None or start == end:
        return None
    zone = ZoneInfo(timezone)
    local = now.astimezone(zone)
    wall = local.time().replace(tzinfo=None)
    inside = start <= wall < end if start < end else wall >= start or wall < end
    if not inside:
        return None
    day = local.date() if wall < end else local.date() + timedelta(days=1)
    return _first_instant_at(zone, day, end, after=now)


def parse_quiet_hours(text: str) -> QuietHours | None:
    """Quiet hours as typed ("22-8", "10pm to 7am", "٢٢-٨", "off"); None when unreadable."""
    words = " ".join(text.split()).casefold()
    if words in _OFF_WORDS:
        return QUIET_OFF
    hours = parse_clock_range(words)
    if hours is None or hours[0] == hours[1]:
        return None
    return QuietHours(*hours)


def _first_instant_at(zone: ZoneInfo, day: date, wall: time, after: datetime) -> datetime:
    """The first instant after `after` when the local clock reads `wall` on `day`, or has jumped past it."""
    local = datetime.combine(day, wall)
    first, second = (local.replace(tzinfo=zone, fold=fold).astimezone(UTC) for fold in (0, 1))
    if first.astimezone(zone).replace(tzinfo=None) != local:
        return clock_reaches(zone, local, low=second, high=first)
    return first if first > after else second
