"""Understanding the place a person types."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.searches.places import AreaQuery, parse_area


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("Leeds", AreaQuery("Leeds", "leeds", None)),
        ("  leeds ", AreaQuery("Leeds", "leeds", None)),
        ("in headingley", AreaQuery("Headingley", "headingley", None)),
        ("near Far Headingley.", AreaQuery("Far Headingley", "far headingley", None)),
        ("LS6", AreaQuery("LS6", "ls6", "LS6")),
        ("ls6 3ag", AreaQuery("LS6 3AG", "ls6 3ag", "LS63AG")),
        ("E8", AreaQuery("E8", "e8", "E8")),
        ("SW1A 1AA", AreaQuery("SW1A 1AA", "sw1a 1aa", "SW1A1AA")),
        ("stoke-on-trent", AreaQuery("Stoke-On-Trent", "stoke-on-trent", None)),
        ("King's Lynn", AreaQuery("King's Lynn", "king's lynn", None)),
    ],
)
def test_places_people_type(typed: str, expected: AreaQuery) -> None:
    assert parse_area(typed) == expected


@pytest.mark.parametrize("typed", ["", "   ", "???", "in", "x" * 81])
def test_nothing_usable(typed: str) -> None:
    assert parse_area(typed) is None


@given(st.text(max_size=120))
def test_never_raises_and_keys_are_normalised(typed: str) -> None:
    area = parse_area(typed)
    if area is not None:
        assert area.name_key == area.name_key.casefold()
        assert area.display.strip() == area.display
        assert area.postcode_key is None or area.postcode_key.isalnum()
