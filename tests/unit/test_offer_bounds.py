"""How high an offer or counter may go: asked about above 150% of the asking price, refused above 10 times."""

from __future__ import annotations

from decimal import Decimal

import pytest

from core.offers.rules import BelowMinimum, TooHigh, check_amount, needs_confirmation
from tests.support import sample_listing

LISTING = sample_listing(minimum_offer_percent=90)  # asking £285,000


@pytest.mark.parametrize(
    ("amount", "asked"),
    [
        pytest.param("427471.50", False, id="149.99%"),
        pytest.param("427500.00", False, id="150%"),
        pytest.param("427500.01", True, id="150% and a penny"),
        pytest.param("427528.50", True, id="150.01%"),
        pytest.param("450001", True, id="157.9%"),
        pytest.param("285000", False, id="the asking price"),
    ],
)
def test_an_amount_above_150_percent_of_the_asking_price_is_asked_about(amount: str, asked: bool) -> None:
    assert needs_confirmation(Decimal(amount), LISTING) is asked


@pytest.mark.parametrize("buyer", [True, False], ids=["offer", "counter"])
@pytest.mark.parametrize("amount", ["2849999", "2850000"], ids=["10x less 1", "10x"])
def test_up_to_ten_times_the_asking_price_is_allowed(amount: str, buyer: bool) -> None:
    assert check_amount(LISTING, Decimal(amount), buyer=buyer) == Decimal(amount)
    assert needs_confirmation(Decimal(amount), LISTING)


@pytest.mark.parametrize("buyer", [True, False], ids=["offer", "counter"])
@pytest.mark.parametrize(
    "amount", ["2850000.01", "2850001", "300000000"], ids=["10x and a penny", "10x+1", "300m"]
)
def test_more_than_ten_times_the_asking_price_is_refused(amount: str, buyer: bool) -> None:
    with pytest.raises(TooHigh) as refused:
        check_amount(LISTING, Decimal(amount), buyer=buyer)
    assert refused.value.context == {"amount": Decimal(amount), "l": LISTING, "times": 10}


def test_the_minimum_still_holds_for_buyers_only() -> None:
    with pytest.raises(BelowMinimum):
        check_amount(LISTING, Decimal("256499"), buyer=True)
    assert check_amount(LISTING, Decimal("256499"), buyer=False) == Decimal("256499")
