"""Reading the one amount of money a buyer or seller types with an offer ("£285k", "1.2m AED", "٢٨٥ ألف")."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Final

_CENT: Final = Decimal("0.01")
_TOO_MUCH: Final = Decimal(10**12)
_MARKS: Final = re.compile("[\N{ARABIC FATHATAN}-\N{ARABIC SUKUN}\N{ARABIC TATWEEL}]")
_TO_ASCII: Final = str.maketrans(
    {
        **{chr(0x0660 + digit): str(digit) for digit in range(10)},
        **{chr(0x06F0 + digit): str(digit) for digit in range(10)},
        "\N{ARABIC DECIMAL SEPARATOR}": ".",
        "\N{ARABIC THOUSANDS SEPARATOR}": ",",
        "\N{RIGHT SINGLE QUOTATION MARK}": "'",
        **dict.fromkeys("أإآ", "\N{ARABIC LETTER ALEF}"),
    }
)
_FILLER_NAMES: Final = (
    *("i", "i'd", "i'll", "i'm", "we", "we'd", "we'll", "would", "will", "can", "like", "to", "make"),
    *("an", "offer", "offering", "of", "my", "our", "is", "عرض", "عرضي", "أعرض"),
)
_CURRENCY_NAMES: Final = {
    "GBP": ("£", "gbp", "pound", "pounds", "quid"),
    "USD": ("$", "usd", "dollar", "dollars"),
    "EUR": ("€", "eur", "euro", "euros"),
    "AED": ("aed", "د.إ", "درهم", "dirham", "dirhams"),
}
_SCALE_NAMES: Final = {3: ("k", "thousand", "grand", "ألف"), 6: ("m", "mn", "million", "مليون")}
_DECIMALS: Final = r"(?:\.\d+)?"
_NUMBER_FORMS: Final = (
    re.compile(rf"\d+{_DECIMALS}", re.ASCII),
    re.compile(rf"[1-9]\d{{0,2}}(?:,\d{{3}})+{_DECIMALS}", re.ASCII),
    re.compile(rf"[1-9]\d{{0,2}}(?: \d{{3}})+{_DECIMALS}", re.ASCII),
)
_DOT_GROUPED: Final = re.compile(r"[1-9]\d{0,2}(?:\.\d{3})+", re.ASCII)


def _normal(text: str) -> str:
    """ASCII digits and separators, lower case, single spaces, one alef, and no punctuation at the end."""
    words = " ".join(_MARKS.sub("", text.translate(_TO_ASCII)).split()).casefold()
    return words.rstrip(".,!?\N{ARABIC QUESTION MARK}\N{ARABIC COMMA} ")


def _choice(names: Iterable[str]) -> str:
    return "|".join(re.escape(name) for name in sorted(names, key=len, reverse=True))


_FILLER_WORDS: Final = frozenset(_normal(name) for name in _FILLER_NAMES)
_CURRENCIES: Final = {_normal(name): code for code, names in _CURRENCY_NAMES.items() for name in names}
_SCALES: Final = {_normal(name): power for power, names in _SCALE_NAMES.items() for name in names}
_AMOUNT: Final = re.compile(
    rf"(?:(?P<before>{_choice(_CURRENCIES)})\s*)?(?P<number>\d(?:[\d,. ]*\d)?)"
    rf"\s*(?P<scale>{_choice(_SCALES)})?\s*(?P<after>{_choice(_CURRENCIES)})?",
    re.ASCII,
)


@dataclass(frozen=True)
class Amount:
    """A positive amount to the penny, and the ISO currency code when the text named one."""

    value: Decimal
    currency: str | None


def parse_amount(text: str) -> Amount | None:
    """An amount of money as typed; None when the text is not one amount."""
    match = _AMOUNT.fullmatch(_without_filler(_normal(text)))
    if match is None:
        return None
    before, number, scale, after = match.group("before", "number", "scale", "after")
    currencies = {_CURRENCIES[name] for name in (before, after) if name is not None}
    digits = _digits(number, scaled=scale is not None)
    if digits is None or len(currencies) > 1:
        return None
    value = Decimal(f"{digits}e{_SCALES[scale] if scale else 0}")
    if not 0 < value < _TOO_MUCH or value != value.quantize(_CENT):
        return None
    return Amount(value.quantize(_CENT), next(iter(currencies), None))


def _without_filler(words: str) -> str:
    """The text after any leading words from the few that introduce an offer ("I'd like to offer")."""
    split = words.split(" ")
    kept = next((index for index, word in enumerate(split) if word not in _FILLER_WORDS), len(split))
    return " ".join(split[kept:])


def _digits(number: str, scaled: bool) -> str | None:
    """Digits and point of "285,000.50" or "285 000"; unscaled "285.000" groups thousands; no "28,50,000"."""
    if not scaled and _DOT_GROUPED.fullmatch(number):
        return number.replace(".", "")
    if any(form.fullmatch(number) for form in _NUMBER_FORMS):
        return number.replace(",", "").replace(" ", "")
    return None
