"""Reading phone numbers into E.164, UK drama numbers included, and showing them back."""

from __future__ import annotations

import re

import phonenumbers
import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.phones import example_number, format_international, local_example_number, region_for_number, to_e164

ARABIC_INDIC = str.maketrans("0123456789", "".join(chr(0x0660 + digit) for digit in range(10)))
PERSIAN = str.maketrans("0123456789", "".join(chr(0x06F0 + digit) for digit in range(10)))
E164 = re.compile(r"\+[1-9][0-9]{6,14}")


@pytest.mark.parametrize(
    ("raw", "region", "e164"),
    [
        ("07700 900123", "GB", "+447700900123"),
        ("07700900123", "GB", "+447700900123"),
        ("+44 7700 900123", "GB", "+447700900123"),
        ("+44 7700 900123", "US", "+447700900123"),
        ("447700900123", "GB", "+447700900123"),
        ("447700900123", "AE", "+447700900123"),
        ("whatsapp:+447700900123", "GB", "+447700900123"),
        ("tel:+44-7700-900123", "GB", "+447700900123"),
        ("0044 7700 900123", "GB", "+447700900123"),
        ("  07700 900 123  ", "GB", "+447700900123"),
        ("07700 900123".translate(ARABIC_INDIC), "GB", "+447700900123"),
        ("+44 7700 900123".translate(ARABIC_INDIC), "AE", "+447700900123"),
        ("07700 900123".translate(PERSIAN), "GB", "+447700900123"),
        ("+447700900000", "GB", "+447700900000"),
        ("+447700900999", "GB", "+447700900999"),
        ("(0113) 496 0000", "GB", "+441134960000"),
        ("+971 50 123 4567", "GB", "+971501234567"),
        ("050 123 4567", "AE", "+971501234567"),
        ("971501234567", "GB", "+971501234567"),
        ("(201) 555-0123", "US", "+12015550123"),
        ("whatsapp:+12015550123", "GB", "+12015550123"),
    ],
)
def test_numbers_people_and_providers_write(raw: str, region: str, e164: str) -> None:
    assert to_e164(raw, region) == e164


@pytest.mark.parametrize(
    "raw",
    [
        "12345",
        "hello",
        "+44 12",
        "",
        "   ",
        "+1 555 0000",
        "+15555550000",
        "07700 901000",
        "+4477009001234",
        "whatsapp:",
        "0",
        "+",
    ],
)
def test_what_is_not_a_number(raw: str) -> None:
    assert to_e164(raw, "GB") is None


@given(st.integers(0, 999), st.sampled_from(["0{} {}", "+44 {} {}", "44{}{}", "whatsapp:+44{}{}", "0{}-{}"]))
def test_every_uk_drama_mobile_is_accepted(last: int, pattern: str) -> None:
    raw = pattern.format("7700", f"900{last:03d}")
    expected = f"+447700900{last:03d}"
    assert to_e164(raw, "GB") == expected
    assert to_e164(raw.translate(ARABIC_INDIC), "GB") == expected


@given(
    st.text(alphabet="0123456789 +-()abc:" + "0123456789".translate(ARABIC_INDIC), max_size=20),
    st.sampled_from(["GB", "US", "AE"]),
)
def test_any_text_is_refused_or_a_valid_e164(raw: str, region: str) -> None:
    e164 = to_e164(raw, region)
    if e164 is not None:
        assert E164.fullmatch(e164)
        assert to_e164(e164, "GB") == e164
        assert region_for_number(e164) is not None


@given(st.sampled_from(["GB", "US", "AE", "SA", "EG", "IN", "FR", "DE", "AU"]))
def test_international_format_reads_back(region: str) -> None:
    e164 = to_e164(example_number(region), "GB")
    assert e164 is not None
    assert to_e164(format_international(e164), "ZZ") == e164


@pytest.mark.parametrize(
    ("region", "example"),
    [
        ("GB", "+44 7700 900123"),
        ("gb", "+44 7700 900123"),
        ("US", "+1 201-555-0123"),
        ("AE", "+971 50 123 4567"),
        ("SA", "+966 51 234 5678"),
        ("EG", "+20 10 01234567"),
        ("XX", "+44 7700 900123"),
    ],
)
def test_example_numbers(region: str, example: str) -> None:
    assert example_number(region) == example


@pytest.mark.parametrize(
    ("e164", "shown"),
    [
        ("+447700900123", "+44 7700 900123"),
        ("+971501234567", "+971 50 123 4567"),
        ("+12015550123", "+1 201-555-0123"),
        ("not a number", "not a number"),
    ],
)
def test_format_international(e164: str, shown: str) -> None:
    assert format_international(e164) == shown


@pytest.mark.parametrize(
    ("e164", "region"),
    [
        ("+447700900123", "GB"),
        ("+447400123456", "GB"),
        ("+971501234567", "AE"),
        ("+12015550123", "US"),
        ("+15555550000", None),
        ("12345", None),
    ],
)
def test_region_for_number(e164: str, region: str | None) -> None:
    assert region_for_number(e164) == region


def test_the_drama_range_is_not_valid_to_phonenumbers() -> None:
    assert not phonenumbers.is_valid_number(phonenumbers.parse("+447700900123"))


@pytest.mark.parametrize(
    ("region", "local"),
    [("GB", "07700 900123"), ("US", "(201) 555-0123"), ("AE", "050 123 4567"), ("FR", "06 12 34 56 78")],
)
def test_local_examples_are_read_in_their_region_as_the_international_example(
    region: str, local: str
) -> None:
    assert local_example_number(region) == local
    assert to_e164(local, region) == to_e164(example_number(region), region)
