"""Phone numbers in E.164, read with the person's region when they leave out the country code."""

from __future__ import annotations

import unicodedata
from typing import Final

import phonenumbers
from phonenumbers import PhoneNumber, PhoneNumberFormat, PhoneNumberType

_UK_DRAMA_MOBILES: Final = range(7700900000, 7700901000)
_UK_DRAMA_EXAMPLE: Final = "+44 7700 900123"


def to_e164(raw: str, region: str) -> str | None:
    """The E.164 form of a typed or provider-given number ("07700 900123"); None when it is not a real one."""
    text = _ascii_digits(raw).strip().removeprefix("whatsapp:").removeprefix("tel:").strip()
    candidates = [text]
    if text.isdigit() and not text.startswith("0"):
        candidates.append("+" + text)
    for candidate in candidates:
        number = _parse(candidate, region)
        if number is not None:
            return phonenumbers.format_number(number, PhoneNumberFormat.E164)
    return None


def is_mobile(e164: str) -> bool:
    """True when a valid E.164 number is a mobile one (texts reach it); Ofcom's drama mobiles count."""
    number = _parse(e164, None)
    if number is None:
        return False
    kind = phonenumbers.number_type(number)
    return _is_uk_drama(number) or kind in (PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE)


def region_for_number(e164: str) -> str | None:
    """The region a valid E.164 number belongs to ("GB"); None when it is not a valid number."""
    number = _parse(e164, None)
    if number is None:
        return None
    return "GB" if _is_uk_drama(number) else phonenumbers.region_code_for_number(number)


def example_number(region: str) -> str:
    """An example mobile number for the region, spaced; Ofcom's drama number for GB or an unknown region."""
    region = region.upper()
    number = None if region == "GB" else phonenumbers.example_number_for_type(region, PhoneNumberType.MOBILE)
    if number is None:
        return _UK_DRAMA_EXAMPLE
    return phonenumbers.format_number(number, PhoneNumberFormat.INTERNATIONAL)


def local_example_number(region: str) -> str:
    """The same example as `example_number`, as dialled within its region, without the country code."""
    number = phonenumbers.parse(example_number(region), None)
    return phonenumbers.format_number(number, PhoneNumberFormat.NATIONAL)


def format_international(e164: str) -> str:
    """An E.164 number spaced for reading ("+44 7700 900123"); unchanged when it cannot be read."""
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164
    return phonenumbers.format_number(number, PhoneNumberFormat.INTERNATIONAL)


def _parse(text: str, region: str | None) -> PhoneNumber | None:
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return None
    return number if phonenumbers.is_valid_number(number) or _is_uk_drama(number) else None


def _is_uk_drama(number: PhoneNumber) -> bool:
    return number.country_code == 44 and number.national_number in _UK_DRAMA_MOBILES


def _ascii_digits(text: str) -> str:
    return "".join(str(unicodedata.decimal(char)) if char.isdecimal() else char for char in text)
