"""Offer rules without a database: the minimum offer (rounded up when it is not whole), which amounts are
taken, who answers, and when an offer stops being open; each at its boundaries."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from core.listings.model import Listing
from core.offers.model import Offer
from core.offers.rules import (
    BadAmount,
    BelowMinimum,
    OfferClosed,
    across,
    amount_from_text,
    answering_side,
    check_amount,
    check_open,
    expiry_of,
    is_open,
    minimum_amount,
    share_of_asking,
)

NOW = datetime(2026, 11, 20, 10, tzinfo=UTC)


def listing(price: str, percent: str = "90", currency: str = "GBP", hours: int = 48) -> Listing:
    return Listing(
        listing_key="LS6-0001",
        list_price=Decimal(price),
        minimum_offer_percent=Decimal(percent),
        currency_code=currency,
        offer_expiry_hours=hours,
    )


def offer(
    status: str = "pending", expires_at: datetime = NOW + timedelta(hours=1), made_by: str = "buyer"
) -> Offer:
    return Offer(status=status, expires_at=expires_at, made_by=made_by)


@pytest.mark.parametrize(
    ("price", "percent", "minimum"),
    [
        ("285000", "90", "256500"),  # whole: nothing to round
        ("285005", "90", "256505"),  # 256,504.50 rounds up, never down to a sum below 90%
        ("285001", "90", "256501"),  # 256,500.90
        ("100001", "95.5", "95501"),  # 95,500.955
        ("999.99", "90", "900"),  # 899.991
        ("100000", "100", "100000"),
    ],
)
def test_the_minimum_offer_is_the_percentage_of_the_price_rounded_up_to_a_whole_unit(
    price: str, percent: str, minimum: str
) -> None:
    assert minimum_amount(listing(price, percent)) == Decimal(minimum)


@pytest.mark.parametrize(("amount", "taken"), [("256504", False), ("256504.99", False), ("256505", True)])
def test_a_buyer_offer_is_taken_from_the_rounded_up_minimum_not_below_it(amount: str, taken: bool) -> None:
    home = listing("285005")
    if taken:
        assert check_amount(home, Decimal(amount), buyer=True) == Decimal(amount)
        return
    with pytest.raises(BelowMinimum) as refused:
        check_amount(home, Decimal(amount), buyer=True)
    assert refused.value.context == {"minimum": Decimal("256505"), "percent": Decimal("90"), "l": home}


def test_a_seller_counter_may_go_below_the_minimum() -> None:
    assert check_amount(listing("285000"), Decimal("1.00"), buyer=False) == Decimal("1.00")


@pytest.mark.parametrize(
    ("amount", "kept"),
    [
        ("0.01", "0.01"),
        ("0.1", "0.10"),
        ("256500", "256500.00"),
        ("999999999999.99", "999999999999.99"),  # just under the most the platform holds
    ],
)
def test_amounts_are_kept_to_the_penny(amount: str, kept: str) -> None:
    # Asking as much as the platform holds, so that no amount here is above ten times the asking price.
    checked = check_amount(listing("999999999999.99"), Decimal(amount), buyer=False)
    assert (checked, str(checked)) == (Decimal(kept), kept)


@pytest.mark.parametrize("amount", ["0", "-0.01", "-256500", "0.001", "256500.005", "1000000000000"])
def test_nothing_below_a_penny_nothing_negative_and_nothing_from_a_trillion_up(amount: str) -> None:
    with pytest.raises(BadAmount) as refused:
        check_amount(listing("1"), Decimal(amount), buyer=False)
    assert refused.value.context == {"currency": "GBP"}


@pytest.mark.parametrize(("price", "share"), [("200000", "0.95"), ("0", "0")])
def test_the_share_of_the_asking_price(price: str, share: str) -> None:
    assert share_of_asking(Decimal("190000"), listing(price)) == Decimal(share)


@pytest.mark.parametrize(
    ("text", "amount"), [("250k", "250000"), ("£250,000", "250000"), ("250000 GBP", "250000")]
)
def test_an_amount_typed_in_the_listing_currency_or_none(text: str, amount: str) -> None:
    assert amount_from_text(listing("285000"), text) == Decimal(amount)


@pytest.mark.parametrize("text", ["$250,000", "250000 AED", "a lot", ""])
def test_an_amount_in_another_currency_or_no_amount_is_refused_naming_the_listing_currency(text: str) -> None:
    with pytest.raises(BadAmount) as refused:
        amount_from_text(listing("285000"), text)
    assert refused.value.currency == "GBP"


@pytest.mark.parametrize("hours", [1, 48, 72])
def test_an_offer_waits_the_listing_hours_for_an_answer(hours: int) -> None:
    assert expiry_of(listing("285000", hours=hours), NOW) == NOW + timedelta(hours=hours)


def test_the_side_that_did_not_make_an_offer_answers_it() -> None:
    assert (across("buyer"), across("seller")) == ("seller", "buyer")
    assert (answering_side(offer(made_by="buyer")), answering_side(offer(made_by="seller"))) == (
        "seller",
        "buyer",
    )


@pytest.mark.parametrize(
    ("left", "open_"), [(timedelta(seconds=1), True), (timedelta(0), False), (timedelta(seconds=-1), False)]
)
def test_a_pending_offer_is_open_until_its_expiry_and_not_at_it(left: timedelta, open_: bool) -> None:
    pending = offer(expires_at=NOW + left)
    assert is_open(pending, NOW) is open_
    if open_:
        check_open(pending, NOW)
        return
    with pytest.raises(OfferClosed) as refused:
        check_open(pending, NOW)
    assert refused.value.context == {"status": "expired"}  # even before the sweep marked it


@pytest.mark.parametrize(
    "status", ["accepted", "rejected", "withdrawn", "superseded", "countered", "expired"]
)
def test_an_answered_offer_is_closed_with_its_own_status_even_with_time_left(status: str) -> None:
    answered = offer(status=status)
    assert is_open(answered, NOW) is False
    with pytest.raises(OfferClosed) as refused:
        check_open(answered, NOW)
    assert refused.value.status == status
