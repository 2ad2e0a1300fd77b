"""Help says what the product does now, for each mix of roles, and fits an SMS's 320 characters."""

from __future__ import annotations

from itertools import product

import pytest

from bots.messages import Choice
from bots.texts import Texts

TEXTS = Texts("en", "GB")
ROLES = [dict(as_buyer=b, as_seller=s, as_broker=k) for b, s, k in product((False, True), repeat=3)]


def menu(locale: str, manages: bool) -> list[Choice]:
    keys = ["my_listings"] * manages + [
        "find_home",
        "my_viewings",
        "my_offers",
        "messages",
        "settings",
        "help",
    ]
    return [Choice(key, TEXTS.label(key, locale=locale)) for key in keys]


@pytest.mark.parametrize("locale", ["en", "ar"])
@pytest.mark.parametrize("roles", ROLES, ids=lambda r: "+".join(k for k, v in r.items() if v) or "none")
def test_sms_help_with_its_menu_fits_320_characters(locale: str, roles: dict[str, bool]) -> None:
    text = TEXTS.compose(
        "help",
        locale=locale,
        channel="sms",
        choices=menu(locale, roles["as_seller"] or roles["as_broker"]),
        **roles,
    )
    assert len(text) <= 320, text
    assert "STOP" in text and "START" in text and "Doorstep" in text


@pytest.mark.parametrize("locale", ["en", "ar"])
@pytest.mark.parametrize("channel", ["telegram", "whatsapp", "sms"])
@pytest.mark.parametrize("roles", ROLES)
def test_help_promises_nothing_for_later(locale: str, channel: str, roles: dict[str, bool]) -> None:
    text = TEXTS.compose("help", locale=locale, channel=channel, choices=menu(locale, True), **roles)
    assert "soon" not in text and "قريباً" not in text


def test_help_for_a_seller_names_their_home_and_for_a_broker_the_homes_they_broker() -> None:
    seller = TEXTS.render(
        "help", locale="en", channel="telegram", as_buyer=False, as_seller=True, as_broker=False
    )
    assert seller.startswith(
        "Here is what I can do for you as a seller:\n"
        "- My listings: set viewing hours for your home, take a home off the market or put it back.\n"
    )
    assert "Find a home" not in seller
    broker = TEXTS.render(
        "help", locale="en", channel="telegram", as_buyer=True, as_seller=False, as_broker=True
    )
    assert broker.startswith(
        "Here is what I can do for you as a broker:\n"
        "- My listings: set viewing hours for the homes you broker"
    )
    assert "\n\nAnd as a buyer:\n- Find a home" in broker
    sms = TEXTS.render(
        "help", locale="en", channel="sms", as_buyer=False, as_seller=False, as_broker=True, choices=[]
    )
    assert sms.startswith(
        "Doorstep: viewing hours, viewing requests and offers for homes you broker by text."
    )
