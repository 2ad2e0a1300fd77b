"""What a seller types while listing a home, read at each rule's boundaries: type, rooms, area, price and
each part of the address."""

from __future__ import annotations

from decimal import Decimal

import pytest

from bots.flows.listings.questions import address_step, read_address, read_answer
from core.listings.address import Address
from core.listings.form import BadAnswer, read_bathrooms, read_bedrooms, read_price, read_sub_type


@pytest.mark.parametrize(
    ("typed", "sub_type"),
    [
        ("flat", "flat"),
        ("Apartment", "flat"),
        ("studio", "flat"),
        ("شقة", "flat"),
        ("terraced", "terraced"),
        ("End of terrace", "terraced"),
        ("semi", "semi"),
        ("Semi-detached", "semi"),
        ("semi detached", "semi"),
        ("SEMI - DETACHED", "semi"),
        ("Detached house", "detached"),
        ("bungalow", "bungalow"),
        ("castle", None),
        ("", None),
        ("house", None),
    ],
)
def test_the_type_is_read_from_the_words_people_use(typed: str, sub_type: str | None) -> None:
    assert read_sub_type(typed) == sub_type


@pytest.mark.parametrize(
    ("typed", "sub_type", "bedrooms"),
    [("studio", "flat", 0), ("0", "flat", 0), ("0", None, 0), ("1", "semi", 1), ("50", "detached", 50)],
)
def test_bedrooms_at_their_bounds(typed: str, sub_type: str | None, bedrooms: int) -> None:
    assert read_bedrooms(typed, sub_type) == bedrooms


@pytest.mark.parametrize(
    ("typed", "sub_type", "reason"),
    [
        ("0", "semi", "listings.form.house_needs_bedroom"),
        ("studio", "bungalow", "listings.form.house_needs_bedroom"),
        ("51", "flat", "listings.form.bad_rooms"),
        ("-1", "flat", "listings.form.bad_rooms"),
        ("lots", "flat", "listings.form.bad_rooms"),
        ("2.5", "flat", "listings.form.bad_rooms"),
    ],
)
def test_bedrooms_refused_with_the_reason(typed: str, sub_type: str, reason: str) -> None:
    with pytest.raises(BadAnswer) as refused:
        read_bedrooms(typed, sub_type)
    assert refused.value.message_key == reason


@pytest.mark.parametrize(("typed", "count"), [("1", 1), ("two", 2), ("20", 20), ("3 bathrooms", 3)])
def test_bathrooms_from_one_to_twenty(typed: str, count: int) -> None:
    assert read_bathrooms(typed) == count


@pytest.mark.parametrize("typed", ["0", "21", "none", ""])
def test_bathrooms_outside_one_to_twenty_are_refused(typed: str) -> None:
    with pytest.raises(BadAnswer) as refused:
        read_bathrooms(typed)
    assert (refused.value.message_key, refused.value.context) == ("listings.form.bad_bathrooms", {"most": 20})


@pytest.mark.parametrize(
    ("typed", "price"),
    [
        ("1000", Decimal("1000.00")),
        ("£1,000", Decimal("1000.00")),
        ("285k", Decimal("285000.00")),
        ("£285,000", Decimal("285000.00")),
        ("1.25m", Decimal("1250000.00")),
        ("100000000", Decimal("100000000.00")),
        ("285000 GBP", Decimal("285000.00")),
    ],
)
def test_a_price_reads_as_offers_do_within_its_range(typed: str, price: Decimal) -> None:
    assert read_price(typed) == price


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("999", "listings.form.price_out_of_range"),
        ("999.99", "listings.form.price_out_of_range"),
        ("100000001", "listings.form.price_out_of_range"),
        ("abc", "listings.form.bad_price"),
        ("0", "listings.form.bad_price"),
        ("285000 EUR", "listings.form.bad_price"),
        ("", "listings.form.bad_price"),
    ],
)
def test_a_price_outside_the_range_or_not_in_pounds_is_refused(typed: str, reason: str) -> None:
    with pytest.raises(BadAnswer) as refused:
        read_price(typed)
    assert refused.value.message_key == reason


def test_a_floor_area_in_square_feet_is_kept_in_square_metres() -> None:
    assert read_answer("living_area", "915 sq ft", {}) == {"living_area": "85.0"}
    assert read_answer("living_area", "85", {}) == {"living_area": "85.0"}
    with pytest.raises(BadAnswer):
        read_answer("living_area", "big", {})


def test_a_description_keeps_its_words_and_drops_extra_spaces() -> None:
    assert read_answer("public_remarks", "  Bright  home,\nsouth garden ", {}) == {
        "public_remarks": "Bright home, south garden"
    }


EMPTY = Address()
STREET = Address("14", "Cardigan Road")


@pytest.mark.parametrize(
    ("step", "before", "typed", "after"),
    [
        (
            "address",
            EMPTY,
            "14 Cardigan Road, Leeds LS6 1LF",
            Address("14", "Cardigan Road", "Leeds", "LS6 1LF"),
        ),
        ("address", EMPTY, "14 Cardigan Road, Leeds LS6", Address("14", "Cardigan Road", "Leeds")),
        ("address", EMPTY, "Cardigan Road, Leeds", Address(None, "Cardigan Road", "Leeds")),
        (
            "street",
            Address(None, "Cardigan Road", "Leeds"),
            "14 Cardigan Road",
            Address("14", "Cardigan Road", "Leeds"),
        ),
        ("city", STREET, "Leeds", Address("14", "Cardigan Road", "Leeds")),
        ("city", STREET, "Headingley, Leeds", Address("14", "Cardigan Road", "Leeds", district="Headingley")),
        (
            "postal_code",
            Address("14", "Cardigan Road", "Leeds"),
            "ls61lf",
            Address("14", "Cardigan Road", "Leeds", "LS6 1LF"),
        ),
    ],
)
def test_each_part_of_the_address_fills_what_is_missing(
    step: str, before: Address, typed: str, after: Address
) -> None:
    assert read_address(step, typed, before) == after


@pytest.mark.parametrize(
    ("step", "before", "typed", "reason"),
    [
        ("address", EMPTY, "Leeds", "listings.form.bad_address"),
        ("address", EMPTY, "LS6 1LF", "listings.form.bad_address"),
        ("postal_code", STREET, "LS6", "listings.form.bad_postcode"),
        ("postal_code", STREET, "12345", "listings.form.bad_postcode"),
        ("street", Address(None, "Cardigan Road", "Leeds"), "Cardigan Road", "listings.form.bad_street"),
    ],
)
def test_an_answer_that_adds_nothing_is_refused(step: str, before: Address, typed: str, reason: str) -> None:
    with pytest.raises(BadAnswer) as refused:
        read_address(step, typed, before)
    assert refused.value.message_key == reason


@pytest.mark.parametrize(
    ("address", "step"),
    [
        (EMPTY, "address"),
        (Address(city="Leeds"), "street"),
        (Address(None, "Cardigan Road", "Leeds"), "street"),
        (Address("14", None, "Leeds", "LS6 1LF"), "street"),
        (STREET, "city"),
        (Address("14", "Cardigan Road", "Leeds"), "postal_code"),
    ],
)
def test_the_first_missing_part_is_asked_for(address: Address, step: str) -> None:
    assert address_step(address) == step
