"""Reading a home's address as sellers type it: every part found, and what is missing named to ask for."""

from __future__ import annotations

import pytest

from core.listings.address import Address, parse_address, postcode

CASES = [
    ("14 Cardigan Road, Leeds LS6 1LF", Address("14", "Cardigan Road", "Leeds", "LS6 1LF")),
    ("14 Cardigan Road, Leeds, LS6 1LF", Address("14", "Cardigan Road", "Leeds", "LS6 1LF")),
    ("14a cardigan rd leeds ls61lf", Address("14A", "Cardigan Rd", "Leeds", "LS6 1LF")),
    ("14 CARDIGAN ROAD LEEDS LS6 1LF", Address("14", "Cardigan Road", "Leeds", "LS6 1LF")),
    ("14 Cardigan Road\nLeeds\nLS6 1LF", Address("14", "Cardigan Road", "Leeds", "LS6 1LF")),
    ("Flat 2, 14 Cardigan Road, Leeds LS6 1LF", Address("14", "Cardigan Road", "Leeds", "LS6 1LF", "Flat 2")),
    ("10 Downing Street, London SW1A 2AA", Address("10", "Downing Street", "London", "SW1A 2AA")),
    ("221B Baker Street London NW1 6XE", Address("221B", "Baker Street", "London", "NW1 6XE")),
    ("12-14 High St, Manchester M1 1AA", Address("12-14", "High St", "Manchester", "M1 1AA")),
    (
        "3 The Green, Headingley, Leeds LS6 2AB",
        Address("3", "The Green", "Leeds", "LS6 2AB", None, "Headingley"),
    ),
    ("7 McDonald Close, York", Address("7", "McDonald Close", "York", None)),
    ("Cardigan Road, Leeds", Address(None, "Cardigan Road", "Leeds", None)),
    ("14 Cardigan Road LS6 1LF", Address("14", "Cardigan Road", None, "LS6 1LF")),
    ("14 Cardigan Road", Address("14", "Cardigan Road", None, None)),
    ("Leeds", Address(None, None, "Leeds", None)),
    ("LS6 1LF", Address(None, None, None, "LS6 1LF")),
    ("14", Address("14", None, None, None)),
    ("", Address()),
]


@pytest.mark.parametrize(("typed", "expected"), CASES)
def test_each_part_of_an_address_is_found(typed: str, expected: Address) -> None:
    assert parse_address(typed) == expected


def test_what_is_missing_is_named_in_the_order_it_is_asked() -> None:
    assert parse_address("Cardigan Road, Leeds").missing == ("street_number", "postal_code")
    assert parse_address("14 Cardigan Road LS6 1LF").missing == ("city",)
    assert parse_address("14 Cardigan Road, Leeds LS6 1LF").missing == ()


def test_an_answer_fills_only_the_parts_still_missing() -> None:
    draft = parse_address("14 Cardigan Road LS6 1LF")
    filled = draft.filled_from(parse_address("Leeds"))
    assert filled == Address("14", "Cardigan Road", "Leeds", "LS6 1LF")
    assert filled.filled_from(parse_address("York YO1 7HH")) == filled


def test_the_one_line_form_is_what_reso_keeps_as_unparsed_address() -> None:
    typed = "flat 2, 3 the green, headingley, leeds ls62ab"
    assert parse_address(typed).unparsed == "Flat 2, 3 The Green, Headingley, Leeds LS6 2AB"


@pytest.mark.parametrize(
    ("typed", "written"),
    [
        ("LS6 1LF", "LS6 1LF"),
        ("ls61lf", "LS6 1LF"),
        ("  sw1a 2aa ", "SW1A 2AA"),
        ("M1 1AA", "M1 1AA"),
        ("W1A 0AX", "W1A 0AX"),
        ("EC1A 1BB", "EC1A 1BB"),
        ("GIR 0AA", "GIR 0AA"),
        ("LS6", None),
        ("LS6 1L", None),
        ("LS6 11LF", None),
        ("1LS 6LF", None),
        ("ABC1 1AA", None),
        ("LS6 1LFX", None),
        ("", None),
    ],
)
def test_a_postcode_must_have_the_uk_shape(typed: str, written: str | None) -> None:
    assert postcode(typed) == written
