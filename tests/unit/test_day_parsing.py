"""Reading the viewing hours and dates sellers type, in English and Arabic, with either kind of digits."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.viewings.day_parsing import NoSuchDay, parse_day, parse_hours, read_day
from core.viewings.slots import Window

ARABIC_INDIC = str.maketrans("0123456789", "".join(chr(0x0660 + digit) for digit in range(10)))
PERSIAN = str.maketrans("0123456789", "".join(chr(0x06F0 + digit) for digit in range(10)))
THURSDAY = date(2026, 5, 14)
MONTHS = "january february march april may june july august september october november december".split()
WEEKDAYS = "monday tuesday wednesday thursday friday saturday sunday".split()

dates = st.dates(date(2020, 1, 1), date(2040, 12, 31))


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        pytest.param("10-16", time(10), time(16), id="hours"),
        pytest.param("10:00-16:00", time(10), time(16), id="colons"),
        pytest.param("9am-5pm", time(9), time(17), id="am-pm"),
        pytest.param("9 AM - 5 PM", time(9), time(17), id="am-pm-spaced"),
        pytest.param("9.30 to 17.30", time(9, 30), time(17, 30), id="dots-and-to"),
        pytest.param("10 \N{EN DASH} 16", time(10), time(16), id="en-dash"),
        pytest.param("10\N{EM DASH}16", time(10), time(16), id="em-dash"),
        pytest.param("from 9 until 17", time(9), time(17), id="from-until"),
        pytest.param("10-16".translate(ARABIC_INDIC), time(10), time(16), id="arabic-indic-digits"),
        pytest.param(
            "9:30-17:30".translate(ARABIC_INDIC), time(9, 30), time(17, 30), id="arabic-indic-minutes"
        ),
        pytest.param("10-16".translate(PERSIAN), time(10), time(16), id="persian-digits"),
        pytest.param("9 ص - 5 م", time(9), time(17), id="arabic-am-pm"),
        pytest.param("من 10 إلى 16", time(10), time(16), id="arabic-words"),
    ],
)
def test_readable_hours(text: str, start: time, end: time) -> None:
    assert parse_hours(text) == Window(start, end)


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("16-10", id="backwards"),
        pytest.param("10-10", id="empty"),
        pytest.param("10-4", id="afternoon-without-pm"),
        pytest.param("", id="nothing"),
        pytest.param("banana", id="words"),
        pytest.param("10-", id="no-end"),
        pytest.param("10-25", id="no-such-hour"),
        pytest.param("9am-17", id="am-pm-on-one-side-only"),
        pytest.param("10-16-18", id="three-times"),
    ],
)
def test_unreadable_hours(text: str) -> None:
    assert parse_hours(text) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("5 Dec", date(2026, 12, 5), id="day-month-abbreviated"),
        pytest.param("5 december", date(2026, 12, 5), id="day-month"),
        pytest.param("December 5", date(2026, 12, 5), id="month-day"),
        pytest.param("Dec. 5th", date(2026, 12, 5), id="month-day-ordinal"),
        pytest.param("5th of December, 2027", date(2027, 12, 5), id="day-of-month-year"),
        pytest.param("sept 3", date(2026, 9, 3), id="sept"),
        pytest.param("5/12", date(2026, 12, 5), id="day-slash-month-uk"),
        pytest.param("5.12.27", date(2027, 12, 5), id="day-month-short-year"),
        pytest.param("05/12/2027", date(2027, 12, 5), id="day-month-year"),
        pytest.param("2026-12-05", date(2026, 12, 5), id="iso"),
        pytest.param("14 May", THURSDAY, id="today-by-date"),
        pytest.param("13 May", date(2027, 5, 13), id="yesterday-by-date-is-next-year"),
        pytest.param("1 jan", date(2027, 1, 1), id="january-is-next-year"),
        pytest.param("29 Feb 2028", date(2028, 2, 29), id="leap-day-in-a-leap-year"),
        pytest.param("today", THURSDAY, id="today"),
        pytest.param("Tomorrow", date(2026, 5, 15), id="tomorrow"),
        pytest.param("saturday", date(2026, 5, 16), id="saturday"),
        pytest.param("Sat", date(2026, 5, 16), id="sat"),
        pytest.param("wed", date(2026, 5, 20), id="wednesday-next-week"),
        pytest.param("thursday", date(2026, 5, 21), id="today-excluded"),
        pytest.param("  Saturday. ", date(2026, 5, 16), id="spaces-and-full-stop"),
        pytest.param("5/12".translate(ARABIC_INDIC), date(2026, 12, 5), id="arabic-indic-slash"),
        pytest.param("2026-12-05".translate(ARABIC_INDIC), date(2026, 12, 5), id="arabic-indic-iso"),
        pytest.param("5/12".translate(PERSIAN), date(2026, 12, 5), id="persian-digits"),
        pytest.param("5 ديسمبر".translate(ARABIC_INDIC), date(2026, 12, 5), id="arabic-day-month"),
        pytest.param("ديسمبر 5", date(2026, 12, 5), id="arabic-month-day"),
        pytest.param("3 أبريل", date(2027, 4, 3), id="arabic-april-hamza"),
        pytest.param("3 ابريل", date(2027, 4, 3), id="arabic-april-plain-alef"),
        pytest.param("20 مايو 2027", date(2027, 5, 20), id="arabic-with-year"),
        pytest.param("غدا", date(2026, 5, 15), id="arabic-tomorrow"),
        pytest.param("غداً", date(2026, 5, 15), id="arabic-tomorrow-tanween"),
        pytest.param("اليوم", THURSDAY, id="arabic-today"),
        pytest.param("السبت", date(2026, 5, 16), id="arabic-saturday"),
        pytest.param("الخميس", date(2026, 5, 21), id="arabic-thursday-today-excluded"),
    ],
)
def test_readable_days(text: str, expected: date) -> None:
    assert parse_day(text, THURSDAY) == expected


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("31 Feb", id="no-such-day"),
        pytest.param("banana", id="words"),
        pytest.param("13/13", id="no-such-month"),
        pytest.param("", id="nothing"),
        pytest.param("0/5", id="day-zero"),
        pytest.param("32 Dec", id="day-32"),
        pytest.param("2026-02-30", id="iso-no-such-day"),
        pytest.param("5 smarch", id="no-such-month-name"),
        pytest.param("next week", id="vague"),
        pytest.param("5/12/2026/1", id="too-many-parts"),
        pytest.param("5/12-2026", id="mixed-separators"),
    ],
)
def test_unreadable_days(text: str) -> None:
    assert parse_day(text, THURSDAY) is None


@given(dates)
def test_full_dates_read_back(day: date) -> None:
    for text in (
        day.isoformat(),
        f"{day.day}/{day.month}/{day.year}",
        f"{MONTHS[day.month - 1]} {day.day}, {day.year}",
    ):
        assert parse_day(text, THURSDAY) == day
        assert parse_day(text.translate(ARABIC_INDIC), THURSDAY) == day


def in_year(day: date, year: int) -> date | None:
    """The same day and month in another year, if that year has it."""
    try:
        return day.replace(year=year)
    except ValueError:
        return None


@given(dates, dates)
def test_a_day_and_month_is_its_next_occurrence_within_a_year(day: date, today: date) -> None:
    found = read_day(f"{day.day} {MONTHS[day.month - 1][:3]}", today)
    year = today.year if (day.month, day.day) >= (today.month, today.day) else today.year + 1
    expected = in_year(day, year)
    assert found == (expected if expected is not None else NoSuchDay(29, 2, year))
    if expected is not None:
        assert timedelta(0) <= expected - today < timedelta(days=366)


@pytest.mark.parametrize(
    ("text", "missing"),
    [
        pytest.param("31 Feb", NoSuchDay(31, 2, None), id="31-feb"),
        pytest.param("30 February", NoSuchDay(30, 2, None), id="30-feb"),
        pytest.param("29 Feb", NoSuchDay(29, 2, 2027), id="29-feb-next-year-not-leap"),
        pytest.param("29/2/2027", NoSuchDay(29, 2, 2027), id="29-feb-in-a-year-not-leap"),
        pytest.param("2026-02-29", NoSuchDay(29, 2, 2026), id="iso-29-feb"),
        pytest.param("31 Apr", NoSuchDay(31, 4, None), id="31-apr"),
        pytest.param("31 June", NoSuchDay(31, 6, None), id="31-jun"),
        pytest.param("31/9", NoSuchDay(31, 9, None), id="31-sep-numeric"),
        pytest.param("31 نوفمبر", NoSuchDay(31, 11, None), id="arabic-31-nov"),
        pytest.param("32 Dec", NoSuchDay(32, 12, None), id="day-32"),
        pytest.param("0/5", NoSuchDay(0, 5, None), id="day-zero"),
    ],
)
def test_a_day_the_calendar_lacks_is_named(text: str, missing: NoSuchDay) -> None:
    assert read_day(text, THURSDAY) == missing
    assert parse_day(text, THURSDAY) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("28 Feb", date(2027, 2, 28), id="28-feb"),
        pytest.param("1 Mar", date(2027, 3, 1), id="1-mar"),
        pytest.param("30 Apr", date(2027, 4, 30), id="30-apr"),
        pytest.param("31 May", date(2026, 5, 31), id="31-may"),
        pytest.param("29 Feb 2028", date(2028, 2, 29), id="29-feb-leap"),
    ],
)
def test_days_next_to_the_missing_ones_are_read(text: str, expected: date) -> None:
    assert read_day(text, THURSDAY) == expected


@given(st.sampled_from(range(7)), dates)
def test_a_weekday_is_within_the_next_seven_days(weekday: int, today: date) -> None:
    for name in (WEEKDAYS[weekday], WEEKDAYS[weekday][:3]):
        found = parse_day(name, today)
        assert found is not None
        assert found.weekday() == weekday
        assert today < found <= today + timedelta(days=7)
