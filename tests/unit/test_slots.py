"""Viewing slots from a seller's hours on their local clock: DST days, notice, buffers, overrides, horizon."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.viewings.slots import Availability, Busy, Slot, Window, free_slots, nearest_free

LONDON = "Europe/London"
EVERY_DAY = range(7)
SATURDAY = 5
TRANSITIONS = {
    "Europe/London": [datetime(2026, 3, 29, 1, tzinfo=UTC), datetime(2026, 10, 25, 1, tzinfo=UTC)],
    "America/New_York": [datetime(2026, 3, 8, 7, tzinfo=UTC), datetime(2026, 11, 1, 6, tzinfo=UTC)],
    "Australia/Lord_Howe": [datetime(2026, 4, 4, 15, tzinfo=UTC), datetime(2026, 10, 3, 15, 30, tzinfo=UTC)],
    "Pacific/Chatham": [datetime(2026, 4, 4, 14, tzinfo=UTC), datetime(2026, 9, 26, 14, tzinfo=UTC)],
    "Asia/Kolkata": [datetime(2026, 6, 1, tzinfo=UTC)],
}


def relaxed(
    hours: dict[int, list[Window]],
    overrides: dict[date, list[Window]] | None = None,
    slot: timedelta = timedelta(minutes=30),
) -> Availability:
    """Viewing hours with no notice and no buffer, so only the clock decides."""
    return Availability(hours, overrides or {}, slot=slot, notice=timedelta(0), buffer=timedelta(0))


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    """An aware UTC datetime."""
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def hours(start: str, end: str) -> Window:
    """A window from "HH:MM" strings."""
    return Window(time.fromisoformat(start), time.fromisoformat(end))


def weekly(days: Sequence[int] | range, *windows: Window) -> dict[int, list[Window]]:
    """The same windows on each of the given weekdays."""
    return {weekday: list(windows) for weekday in days}


def on_day(availability: Availability, zone: str, day: date, busy: Sequence[Busy] = ()) -> list[Slot]:
    """The free slots starting on one local date, asked three days before."""
    midnight = datetime.combine(day, time(), ZoneInfo(zone))
    now = midnight - timedelta(days=3)
    return free_slots(availability, zone, busy, now, start=midnight, until=midnight + timedelta(days=1))


def walls(slots: Sequence[Slot], zone: str) -> list[str]:
    """Slot starts as local "HH:MM" readings."""
    return [f"{slot.start.astimezone(ZoneInfo(zone)):%H:%M}" for slot in slots]


@pytest.mark.parametrize(
    ("zone", "day", "expected"),
    [
        pytest.param(LONDON, date(2026, 3, 29), utc(2026, 3, 29, 12), id="london-bst-after-spring-forward"),
        pytest.param(LONDON, date(2026, 10, 25), utc(2026, 10, 25, 13), id="london-gmt-after-fall-back"),
        pytest.param(LONDON, date(2026, 7, 1), utc(2026, 7, 1, 12), id="london-summer"),
        pytest.param(
            "Asia/Kolkata", date(2026, 3, 29), utc(2026, 3, 29, 7, 30), id="kolkata-half-hour-offset"
        ),
    ],
)
def test_a_one_o_clock_slot_in_utc(zone: str, day: date, expected: datetime) -> None:
    availability = relaxed(weekly(EVERY_DAY, hours("13:00", "13:30")))
    assert on_day(availability, zone, day) == [Slot(expected, expected + timedelta(minutes=30))]


def test_kolkata_ten_in_the_morning_is_half_past_four_utc() -> None:
    availability = relaxed(weekly(EVERY_DAY, hours("10:00", "10:30")))
    slots = on_day(availability, "Asia/Kolkata", date(2026, 1, 15))
    assert [slot.start for slot in slots] == [utc(2026, 1, 15, 4, 30)]


@pytest.mark.parametrize(
    ("day", "starts", "local"),
    [
        pytest.param(
            date(2026, 3, 29),
            [utc(2026, 3, 29, 0), utc(2026, 3, 29, 0, 30), utc(2026, 3, 29, 1), utc(2026, 3, 29, 1, 30)],
            ["00:00", "00:30", "02:00", "02:30"],
            id="london-spring-gap-skips-01:00-and-01:30",
        ),
        pytest.param(
            date(2026, 10, 25),
            [
                utc(2026, 10, 24, 23),
                utc(2026, 10, 24, 23, 30),
                utc(2026, 10, 25, 0),
                utc(2026, 10, 25, 0, 30),
                utc(2026, 10, 25, 2),
                utc(2026, 10, 25, 2, 30),
            ],
            ["00:00", "00:30", "01:00", "01:30", "02:00", "02:30"],
            id="london-doubled-hour-offers-its-first-occurrence-only",
        ),
    ],
)
def test_a_window_across_the_clock_change(day: date, starts: list[datetime], local: list[str]) -> None:
    availability = relaxed(weekly(EVERY_DAY, hours("00:00", "03:00")))
    slots = on_day(availability, LONDON, day)
    assert [slot.start for slot in slots] == starts
    assert walls(slots, LONDON) == local
    assert all(slot.end - slot.start == timedelta(minutes=30) for slot in slots)


@pytest.mark.parametrize(
    ("day", "window", "minutes", "starts"),
    [
        pytest.param(
            date(2026, 3, 29),
            hours("00:00", "01:45"),
            45,
            [utc(2026, 3, 29, 0)],
            id="end-in-the-spring-gap-is-when-the-clock-jumps",
        ),
        pytest.param(
            date(2026, 3, 29),
            hours("00:00", "01:30"),
            20,
            [utc(2026, 3, 29, 0), utc(2026, 3, 29, 0, 20), utc(2026, 3, 29, 0, 40)],
            id="slot-ending-as-the-clock-jumps-fits",
        ),
        pytest.param(
            date(2026, 10, 25),
            hours("00:00", "01:15"),
            30,
            [utc(2026, 10, 24, 23), utc(2026, 10, 24, 23, 30), utc(2026, 10, 25, 0)],
            id="ambiguous-end-is-its-later-occurrence",
        ),
        pytest.param(
            date(2026, 3, 29),
            hours("01:30", "03:00"),
            30,
            [utc(2026, 3, 29, 1), utc(2026, 3, 29, 1, 30)],
            id="start-in-the-spring-gap-is-skipped",
        ),
    ],
)
def test_window_edges_on_the_clock_change(
    day: date, window: Window, minutes: int, starts: list[datetime]
) -> None:
    availability = relaxed(weekly(EVERY_DAY, window), slot=timedelta(minutes=minutes))
    assert [slot.start for slot in on_day(availability, LONDON, day)] == starts


def test_notice_rounds_up_to_the_slot_grid() -> None:
    availability = Availability(weekly(EVERY_DAY, hours("10:00", "17:00")), buffer=timedelta(0))
    now = utc(2026, 1, 12, 10, 7)
    assert free_slots(availability, LONDON, [], now)[0].start == utc(2026, 1, 13, 10, 30)


def test_notice_on_the_grid_offers_that_slot() -> None:
    availability = Availability(weekly(EVERY_DAY, hours("10:00", "17:00")), buffer=timedelta(0))
    assert free_slots(availability, LONDON, [], utc(2026, 1, 12, 10))[0].start == utc(2026, 1, 13, 10)


def test_thirty_minute_viewings_with_a_fifteen_minute_buffer_are_offered_every_45_minutes() -> None:
    availability = Availability(weekly(EVERY_DAY, hours("10:00", "16:00")), notice=timedelta(0))
    slots = on_day(availability, LONDON, date(2026, 1, 15))
    assert walls(slots, LONDON) == ["10:00", "10:45", "11:30", "12:15", "13:00", "13:45", "14:30", "15:15"]


def test_after_a_ten_o_clock_booking_the_next_time_offered_is_a_quarter_to_eleven() -> None:
    availability = Availability(weekly(EVERY_DAY, hours("10:00", "12:00")), notice=timedelta(0))
    booking = Busy(utc(2026, 1, 15, 10), utc(2026, 1, 15, 10, 30))
    slots = on_day(availability, LONDON, date(2026, 1, 15), [booking])
    assert walls(slots, LONDON) == ["10:45", "11:30"]


@pytest.mark.parametrize(
    ("window", "free"),
    [
        pytest.param(hours("10:14", "10:44"), True, id="ends-a-minute-before-the-buffer-before"),
        pytest.param(hours("10:15", "10:45"), True, id="ends-as-the-buffer-before-begins"),
        pytest.param(hours("10:16", "10:46"), False, id="ends-a-minute-into-the-buffer-before"),
        pytest.param(hours("11:44", "12:14"), False, id="starts-a-minute-inside-the-buffer-after"),
        pytest.param(hours("11:45", "12:15"), True, id="starts-as-the-buffer-after-ends"),
        pytest.param(hours("11:46", "12:16"), True, id="starts-a-minute-after-the-buffer-after"),
    ],
)
def test_buffers_on_both_sides_of_a_booking(window: Window, free: bool) -> None:
    availability = Availability(weekly(EVERY_DAY, window), notice=timedelta(0))
    booking = Busy(utc(2026, 1, 15, 11), utc(2026, 1, 15, 11, 30))
    slots = on_day(availability, LONDON, date(2026, 1, 15), [booking])
    assert (walls(slots, LONDON) == [window.start.strftime("%H:%M")]) is free


@pytest.mark.parametrize(
    ("windows", "expected"),
    [
        pytest.param(
            [hours("10:00", "10:40"), hours("10:40", "11:40")], ["10:00", "10:45"], id="touching-windows"
        ),
        pytest.param(
            [hours("11:00", "12:00"), hours("10:00", "11:10")],
            ["10:00", "11:00"],
            id="windows-given-out-of-order",
        ),
        pytest.param(
            [hours("10:00", "10:35"), hours("10:50", "11:40")],
            ["10:00", "10:50"],
            id="gap-longer-than-buffer",
        ),
    ],
)
def test_a_later_window_starts_no_sooner_than_a_step_after_the_last_time(
    windows: list[Window], expected: list[str]
) -> None:
    availability = Availability(weekly(EVERY_DAY, *windows), notice=timedelta(0))
    assert walls(on_day(availability, LONDON, date(2026, 1, 15)), LONDON) == expected


def test_the_spring_gap_never_brings_two_times_closer_than_a_step() -> None:
    availability = Availability(weekly(EVERY_DAY, hours("00:00", "03:00")), notice=timedelta(0))
    slots = on_day(availability, LONDON, date(2026, 3, 29))
    # 00:45 GMT is 00:45 UTC; 01:30 does not exist; 02:15 BST is 01:15 UTC, a step after 00:45 would be 01:30.
    assert walls(slots, LONDON) == ["00:00", "00:45"]


def test_busy_in_another_time_zone_is_the_same_instant() -> None:
    availability = relaxed(weekly(EVERY_DAY, hours("10:00", "12:00")))
    dubai = ZoneInfo("Asia/Dubai")
    booking = Busy(datetime(2026, 1, 15, 14, tzinfo=dubai), datetime(2026, 1, 15, 14, 30, tzinfo=dubai))
    slots = on_day(availability, LONDON, date(2026, 1, 15), [booking])
    assert walls(slots, LONDON) == ["10:30", "11:00", "11:30"]


def test_a_short_booking_inside_a_long_one_keeps_the_long_one_blocked() -> None:
    availability = relaxed(weekly(EVERY_DAY, hours("10:00", "14:00")))
    long = Busy(utc(2026, 1, 15, 10), utc(2026, 1, 15, 13))
    short = Busy(utc(2026, 1, 15, 10, 30), utc(2026, 1, 15, 11))
    slots = on_day(availability, LONDON, date(2026, 1, 15), [long, short])
    assert walls(slots, LONDON) == ["13:00", "13:30"]


def test_no_slot_ends_after_its_window() -> None:
    availability = relaxed(weekly(EVERY_DAY, hours("10:00", "11:45")))
    slots = on_day(availability, LONDON, date(2026, 1, 15))
    assert walls(slots, LONDON) == ["10:00", "10:30", "11:00"]


def test_overlapping_windows_give_each_slot_once() -> None:
    availability = relaxed(weekly(EVERY_DAY, hours("10:00", "12:00"), hours("11:00", "13:00")))
    slots = on_day(availability, LONDON, date(2026, 1, 15))
    assert walls(slots, LONDON) == ["10:00", "10:30", "11:00", "11:30", "12:00", "12:30"]


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        pytest.param(date(2026, 1, 10), ["10:00", "10:30", "11:00", "11:30"], id="weekly-saturday"),
        pytest.param(date(2026, 1, 17), ["14:00", "14:30"], id="override-replaces-the-hours"),
        pytest.param(date(2026, 1, 24), [], id="empty-override-is-a-day-off"),
        pytest.param(
            date(2026, 1, 31), ["10:00", "10:30", "11:00", "11:30"], id="next-saturday-keeps-weekly"
        ),
        pytest.param(date(2026, 1, 15), [], id="thursday-has-no-hours"),
    ],
)
def test_overrides_replace_one_date(day: date, expected: list[str]) -> None:
    overrides = {date(2026, 1, 17): [hours("14:00", "15:00")], date(2026, 1, 24): []}
    availability = relaxed(weekly([SATURDAY], hours("10:00", "12:00")), overrides)
    assert walls(on_day(availability, LONDON, day), LONDON) == expected


def test_the_horizon_excludes_slots_beyond_thirty_days() -> None:
    availability = relaxed(weekly(EVERY_DAY, hours("10:00", "11:00")))
    now = utc(2026, 1, 5, 10)
    slots = free_slots(availability, LONDON, [], now)
    assert slots[0].start == now
    assert slots[-1].start == now + timedelta(days=30) == utc(2026, 2, 4, 10)
    assert len(slots) == 30 * 2 + 1


def test_start_and_until_clip_to_one_day() -> None:
    availability = relaxed(weekly(EVERY_DAY, hours("10:00", "11:00")))
    everything = free_slots(availability, LONDON, [], utc(2026, 1, 5, 12))
    day = free_slots(
        availability, LONDON, [], utc(2026, 1, 5, 12), start=utc(2026, 1, 9), until=utc(2026, 1, 10)
    )
    assert day == [slot for slot in everything if slot.start.date() == date(2026, 1, 9)]
    assert walls(day, LONDON) == ["10:00", "10:30"]


@pytest.mark.parametrize(
    ("buffer", "expected"),
    [
        pytest.param(timedelta(0), ["10:00", "10:30", "11:30"], id="tie-takes-the-earlier"),
        pytest.param(timedelta(minutes=15), ["10:00", "12:15"], id="with-buffers-every-45-minutes"),
    ],
)
def test_nearest_free_around_a_taken_slot(buffer: timedelta, expected: list[str]) -> None:
    availability = Availability(
        weekly(EVERY_DAY, hours("10:00", "13:00")), notice=timedelta(0), buffer=buffer
    )
    taken = Busy(utc(2026, 1, 15, 11), utc(2026, 1, 15, 11, 30))
    slots = on_day(availability, LONDON, date(2026, 1, 15), [taken])
    assert walls(nearest_free(slots, taken.start), LONDON) == expected


def test_nearest_free_with_few_slots_or_none_wanted() -> None:
    slots = [Slot(utc(2026, 1, 15, 10), utc(2026, 1, 15, 10, 30))]
    assert nearest_free(slots, utc(2026, 2, 1)) == slots
    assert nearest_free(slots, utc(2026, 2, 1), count=0) == []
    assert nearest_free([], utc(2026, 2, 1)) == []


NEGATIVE = "notice, horizon and buffer cannot be negative"


@pytest.mark.parametrize(
    ("build", "reason"),
    [
        pytest.param(
            lambda: Window(time(12), time(10)), "a window must start before it ends", id="backwards"
        ),
        pytest.param(lambda: Window(time(12), time(12)), "a window must start before it ends", id="empty"),
        pytest.param(
            lambda: Availability({}, slot=timedelta(0)), "a slot must last longer than zero", id="0-slot"
        ),
        pytest.param(lambda: Availability({}, buffer=timedelta(minutes=-1)), NEGATIVE, id="negative-buffer"),
        pytest.param(lambda: Availability({}, notice=timedelta(minutes=-1)), NEGATIVE, id="negative-notice"),
        pytest.param(
            lambda: Availability({}, horizon=timedelta(minutes=-1)), NEGATIVE, id="negative-horizon"
        ),
        pytest.param(
            lambda: free_slots(Availability({}), LONDON, [], datetime(2026, 1, 1)),
            "now, start and until must be aware datetimes",
            id="naive-now",
        ),
    ],
)
def test_impossible_inputs_are_refused(build: Callable[[], object], reason: str) -> None:
    with pytest.raises(ValueError, match=f"^{reason}$"):
        build()


def test_nothing_is_refused_at_zero_notice_horizon_and_buffer() -> None:
    nothing = timedelta(0)
    assert Availability({}, notice=nothing, horizon=nothing, buffer=nothing).horizon == nothing


def test_nearest_free_late_in_the_day_is_not_the_earliest() -> None:
    availability = relaxed(weekly(EVERY_DAY, hours("10:00", "16:00")))
    slots = on_day(availability, LONDON, date(2026, 1, 15))
    assert walls(nearest_free(slots, utc(2026, 1, 15, 15)), LONDON) == ["14:30", "15:00", "15:30"]


def test_a_booking_of_no_length_blocks_nothing_and_the_bookings_after_it_still_count() -> None:
    availability = relaxed(weekly(EVERY_DAY, hours("10:00", "13:00")))
    empty = Busy(utc(2026, 1, 15, 10), utc(2026, 1, 15, 10))
    taken = Busy(utc(2026, 1, 15, 12), utc(2026, 1, 15, 12, 30))
    free = on_day(availability, LONDON, date(2026, 1, 15), [empty, taken])
    assert walls(free, LONDON) == ["10:00", "10:30", "11:00", "11:30", "12:30"]


@pytest.mark.parametrize(
    ("zone", "window", "start", "until", "expected"),
    [
        # 10:00 in Auckland is still the day before in UTC: the slots before it are on the local day.
        pytest.param(
            "Pacific/Auckland",
            hours("08:00", "12:00"),
            "00:00",
            "10:00",
            ["08:00", "08:30", "09:00", "09:30"],
            id="auckland-until-on-the-utc-day-before",
        ),
        # 20:00 in Los Angeles is already the next day in UTC: the evening slots are on the local day.
        pytest.param(
            "America/Los_Angeles",
            hours("18:00", "22:00"),
            "20:00",
            "23:59",
            ["20:00", "20:30", "21:00", "21:30"],
            id="los-angeles-start-on-the-utc-day-after",
        ),
    ],
)
def test_start_and_until_are_read_on_the_listing_clock_not_in_utc(
    zone: str, window: Window, start: str, until: str, expected: list[str]
) -> None:
    day = date(2026, 1, 15)
    local = ZoneInfo(zone)
    begin = datetime.combine(day, time.fromisoformat(start), local)
    end = datetime.combine(day, time.fromisoformat(until), local)
    availability = relaxed(weekly(EVERY_DAY, window))
    free = free_slots(availability, zone, [], begin - timedelta(days=3), start=begin, until=end)
    assert walls(free, zone) == expected


def test_a_wall_time_the_clock_skips_is_never_offered_with_45_minute_viewings() -> None:
    # 01:00, 01:45, 02:30 (skipped: New York jumps from 02:00 EST to 03:00 EDT), 03:15, 04:00.
    availability = relaxed(weekly(EVERY_DAY, hours("01:00", "05:00")), slot=timedelta(minutes=45))
    shown = walls(on_day(availability, "America/New_York", date(2026, 3, 8)), "America/New_York")
    assert {"01:00", "04:00"} <= set(shown) <= {"01:00", "01:45", "03:15", "04:00"}


@pytest.mark.parametrize(
    ("minutes", "starts"),
    [
        (30, [utc(2026, 11, 1, 4), utc(2026, 11, 1, 4, 30), utc(2026, 11, 1, 5)]),
        (60, [utc(2026, 11, 1, 4), utc(2026, 11, 1, 5)]),
        (90, [utc(2026, 11, 1, 4)]),
    ],
)
def test_a_window_ending_in_the_repeated_hour_ends_at_its_second_occurrence(
    minutes: int, starts: list[datetime]
) -> None:
    # New York falls back at 02:00 EDT to 01:00 EST: 01:30 comes twice, and the window ends at 01:30 EST.
    availability = relaxed(weekly(EVERY_DAY, hours("00:00", "01:30")), slot=timedelta(minutes=minutes))
    assert [slot.start for slot in on_day(availability, "America/New_York", date(2026, 11, 1))] == starts


@pytest.mark.parametrize(
    ("zone", "minutes", "starts"),
    [
        # New York springs forward at 02:00 EST to 03:00 EDT: a window ending at 02:30 ends at the jump.
        ("America/New_York", 20, [utc(2026, 3, 8, 6), utc(2026, 3, 8, 6, 20), utc(2026, 3, 8, 6, 40)]),
        ("America/New_York", 30, [utc(2026, 3, 8, 6), utc(2026, 3, 8, 6, 30)]),
        ("America/New_York", 45, [utc(2026, 3, 8, 6)]),
        ("America/New_York", 60, [utc(2026, 3, 8, 6)]),
        ("America/New_York", 90, []),
        # London springs forward at 01:00 GMT to 02:00 BST.
        (LONDON, 20, [utc(2026, 3, 29, 0), utc(2026, 3, 29, 0, 20), utc(2026, 3, 29, 0, 40)]),
        (LONDON, 45, [utc(2026, 3, 29, 0)]),
    ],
)
def test_a_window_ending_in_the_spring_gap_ends_at_the_jump_for_any_slot_length(
    zone: str, minutes: int, starts: list[datetime]
) -> None:
    day = date(2026, 3, 8) if zone == "America/New_York" else date(2026, 3, 29)
    window = hours("01:00", "02:30") if zone == "America/New_York" else hours("00:00", "01:30")
    availability = relaxed(weekly(EVERY_DAY, window), slot=timedelta(minutes=minutes))
    assert [slot.start for slot in on_day(availability, zone, day)] == starts


@dataclass(frozen=True)
class Scenario:
    """One random listing: its hours and rules, its zone, its bookings, and the moment asked."""

    availability: Availability
    zone: str
    busy: list[Busy]
    now: datetime


def clock(minutes: int) -> time:
    """A wall time from minutes after midnight."""
    return time(minutes // 60, minutes % 60)


quarter_hours = st.integers(0, 95).map(lambda quarter: quarter * 15)
small_hours = st.integers(0, 16).map(lambda quarter: quarter * 15)
window_starts = st.one_of(quarter_hours, small_hours, st.integers(0, 1438))
windows = window_starts.flatmap(
    lambda start: st.one_of(
        st.integers(1, 16).map(lambda quarters: min(start + 15 * quarters, 1439)),
        st.integers(start + 1, 1439),
    ).map(lambda end: Window(clock(start), clock(end)))
)
day_windows = st.lists(windows, max_size=3)


@st.composite
def scenarios(draw: st.DrawFn) -> Scenario:
    """A listing in a zone with DST (or none), asked about a few days around one of its 2026 clock changes."""
    zone = draw(st.sampled_from(sorted(TRANSITIONS)))
    change = draw(st.sampled_from(TRANSITIONS[zone]))
    on_the_quarter = st.integers(-4 * 96, 96).map(lambda quarters: quarters * 900)
    now = change + timedelta(seconds=draw(st.one_of(on_the_quarter, st.integers(-4 * 86400, 86400))))
    horizon = timedelta(days=draw(st.sampled_from([1, 3, 7, 30])))
    first_day = now.astimezone(ZoneInfo(zone)).date()
    override_days = st.integers(-1, 8).map(lambda ahead: first_day + timedelta(days=ahead))
    availability = Availability(
        weekly=draw(st.dictionaries(st.integers(0, 6), day_windows, max_size=7)),
        overrides=draw(st.dictionaries(override_days, day_windows, max_size=3)),
        slot=timedelta(minutes=draw(st.sampled_from([15, 20, 30, 45, 60]))),
        notice=timedelta(minutes=draw(st.one_of(st.sampled_from([0, 60, 1440]), st.integers(0, 48 * 60)))),
        horizon=horizon,
        buffer=timedelta(minutes=draw(st.one_of(st.sampled_from([0, 5, 15, 30]), st.integers(0, 30)))),
    )
    hour = now.replace(minute=0, second=0, microsecond=0)
    starts = st.integers(0, int(horizon / timedelta(minutes=5)) + 24 * 12).map(
        lambda k: hour + k * timedelta(minutes=5)
    )
    lengths = st.sampled_from([15, 20, 30, 45, 60, 90]).map(lambda minutes: timedelta(minutes=minutes))
    busy = draw(
        st.lists(st.builds(lambda start, length: Busy(start, start + length), starts, lengths), max_size=15)
    )
    return Scenario(availability, zone, busy, now)


def windows_on(availability: Availability, day: date) -> Sequence[Window]:
    """The windows that apply on a local date."""
    if day in availability.overrides:
        return availability.overrides[day]
    return availability.weekly.get(day.weekday(), ())


def reads(zone: ZoneInfo, instant: datetime) -> datetime:
    """The local clock reading at an instant, naive."""
    return instant.astimezone(zone).replace(tzinfo=None)


def window_end(zone: ZoneInfo, day: date, end: time) -> datetime:
    """The last instant the clock reads `end`, or, in a spring gap, the minute it jumps past it."""
    wall = datetime.combine(day, end)
    later = wall.replace(tzinfo=zone, fold=1).astimezone(UTC)
    if reads(zone, later) == wall:
        return later
    instant = later
    while reads(zone, instant) < wall:
        instant += timedelta(minutes=1)
    return instant


def inside_a_window(scenario: Scenario, slot: Slot) -> bool:
    """Whether the slot starts inside a window on its local date and ends by that window's end."""
    zone = ZoneInfo(scenario.zone)
    wall = reads(zone, slot.start)
    return any(
        window.start <= wall.time() < window.end and slot.end <= window_end(zone, wall.date(), window.end)
        for window in windows_on(scenario.availability, wall.date())
    )


