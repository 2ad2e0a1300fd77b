"""Reading the amounts people offer in chat, in English and Arabic, in any of three digit sets."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.amounts import Amount, parse_amount

ARABIC_INDIC = str.maketrans("0123456789", "".join(chr(0x0660 + digit) for digit in range(10)))
PERSIAN = str.maketrans("0123456789", "".join(chr(0x06F0 + digit) for digit in range(10)))


@pytest.mark.parametrize(
    ("text", "value", "currency"),
    [
        pytest.param("285000", "285000", None, id="plain"),
        pytest.param("285,000", "285000", None, id="comma-grouped"),
        pytest.param("285 000", "285000", None, id="space-grouped"),
        pytest.param("285\N{NARROW NO-BREAK SPACE}000", "285000", None, id="narrow-space-grouped"),
        pytest.param("285.000", "285000", None, id="dot-grouped"),
        pytest.param("1.250.000", "1250000", None, id="dot-grouped-twice"),
        pytest.param("1,250,000", "1250000", None, id="comma-grouped-twice"),
        pytest.param("1 250 000", "1250000", None, id="space-grouped-twice"),
        pytest.param("285k", "285000", None, id="k"),
        pytest.param("285K", "285000", None, id="capital-k"),
        pytest.param("285 k", "285000", None, id="spaced-k"),
        pytest.param("285 thousand", "285000", None, id="thousand"),
        pytest.param("285 grand", "285000", None, id="grand"),
        pytest.param("285.5k", "285500", None, id="decimal-k"),
        pytest.param("1.2m", "1200000", None, id="m"),
        pytest.param("1.2 million", "1200000", None, id="million"),
        pytest.param("2mn", "2000000", None, id="mn"),
        pytest.param("1.250m", "1250000", None, id="scaled-dot-is-a-decimal-point"),
        pytest.param("285,500.50", "285500.50", None, id="pennies"),
        pytest.param("285 000.50", "285000.50", None, id="space-grouped-pennies"),
        pytest.param("1.5", "1.50", None, id="small-decimal"),
        pytest.param("285000.000", "285000", None, id="zero-thousandths"),
        pytest.param("999999999999.99", "999999999999.99", None, id="largest"),
        pytest.param("0.01", "0.01", None, id="smallest"),
        pytest.param("£285k", "285000", "GBP", id="pound-sign"),
        pytest.param("£ 285k", "285000", "GBP", id="pound-sign-spaced"),
        pytest.param("£285,000", "285000", "GBP", id="pound-sign-grouped"),
        pytest.param("£285,000.00", "285000", "GBP", id="pound-sign-pennies"),
        pytest.param("£1.25M", "1250000", "GBP", id="pound-sign-capital-m"),
        pytest.param("285000 GBP", "285000", "GBP", id="code-after"),
        pytest.param("GBP 285,000", "285000", "GBP", id="code-before"),
        pytest.param("285000gbp", "285000", "GBP", id="code-attached"),
        pytest.param("285 thousand pounds", "285000", "GBP", id="pounds"),
        pytest.param("285 quid", "285", "GBP", id="quid"),
        pytest.param("$285k", "285000", "USD", id="dollar-sign"),
        pytest.param("285k usd", "285000", "USD", id="usd"),
        pytest.param("$285k USD", "285000", "USD", id="dollar-sign-and-code"),
        pytest.param("285 dollars", "285", "USD", id="dollars"),
        pytest.param("€285k", "285000", "EUR", id="euro-sign"),
        pytest.param("285 000 €", "285000", "EUR", id="euro-sign-after"),
        pytest.param("285k EUR", "285000", "EUR", id="eur"),
        pytest.param("285k euros", "285000", "EUR", id="euros"),
        pytest.param("AED 1.2m", "1200000", "AED", id="aed"),
        pytest.param("1.2m aed", "1200000", "AED", id="aed-after"),
        pytest.param("285000 د.إ", "285000", "AED", id="dirham-sign"),
        pytest.param("285 ألف درهم", "285000", "AED", id="dirham-word"),
        pytest.param("offer 285k", "285000", None, id="offer"),
        pytest.param("I'd like to offer £285,000", "285000", "GBP", id="id-like-to-offer"),
        pytest.param("I\N{RIGHT SINGLE QUOTATION MARK}d like to offer £285,000", "285000", "GBP", id="curly"),
        pytest.param("We'd like to make an offer of £285k", "285000", "GBP", id="make-an-offer-of"),
        pytest.param("My offer is 285 grand", "285000", None, id="my-offer-is"),
        pytest.param("285k.", "285000", None, id="full-stop"),
        pytest.param("285k!", "285000", None, id="exclamation-mark"),
        pytest.param("  £285k  ", "285000", "GBP", id="spaces"),
        pytest.param("285000".translate(ARABIC_INDIC), "285000", None, id="arabic-indic-digits"),
        pytest.param("285000".translate(PERSIAN), "285000", None, id="persian-digits"),
        pytest.param("285 ألف".translate(ARABIC_INDIC), "285000", None, id="arabic-thousand"),
        pytest.param("285 أَلْف", "285000", None, id="arabic-thousand-with-vowel-marks"),
        pytest.param("285 ألـف", "285000", None, id="arabic-thousand-drawn-out-with-tatweel"),
        pytest.param("285 الف".translate(ARABIC_INDIC), "285000", None, id="arabic-thousand-plain-alef"),
        pytest.param(
            "1\N{ARABIC DECIMAL SEPARATOR}5 مليون".translate(ARABIC_INDIC),
            "1500000",
            None,
            id="arabic-million",
        ),
        pytest.param(
            "285\N{ARABIC THOUSANDS SEPARATOR}000\N{ARABIC DECIMAL SEPARATOR}50".translate(ARABIC_INDIC),
            "285000.50",
            None,
            id="arabic-separators",
        ),
        pytest.param("عرضي 285 ألف درهم".translate(ARABIC_INDIC), "285000", "AED", id="arabic-my-offer"),
    ],
)
def test_readable_amounts(text: str, value: str, currency: str | None) -> None:
    amount = parse_amount(text)
    assert amount == Amount(Decimal(value), currency)
    assert amount is not None
    assert amount.value.as_tuple().exponent == -2


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("", id="nothing"),
        pytest.param("abc", id="words"),
        pytest.param("a lot", id="vague"),
        pytest.param("£", id="bare-currency"),
        pytest.param("offer", id="bare-offer"),
        pytest.param("0", id="zero"),
        pytest.param("£0k", id="zero-thousand"),
        pytest.param("-5", id="negative"),
        pytest.param("0.001", id="less-than-a-penny"),
        pytest.param("285000.123", id="fractions-of-a-penny"),
        pytest.param("1.234567891m", id="fractions-of-a-penny-after-scaling"),
        pytest.param("1000000000000", id="a-trillion"),
        pytest.param("1000000m", id="a-trillion-scaled"),
        pytest.param("between 270k and 280k", id="between"),
        pytest.param("270 or 280", id="either"),
        pytest.param("285k 300k", id="two-amounts"),
        pytest.param("1 2", id="two-numbers"),
        pytest.param("270-280k", id="range"),
        pytest.param("12/05", id="date"),
        pytest.param("28,50,00", id="malformed-grouping"),
        pytest.param("28,50,000", id="indian-grouping"),
        pytest.param("285,50", id="decimal-comma"),
        pytest.param("1.000.000,50", id="european-pennies"),
        pytest.param("1.000.000m", id="dot-grouped-and-scaled"),
        pytest.param("285,000 000", id="mixed-grouping"),
        pytest.param("285 k k", id="two-scales"),
        pytest.param(".5m", id="no-leading-digit"),
        pytest.param("£285k USD", id="two-currencies"),
        pytest.param("about 285k", id="unknown-word-before"),
        pytest.param("285k please", id="unknown-word-after"),
        pytest.param("२८५०००", id="devanagari-digits"),
    ],
)
def test_unreadable_amounts(text: str) -> None:
    assert parse_amount(text) is None


whole_amounts = st.integers(min_value=1, max_value=10**11)


@given(whole_amounts)
def test_whole_amounts_read_back(number: int) -> None:
    for text in (f"{number:,}", str(number)):
        assert parse_amount(text) == Amount(Decimal(number), None)
    pounds = parse_amount(f"£{number:,}")
    assert pounds is not None
    assert pounds.value == Decimal(number)
    assert pounds.currency == "GBP"


@given(whole_amounts, st.sampled_from([" ", ".", "\N{NO-BREAK SPACE}", "\N{ARABIC THOUSANDS SEPARATOR}"]))
def test_other_groupings_read_back(number: int, separator: str) -> None:
    text = f"{number:,}".replace(",", separator)
    assert parse_amount(text) == Amount(Decimal(number), None)
    assert parse_amount(text.translate(ARABIC_INDIC)) == Amount(Decimal(number), None)


@given(st.integers(min_value=1, max_value=10**14 - 1))
def test_pennies_read_back(pennies: int) -> None:
    amount = parse_amount(f"{pennies // 100}.{pennies % 100:02d}")
    assert amount == Amount(Decimal(pennies).scaleb(-2), None)
