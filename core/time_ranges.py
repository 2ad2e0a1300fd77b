"""Reading a range of clock times as people type it: "22-8", "10pm to 7am", "9.30 to 17.30", in any digits."""

from __future__ import annotations

import re
from datetime import time
from typing import Final

_AM: Final = frozenset({"am", "a.m.", "a.m", "ص", "صباحا", "صباحاً"})
_PM: Final = frozenset({"pm", "p.m.", "p.m", "م", "مساء", "مساءً"})
_MERIDIEM: Final = "|".join(re.escape(word) for word in sorted(_AM | _PM, key=len, reverse=True))
_TIME_SEPARATORS: Final = ":.\N{ARABIC DECIMAL SEPARATOR}"
_RANGE_WORDS: Final = "|".join(("[-\N{EN DASH}\N{EM DASH}]", "to", "till", "until", "إلى", "الى", "حتى"))
_TIME: Final = rf"(\d{{1,2}})(?:\s*[{_TIME_SEPARATORS}]\s*(\d{{2}}))?\s*({_MERIDIEM})?"
_RANGE: Final = re.compile(rf"^(?:from|من)?\s*{_TIME}\s*(?:{_RANGE_WORDS})\s*{_TIME}$", re.IGNORECASE)


def parse_clock_range(text: str) -> tuple[time, time] | None:
    """Two clock times joined by a dash or "to", both with am/pm or neither; None when unreadable."""
    match = _RANGE.match(" ".join(text.split()).casefold())
    if match is None:
        return None
    start_hour, start_minute, start_meridiem, end_hour, end_minute, end_meridiem = match.groups()
    if (start_meridiem is None) != (end_meridiem is None):
        return None
    start = _clock_time(start_hour, start_minute, start_meridiem)
    end = _clock_time(end_hour, end_minute, end_meridiem)
    if start is None or end is None:
        return None
    return start, end


def _clock_time(hour_text: str, minute_text: str | None, meridiem: str | None) -> time | None:
    hour, minute = int(hour_text), int(minute_text or 0)
    if meridiem is not None:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if meridiem in _PM else 0)
    if hour > 23 or minute > 59:
        return None
    return time(hour, minute)