def clear_of(busy: Sequence[Busy], buffer: timedelta, start: datetime, end: datetime) -> bool:
    """The rule as written: the slot ends a buffer before each booking or starts a buffer after it."""
    return all(end + buffer <= booking.start or start >= booking.end + buffer for booking in busy)


def day_grid(rules: Availability, zone: ZoneInfo, day: date) -> list[Slot]:
    """A day's times: from each window's opening (or a step after the last time), a step apart."""
    times: list[tuple[datetime, Slot]] = []
    for window in sorted(windows_on(rules, day), key=lambda window: window.start):
        wall = datetime.combine(day, window.start)
        if times:
            wall = max(wall, times[-1][0] + rules.step)
        while wall < datetime.combine(day, window.end):
            start = wall.replace(tzinfo=zone).astimezone(UTC)
            exists = reads(zone, start) == wall
            fits = start + rules.slot <= window_end(zone, day, window.end)
            spaced = not times or start >= times[-1][1].start + rules.step
            if exists and fits and spaced:
                times.append((wall, Slot(start, start + rules.slot)))
            wall += rules.step
    return [slot for _, slot in times]


def every_bookable(scenario: Scenario) -> list[Slot]:
    """The rules applied one candidate at a time, the slow and obvious way."""
    rules, zone = scenario.availability, ZoneInfo(scenario.zone)
    day, last = reads(zone, scenario.now).date(), reads(zone, scenario.now + rules.horizon).date()
    found: set[Slot] = set()
    while day <= last:
        for slot in day_grid(rules, zone, day):
            if scenario.now + rules.notice <= slot.start <= scenario.now + rules.horizon and clear_of(
                scenario.busy, rules.buffer, slot.start, slot.end
            ):
                found.add(slot)
        day += timedelta(days=1)
    return sorted(found)


