"""Reading the viewing hours and dates a seller types, in English or Arabic, with either kind of digits."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Final

from core.time_ranges import parse_clock_range
from core.viewings.slots import Window

_MARKS: Final = re.compile("[\N{ARABIC FATHATAN}-\N{ARABIC SUKUN}\N{ARABIC TATWEEL}]")
_ALEFS: Final = str.maketrans(dict.fromkeys("أإآ", "\N{ARABIC LETTER ALEF}"))
_MONTH_NAMES: Final = (
    ("january", "jan", "يناير"),
    ("february", "feb", "فبراير"),
    ("march", "mar", "مارس"),
    ("april", "apr", "أبريل"),
    ("may", "مايو"),
    ("june", "jun", "يونيو", "يونيه"),
    ("july", "jul", "يوليو", "يوليه"),
    ("august", "aug", "أغسطس"),
    ("september", "sep", "sept", "سبتمبر"),
    ("october", "oct", "أكتوبر"),
    ("november", "nov", "نوفمبر"),
    ("december", "dec", "ديسمبر"),
)
_WEEKDAY_NAMES: Final = (
    ("monday", "mon", "الاثنين"),
    ("tuesday", "tue", "tues", "الثلاثاء"),
    ("wednesday", "wed", "الأربعاء"),
    ("thursday", "thu", "thur", "thurs", "الخميس"),
    ("friday", "fri", "الجمعة"),
    ("saturday", "sat", "السبت"),
    ("sunday", "sun", "الأحد"),
)
_DAYS_AHEAD: Final = {"today": 0, "اليوم": 0, "tomorrow": 1, "غداً": 1, "بكرة": 1}


def _normal(text: str) -> str:
    """Lower case, single spaces, no Arabic vowel marks, one alef, and no full stop or comma at either end."""
    words = " ".join(_MARKS.sub("", text).translate(_ALEFS).split()).casefold()
    return words.strip(".,!?\N{ARABIC QUESTION MARK}\N{ARABIC COMMA} ")


def _names(groups: tuple[tuple[str, ...], ...], first: int) -> dict[str, int]:
    return {_normal(name): number for number, names in enumerate(groups, start=first) for name in names}


_MONTHS: Final = _names(_MONTH_NAMES, first=1)
_WEEKDAYS: Final = _names(_WEEKDAY_NAMES, first=0)
_RELATIVE: Final = {_normal(word): ahead for word, ahead in _DAYS_AHEAD.items()}
_MONTH: Final = "|".join(re.escape(name) for name in sorted(_MONTHS, key=len, reverse=True))
_ORDINAL: Final = r"(?:st|nd|rd|th)?"
_YEAR: Final = r"(?:,?\s*(\d{4}))?"
_ISO: Final = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_DAY_MONTH: Final = re.compile(rf"(\d{{1,2}}){_ORDINAL}\s*(?:of\s+)?({_MONTH})\.?{_YEAR}")
_MONTH_DAY: Final = re.compile(rf"({_MONTH})\.?\s*(\d{{1,2}}){_ORDINAL}{_YEAR}")
_NUMERIC: Final = re.compile(r"(\d{1,2})\s*([/.-])\s*(\d{1,2})(?:\s*\2\s*(\d{4}|\d{2}))?")


def parse_hours(text: str) -> Window | None:
    """Viewing hours as typed ("10-16", "9am-5pm", "9.30 to 17.30"); None if unreadable or start >= end."""
    hours = parse_clock_range(text)
    if hours is None or hours[0] >= hours[1]:
        return None
    return Window(*hours)


@dataclass(frozen=True)
class NoSuchDay:
    """A day the calendar lacks ("31 Feb", "31/4"); `year` is given when other years have it (29 Feb)."""

    day: int
    month: int
    year: int | None


def parse_day(text: str, today: date) -> date | None:
    """A date as typed ("5 Dec", "5/12", "2026-12-05", "tomorrow", "sat", Arabic too); None if unreadable
    or not in the calendar."""
    found = read_day(text, today)
    return found if isinstance(found, date) else None


def read_day(text: str, today: date) -> date | NoSuchDay | None:
    """Like `parse_day`, but a day and month the calendar lacks is a NoSuchDay, so it can be named.

    Without a year, a day and month is its next occurrence from today, within the coming twelve months.
    """
    words = _normal(text)
    if words in _RELATIVE:
        return today + timedelta(days=_RELATIVE[words])
    if words in _WEEKDAYS:
        return today + timedelta(days=(_WEEKDAYS[words] - today.weekday() - 1) % 7 + 1)
    parts = _day_month_year(words)
    if parts is None or not 1 <= parts[1] <= 12:
        return None
    day, month, year = parts
    if year is None:
        year = today.year if (month, day) >= (today.month, today.day) else today.year + 1
    found = _real_date(year, month, day)
    if found is not None:
        return found
    in_some_year = 1 <= day <= calendar.monthrange(2000, month)[1]  # 2000 was a leap year
    return NoSuchDay(day, month, year if in_some_year else None)


def _day_month_year(words: str) -> tuple[int, int, int | None] | None:
    """Day, month and year (if given) from "5 dec", "dec 5th, 2026", "5/12/26" or "2026-12-05"."""
    if match := _ISO.fullmatch(words):
        year, month, day = match.groups()
        return int(day), int(month), int(year)
    if match := _DAY_MONTH.fullmatch(words):
        day, month, year = match.groups()
        return int(day), _MONTHS[month], _year(year)
    if match := _MONTH_DAY.fullmatch(words):
        month, day, year = match.groups()
        return int(day), _MONTHS[month], _year(year)
    if match := _NUMERIC.fullmatch(words):
        day, _, month, year = match.groups()
        return int(day), int(month), _year(year)
    return None


def _year(text: str | None) -> int | None:
    if text is None:
        return None
    return int(text) + (2000 if len(text) == 2 else 0)


def _real_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None
