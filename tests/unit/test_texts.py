"""Templates: lookup by kind, locale and channel; money, area and HTML escaping."""

from __future__ import annotations

from decimal import Decimal

import pytest

from bots.channels.whatsapp import WhatsAppAdapter
from bots.messages import Choice, Reply
from bots.texts import Texts
from tests.support import sample_listing

TEXTS = Texts("en")
WHATSAPP = WhatsAppAdapter(sender=None, from_number="+447700900002", region="GB", rate=10.0)  # type: ignore[arg-type]


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


# The footer under numbered lines: on SMS (two choices, eleven), and on WhatsApp past ten.
FOOTERS = {
    "en": ("Reply 1 or 2", "Reply 1-11", "Reply with a number."),
    "ar": ("أرسل 1 أو 2", "أرسل 1-11", "أرسل رقم اختيارك."),
}


def numbered_menu(locale: str, channel: str, count: int) -> str:
    """The menu question with `count` choices, as composed for the channel."""
    choices = [Choice(f"x:{n}", f"Option {n}") for n in range(1, count + 1)]
    return TEXTS.compose("menu", locale=locale, channel=channel, choices=choices)


@pytest.mark.parametrize("locale", ["en", "ar"])
def test_sms_and_a_long_whatsapp_list_number_their_choices_alike(locale: str) -> None:
    question = TEXTS.render("menu", locale=locale, channel="sms")
    eleven = "\n".join(f"{n} Option {n}" for n in range(1, 12))
    two, many, any_number = FOOTERS[locale]
    assert numbered_menu(locale, "sms", 2) == f"{question}\n\n1 Option 1\n2 Option 2\n{two}"
    assert numbered_menu(locale, "sms", 11) == f"{question}\n\n{eleven}\n{many}"
    assert numbered_menu(locale, "whatsapp", 11) == f"{question}\n\n{eleven}\n{any_number}"
    # Up to ten, WhatsApp shows them as a list picker and the text lists none.
    assert numbered_menu(locale, "whatsapp", 10) == question


@pytest.mark.parametrize(("count", "kind"), [(10, "list-picker"), (11, "text")])
def test_whatsapp_sends_a_list_exactly_where_the_text_does_not_number_the_choices(
    count: int, kind: str
) -> None:
    choices = tuple(Choice(f"x:{n}", f"Option {n}") for n in range(1, count + 1))
    reply = Reply("menu", numbered_menu("en", "whatsapp", count), choices, extra={"list_button": "Options"})
    assert WHATSAPP.render("+447700900123", reply)[-1].payload["kind"] == kind