def slots_of(scenario: Scenario) -> list[Slot]:
    """free_slots for a scenario."""
    return free_slots(scenario.availability, scenario.zone, scenario.busy, scenario.now)


@settings(max_examples=150, deadline=None)
@given(scenarios())
def test_every_slot_keeps_every_rule(scenario: Scenario) -> None:
    rules = scenario.availability
    slots = slots_of(scenario)
    assert slots == sorted(set(slots))
    for slot in slots:
        assert clear_of(scenario.busy, rules.buffer, slot.start, slot.end)
        assert inside_a_window(scenario, slot)
        assert scenario.now + rules.notice <= slot.start <= scenario.now + rules.horizon
        assert slot.end - slot.start == rules.slot
        assert slot.start.utcoffset() == timedelta(0)
    zone = ZoneInfo(scenario.zone)
    for earlier, later in pairwise(slots):
        if reads(zone, earlier.start).date() == reads(zone, later.start).date():
            assert earlier.end + rules.buffer <= later.start, "two times of one day can't both be booked"


@settings(max_examples=100, deadline=None)
@given(scenarios())
def test_nothing_bookable_is_left_out(scenario: Scenario) -> None:
    assert slots_of(scenario) == every_bookable(scenario)


@settings(max_examples=50, deadline=None)
@given(scenarios(), st.integers(0, 10 * 86400), st.integers(0, 3 * 86400))
def test_start_and_until_only_clip(scenario: Scenario, after: int, length: int) -> None:
    start = scenario.now + timedelta(seconds=after - 86400)
    until = start + timedelta(seconds=length)
    clipped = free_slots(
        scenario.availability, scenario.zone, scenario.busy, scenario.now, start=start, until=until
    )
    assert clipped == [slot for slot in slots_of(scenario) if start <= slot.start < until]
