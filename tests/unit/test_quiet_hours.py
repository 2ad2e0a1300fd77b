"""Quiet hours on the person's local clock, DST days included, and reading the hours people type."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.people.quiet_hours import DEFAULT_QUIET, QUIET_OFF, QuietHours, parse_quiet_hours, quiet_until

ARABIC_INDIC = str.maketrans("0123456789", "".join(chr(0x0660 + digit) for digit in range(10)))
PERSIAN = str.maketrans("0123456789", "".join(chr(0x06F0 + digit) for digit in range(10)))
LONDON = "Europe/London"
NIGHT = (time(22), time(8))
ZONES = [
    "Europe/London",
    "Asia/Kolkata",
    "Asia/Dubai",
    "Pacific/Auckland",
    "America/New_York",
    "America/St_Johns",
    "Australia/Lord_Howe",
    "Pacific/Chatham",
    "Asia/Kathmandu",
    "UTC",
]
TRANSITIONS = [
    datetime(2026, 3, 29, 1, tzinfo=UTC),
    datetime(2026, 10, 25, 1, tzinfo=UTC),
    datetime(2026, 3, 8, 7, tzinfo=UTC),
    datetime(2026, 11, 1, 6, tzinfo=UTC),
    datetime(2026, 4, 4, 14, tzinfo=UTC),
    datetime(2026, 9, 26, 14, tzinfo=UTC),
    datetime(2026, 4, 4, 15, tzinfo=UTC),
    datetime(2026, 10, 3, 16, tzinfo=UTC),
]

minute_times = st.builds(time, st.integers(0, 23), st.integers(0, 59))
any_instant = st.datetimes(datetime(2020, 1, 1), datetime(2035, 12, 31), timezones=st.just(UTC))
near_transition = st.builds(
    lambda base, seconds: base + timedelta(seconds=seconds),
    st.sampled_from(TRANSITIONS),
    st.integers(-36 * 3600, 36 * 3600),
)
instants = st.one_of(any_instant, near_transition)


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0) -> datetime:
    """An aware UTC datetime."""
    return datetime(year, month, day, hour, minute, second, tzinfo=UTC)


def wall_inside(wall: time, start: time, end: time) -> bool:
    """Whether a wall-clock time lies in [start, end), counted in seconds from `start` around the day."""
    seconds = [(t.hour * 3600 + t.minute * 60 + t.second) for t in (wall, start, end)]
    return (seconds[0] - seconds[1]) % 86400 < (seconds[2] - seconds[1]) % 86400


def exists(zone: ZoneInfo, local: datetime) -> bool:
    """Whether a naive local datetime is a real reading of the zone's clock (not in a spring-forward gap)."""
    return local.replace(tzinfo=zone).astimezone(UTC).astimezone(zone).replace(tzinfo=None) == local


def test_default_quiet_hours_are_ten_at_night_to_eight_in_the_morning() -> None:
    assert DEFAULT_QUIET == (time(22, 0), time(8, 0))


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (utc(2026, 1, 15, 23), utc(2026, 1, 16, 8)),
        (utc(2026, 1, 15, 22), utc(2026, 1, 16, 8)),
        (utc(2026, 1, 16, 7, 59, 59), utc(2026, 1, 16, 8)),
        (utc(2026, 1, 16, 8), None),
        (utc(2026, 1, 15, 21, 59, 59), None),
        (utc(2026, 7, 1, 21, 30), utc(2026, 7, 2, 7)),
        (utc(2026, 7, 1, 20, 59), None),
        (utc(2026, 7, 1, 12), None),
    ],
)
def test_london_nights_in_winter_and_summer(now: datetime, expected: datetime | None) -> None:
    assert quiet_until(now, LONDON, *NIGHT) == expected


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (utc(2026, 5, 4, 12, 30), utc(2026, 5, 4, 13)),
        (utc(2026, 5, 4, 11, 59), None),  # 12:59 in London: just before
        (utc(2026, 5, 4, 12), utc(2026, 5, 4, 13)),  # 13:00: quiet from its first minute
        (utc(2026, 5, 4, 12, 59), utc(2026, 5, 4, 13)),  # 13:59: just before the end
        (utc(2026, 5, 4, 13), None),
        (utc(2026, 5, 4, 21), None),
    ],
)
def test_a_window_that_does_not_wrap_midnight(now: datetime, expected: datetime | None) -> None:
    assert quiet_until(now, LONDON, time(13), time(14)) == expected


@pytest.mark.parametrize(
    ("start", "end"), [(None, time(8)), (time(22), None), (None, None), (time(22), time(22))]
)
def test_missing_or_empty_windows_are_never_quiet(start: time | None, end: time | None) -> None:
    assert quiet_until(utc(2026, 1, 15, 23), LONDON, start, end) is None


