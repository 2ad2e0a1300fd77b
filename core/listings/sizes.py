"""Reading a home's size as a seller types it: floor area in m² or sq ft (kept in m²) and room counts."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Final

SQUARE_METRES: Final = "Square Meters"  # RESO LivingAreaUnits
SQUARE_FEET: Final = "Square Feet"
_SQ_FT_IN_M2: Final = Decimal("0.09290304")
_TENTH: Final = Decimal("0.1")
SMALLEST_AREA_M2: Final = Decimal(5)
LARGEST_AREA_M2: Final = Decimal(100_000)
MOST_ROOMS: Final = 50
_DIGITS: Final = str.maketrans(
    {
        **{chr(0x0660 + digit): str(digit) for digit in range(10)},
        **{chr(0x06F0 + digit): str(digit) for digit in range(10)},
        "\N{ARABIC DECIMAL SEPARATOR}": ".",
        "\N{ARABIC THOUSANDS SEPARATOR}": ",",
        "²": "2",
    }
)
_UNIT_WORDS: Final = {
    SQUARE_METRES: (
        "m2",
        "sqm",
        "sq m",
        "sq. m",
        "sq.m",
        "square metres",
        "square meters",
        "square metre",
        "square meter",
        "metres",
        "meters",
        "m",
        "متر مربع",
        "م2",
        "متر",
    ),
    SQUARE_FEET: (
        "sqft",
        "sq ft",
        "sq. ft",
        "sq.ft",
        "sq feet",
        "square feet",
        "square foot",
        "ft2",
        "feet",
        "ft",
        "قدم مربع",
        "قدم",
    ),
}
_UNITS: Final = {word: unit for unit, words in _UNIT_WORDS.items() for word in words}
_UNIT_PATTERN: Final = "|".join(re.escape(w) for w in sorted(_UNITS, key=len, reverse=True))
_AREA: Final = re.compile(
    rf"^(?P<number>\d{{1,3}}(?:,\d{{3}})+|\d+(?:\.\d+)?)\s*(?P<unit>{_UNIT_PATTERN})?\.?$"
)
_COUNT_WORDS: Final = {
    **{
        w: n
        for n, w in enumerate(
            ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")
        )
    },
    "none": 0,
    "no": 0,
    "studio": 0,
    **{
        w: n
        for n, w in enumerate(
            ("صفر", "واحد", "اثنان", "ثلاثة", "أربعة", "خمسة", "ستة", "سبعة", "ثمانية", "تسعة", "عشرة")
        )
    },
    "اثنين": 2,
    "غرفتين": 2,
    "غرفة": 1,
}
_ROOM_WORDS: Final = re.compile(
    r"\s*(?:bed(?:room)?s?|bath(?:room)?s?|rooms?|غرف(?:ة)?(?: نوم)?|حمام(?:ات)?)\.?$", re.IGNORECASE
)


def floor_area_m2(text: str) -> Decimal | None:
    """A floor area in m², to a tenth: "85 m2", "85m²", "915 sq ft", "٨٥ متر مربع"; None if it is not one.

    A bare number is taken as m² (what a UK listing gives first); an area outside 5-100,000 m² is None.
    """
    cleaned = " ".join(text.translate(_DIGITS).casefold().split())
    match = _AREA.match(cleaned)
    if match is None:
        return None
    try:
        number = Decimal(match["number"].replace(",", ""))
    except InvalidOperation:  # pragma: no cover - the pattern admits only decimal numbers
        return None
    unit = _UNITS.get(match["unit"] or "m2", SQUARE_METRES)
    area = number * _SQ_FT_IN_M2 if unit == SQUARE_FEET else number
    area = area.quantize(_TENTH, rounding=ROUND_HALF_UP)
    return area if SMALLEST_AREA_M2 <= area <= LARGEST_AREA_M2 else None


def room_count(text: str) -> int | None:
    """A number of rooms: "3", "three", "3 bedrooms", "٣", "studio" (0); None if not one, or above 50."""
    cleaned = _ROOM_WORDS.sub("", " ".join(text.translate(_DIGITS).casefold().split())).strip()
    count = int(cleaned) if cleaned.isdecimal() and len(cleaned) <= 3 else _COUNT_WORDS.get(cleaned)
    return count if count is not None and count <= MOST_ROOMS else None
