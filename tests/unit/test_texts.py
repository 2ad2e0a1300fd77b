"""Templates: lookup by kind, locale and channel; money, area and HTML escaping."""

from __future__ import annotations

from decimal import Decimal

import pytest

from bots.texts import Texts
from tests.support import sample_listing

TEXTS = Texts("en")


def test_plain_channels_share_the_plain_template() -> None:
    assert TEXTS.render("listing.details", locale="en", channel="whatsapp", l=sample_listing()) == (
        "£285,000 - Flat\n2 bed · 1 bath · 75 m²\n14 Cardigan Road, Headingley, Leeds LS6 3AG"
    )


def test_telegram_gets_html_with_user_text_escaped() -> None:
    text = TEXTS.render(
        "listing.details",
        locale="en",
        channel="telegram",
        l=sample_listing(public_remarks="Garden <and> patio & shed"),
    )
    assert text.endswith("\n\nGarden &lt;and&gt; patio &amp; shed")
    assert text.startswith("<b>£285,000</b> - Flat")


@pytest.mark.parametrize(
    ("overrides", "facts"),
    [
        ({}, "2 bed · 1 bath · 75 m²"),
        ({"living_area": Decimal("807"), "living_area_units": "sqft"}, "2 bed · 1 bath · 807 sq ft"),
        ({"bathrooms_total_integer": None, "living_area": None}, "2 bed"),
        ({"list_price": Decimal("1250000.50"), "currency_code": "EUR"}, "2 bed · 1 bath · 75 m²"),
    ],
)
def test_card_facts(overrides: dict[str, object], facts: str) -> None:
    text = TEXTS.render("listing.details", locale="en", channel="whatsapp", l=sample_listing(**overrides))
    assert text.split("\n")[1] == facts


def test_money_keeps_cents_only_when_there_are_some() -> None:
    text = TEXTS.render(
        "listing.details",
        locale="en",
        channel="whatsapp",
        l=sample_listing(list_price=Decimal("1250000.50"), currency_code="EUR"),
    )
    assert text.startswith("€1,250,000.50 - Flat")


def test_an_unknown_locale_falls_back_to_the_default() -> None:
    assert TEXTS.render("menu", locale="pt_BR", channel="telegram") == "What would you like to do?"
    assert TEXTS.label("details", locale="pt_BR", n=3) == "Details 3"


def test_a_missing_label_is_an_error_not_a_blank_button() -> None:
    with pytest.raises(KeyError):
        TEXTS.label("no_such_label", locale="en")


def test_the_sms_variant_is_short_plain_gsm_text_with_its_choices() -> None:
    from bots.messages import Choice

    text = TEXTS.compose(
        "listing.details",
        locale="en",
        channel="sms",
        l=sample_listing(public_remarks="A long story " * 40),
        photo_url="https://x.test/p.jpg",
        choices=[Choice("search:back", "Back to results"), Choice("m", "Menu")],
    )
    assert text == (
        "£285,000 2 bed flat\n14 Cardigan Road, Headingley, Leeds LS6 3AG\n1 bath, 75 sq m\n"
        "Photo: https://x.test/p.jpg\n1 Back to results\n2 Menu\nReply 1 or 2"
    )