def test_now_must_be_aware() -> None:
    with pytest.raises(ValueError, match=r"^now must be an aware datetime$"):
        quiet_until(datetime(2026, 1, 15, 23), LONDON, *NIGHT)


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (utc(2026, 3, 28, 23), utc(2026, 3, 29, 7)),
        (utc(2026, 3, 29, 0, 59), utc(2026, 3, 29, 7)),
        (utc(2026, 3, 29, 1), utc(2026, 3, 29, 7)),
        (utc(2026, 3, 29, 6, 59), utc(2026, 3, 29, 7)),
        (utc(2026, 3, 29, 7), None),
        (utc(2026, 3, 29, 20, 59), None),
        (utc(2026, 3, 29, 21), utc(2026, 3, 30, 7)),
    ],
)
def test_the_night_the_clocks_go_forward_is_an_hour_shorter(now: datetime, expected: datetime | None) -> None:
    assert quiet_until(now, LONDON, *NIGHT) == expected


@pytest.mark.parametrize(
    ("end", "expected"),
    [
        (time(1, 30), utc(2026, 3, 29, 1)),
        (time(1), utc(2026, 3, 29, 1)),
        (time(1, 59), utc(2026, 3, 29, 1)),
        (time(2), utc(2026, 3, 29, 1)),
        (time(2, 30), utc(2026, 3, 29, 1, 30)),
    ],
)
def test_an_end_in_the_spring_gap_is_the_first_instant_after_it(end: time, expected: datetime) -> None:
    assert quiet_until(utc(2026, 3, 29, 0, 30), LONDON, time(22), end) == expected


def test_a_start_in_the_spring_gap_begins_when_the_clock_jumps_past_it() -> None:
    window = (time(1, 30), time(6))
    assert quiet_until(utc(2026, 3, 29, 0, 59, 59), LONDON, *window) is None
    assert quiet_until(utc(2026, 3, 29, 1), LONDON, *window) == utc(2026, 3, 29, 5)


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (utc(2026, 10, 24, 20, 59), None),
        (utc(2026, 10, 24, 21), utc(2026, 10, 25, 8)),
        (utc(2026, 10, 25, 0, 30), utc(2026, 10, 25, 8)),
        (utc(2026, 10, 25, 1, 30), utc(2026, 10, 25, 8)),
        (utc(2026, 10, 25, 7, 59), utc(2026, 10, 25, 8)),
        (utc(2026, 10, 25, 8), None),
        (utc(2026, 10, 25, 22), utc(2026, 10, 26, 8)),
    ],
)
def test_the_night_the_clocks_go_back_is_an_hour_longer(now: datetime, expected: datetime | None) -> None:
    assert quiet_until(now, LONDON, *NIGHT) == expected


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (utc(2026, 10, 24, 23), utc(2026, 10, 25, 0, 30)),
        (utc(2026, 10, 25, 0, 29), utc(2026, 10, 25, 0, 30)),
        (utc(2026, 10, 25, 0, 45), None),
        (utc(2026, 10, 25, 1), utc(2026, 10, 25, 1, 30)),
        (utc(2026, 10, 25, 1, 30), None),
    ],
)
def test_an_ambiguous_end_is_its_first_occurrence_unless_the_clock_reads_before_it_again(
    now: datetime, expected: datetime | None
) -> None:
    assert quiet_until(now, LONDON, time(22), time(1, 30)) == expected


@pytest.mark.parametrize(
    ("zone", "now", "expected"),
    [
        ("Asia/Kolkata", utc(2026, 1, 15, 16, 30), utc(2026, 1, 16, 2, 30)),
        ("Asia/Kolkata", utc(2026, 1, 15, 16, 29), None),
        ("Asia/Kolkata", utc(2026, 1, 16, 2, 29), utc(2026, 1, 16, 2, 30)),
        ("Asia/Dubai", utc(2026, 1, 15, 18), utc(2026, 1, 16, 4)),
        ("Asia/Dubai", utc(2026, 1, 15, 20, 30), utc(2026, 1, 16, 4)),
        ("Asia/Dubai", utc(2026, 1, 15, 17, 59), None),
        ("Pacific/Auckland", utc(2026, 1, 15, 10), utc(2026, 1, 15, 19)),
        ("Pacific/Auckland", utc(2026, 1, 15, 12), utc(2026, 1, 15, 19)),
        ("Pacific/Auckland", utc(2026, 1, 15, 8, 59), None),
        ("Pacific/Auckland", utc(2026, 7, 15, 10), utc(2026, 7, 15, 20)),
    ],
)
def test_zones_east_of_utc_and_half_hour_offsets(zone: str, now: datetime, expected: datetime | None) -> None:
    assert quiet_until(now, zone, *NIGHT) == expected


