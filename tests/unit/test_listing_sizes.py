"""Reading floor areas (kept in m²) and room counts as sellers type them, with their bounds."""

from __future__ import annotations

from decimal import Decimal

import pytest

from core.listings.sizes import floor_area_m2, room_count


@pytest.mark.parametrize(
    ("typed", "m2"),
    [
        ("85 m2", "85.0"),
        ("85m²", "85.0"),
        ("85 sqm", "85.0"),
        ("85 square metres", "85.0"),
        ("85", "85.0"),
        ("85.5 m2", "85.5"),
        ("915 sq ft", "85.0"),
        ("915sqft", "85.0"),
        ("1,200 square feet", "111.5"),
        ("٨٥ متر مربع", "85.0"),
        ("٩١٥ قدم مربع", "85.0"),
        ("5 m2", "5.0"),
        ("100000 m2", "100000.0"),
        ("100,000 m2", "100000.0"),
    ],
)
def test_a_floor_area_is_read_and_kept_in_square_metres(typed: str, m2: str) -> None:
    assert floor_area_m2(typed) == Decimal(m2)


@pytest.mark.parametrize(
    "typed", ["abc", "4.9 m2", "53 sq ft", "100001", "85 acres", "", "m2", "-85", "1,20 m2"]
)
def test_what_is_not_a_floor_area_of_a_home_is_refused(typed: str) -> None:
    assert floor_area_m2(typed) is None


@pytest.mark.parametrize(
    ("typed", "count"),
    [
        ("3", 3),
        ("three", 3),
        ("3 bedrooms", 3),
        ("2 bed", 2),
        ("1 bath", 1),
        ("٣", 3),
        ("ثلاثة", 3),
        ("studio", 0),
        ("0", 0),
        ("50", 50),
    ],
)
def test_a_room_count_is_read_in_words_or_digits(typed: str, count: int) -> None:
    assert room_count(typed) == count


@pytest.mark.parametrize("typed", ["51", "abc", "", "2.5", "-1", "1000"])
def test_what_is_not_a_room_count_is_refused(typed: str) -> None:
    assert room_count(typed) is None