def test_auckland_spring_gap_ends_at_three() -> None:
    now = utc(2026, 9, 26, 13, 30)
    assert now.astimezone(ZoneInfo("Pacific/Auckland")).time() == time(1, 30)
    assert quiet_until(now, "Pacific/Auckland", time(1), time(2, 30)) == utc(2026, 9, 26, 14)


@given(instants, st.sampled_from(ZONES), minute_times, minute_times)
def test_the_end_is_after_now_within_a_day_and_only_when_the_local_clock_is_inside(
    now: datetime, zone_name: str, start: time, end: time
) -> None:
    zone = ZoneInfo(zone_name)
    until = quiet_until(now, zone_name, start, end)
    local = now.astimezone(zone)
    assert (until is not None) == (start != end and wall_inside(local.time(), start, end))
    if until is None:
        return
    assert until.tzinfo is UTC
    assert now < until <= now + timedelta(hours=25)
    ended = until.astimezone(zone)
    if ended.time() == end:
        assert quiet_until(until, zone_name, start, end) is None
    else:
        assert not exists(zone, datetime.combine(ended.date(), end))
    assert quiet_until(until - timedelta(microseconds=1), zone_name, start, end) == until


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("22-8", time(22), time(8)),
        ("22:00-08:00", time(22), time(8)),
        ("22.00 - 8.00", time(22), time(8)),
        ("10pm-7am", time(22), time(7)),
        ("10 pm to 7 am", time(22), time(7)),
        ("10PM - 7AM", time(22), time(7)),
        ("10 p.m. - 7 a.m.", time(22), time(7)),
        ("10.30pm-6am", time(22, 30), time(6)),
        ("12am-12pm", time(0), time(12)),
        ("23:30-06:15", time(23, 30), time(6, 15)),
        ("13:00 \N{EN DASH} 14:00", time(13), time(14)),
        ("from 22 until 7", time(22), time(7)),
        ("  22 -  8 ", time(22), time(8)),
        ("22-8".translate(ARABIC_INDIC), time(22), time(8)),
        ("22:30-6:00".translate(ARABIC_INDIC), time(22, 30), time(6)),
        ("22-8".translate(PERSIAN), time(22), time(8)),
        ("10 م - 7 ص", time(22), time(7)),
        ("من 22 إلى 8", time(22), time(8)),
    ],
)
def test_readable_quiet_hours(text: str, start: time, end: time) -> None:
    assert parse_quiet_hours(text) == QuietHours(start, end)


@pytest.mark.parametrize("text", ["off", "OFF", " Off ", "none", "no", "إيقاف", "ايقاف"])
def test_quiet_hours_turned_off(text: str) -> None:
    assert parse_quiet_hours(text) == QUIET_OFF
    assert QUIET_OFF == QuietHours(None, None)
    assert QUIET_OFF.off


@pytest.mark.parametrize(
    "text",
    [
        "",
        "hello",
        "22",
        "22-",
        "-8",
        "24-8",
        "22-25",
        "22:60-8",
        "22:5-8",
        "8-8",
        "08:00-8",
        "0-0",
        "13pm-7am",
        "0am-7am",
        "10-7am",
        "10pm-7",
        "2200-0800",
        "22-8-6",
        "offf",
    ],
)
def test_unreadable_quiet_hours(text: str) -> None:
    assert parse_quiet_hours(text) is None


def test_quiet_hours_need_both_ends_or_neither() -> None:
    with pytest.raises(ValueError, match=r"^quiet hours need both a start and an end, or neither$"):
        QuietHours(time(22), None)
    assert not QuietHours(time(22), time(8)).off


@given(minute_times, minute_times, st.sampled_from(["-", " - ", " to ", "\N{EN DASH}"]))
def test_every_24_hour_window_reads_back(start: time, end: time, dash: str) -> None:
    text = f"{start:%H:%M}{dash}{end.hour}.{end.minute:02d}"
    expected = None if start == end else QuietHours(start, end)
    assert parse_quiet_hours(text) == expected
    assert parse_quiet_hours(text.translate(ARABIC_INDIC)) == expected


@given(minute_times, minute_times)
def test_every_12_hour_window_reads_back(start: time, end: time) -> None:
    text = f"{start:%I:%M %p} to {end:%I:%M%p}".lower()
    assert parse_quiet_hours(text) == (None if start == end else QuietHours(start, end))


@given(st.text(max_size=30))
def test_any_text_is_unreadable_or_a_real_window(text: str) -> None:
    parsed = parse_quiet_hours(text)
    assert parsed is None or parsed == QUIET_OFF or parsed.start != parsed.end
