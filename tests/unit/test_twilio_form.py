"""Twilio's signature over raw form bytes agrees with the SDK's RequestValidator wherever that can judge."""

from __future__ import annotations

from urllib.parse import urlencode

from hypothesis import given
from hypothesis import strategies as st
from twilio.request_validator import RequestValidator

from bots.channels.twilio_form import TwilioSignature, split_form

TOKEN = "fedcba9876543210" * 2
URL = "https://doorstep.test/webhooks/twilio/sms"
FIELDS = st.dictionaries(st.text(min_size=1, max_size=12), st.text(max_size=30), max_size=6)


@given(FIELDS)
def test_signatures_match_the_sdk_on_any_utf8_form(form: dict[str, str]) -> None:
    body = urlencode(form).encode()
    expected = RequestValidator(TOKEN).compute_signature(URL, form)
    assert TwilioSignature(TOKEN).compute(URL, split_form(body)).decode() == expected
    assert TwilioSignature(TOKEN).valid(URL, split_form(body), expected)


def test_the_url_with_or_without_its_default_port_is_accepted() -> None:
    form = {"Body": "hi", "From": "+447700900123"}
    with_port = RequestValidator(TOKEN).compute_signature(
        "https://doorstep.test:443/webhooks/twilio/sms", form
    )
    assert TwilioSignature(TOKEN).valid(URL, split_form(urlencode(form).encode()), with_port)


def test_a_wrong_signature_or_token_is_refused() -> None:
    pairs = split_form(b"Body=hi")
    right = TwilioSignature(TOKEN).compute(URL, pairs).decode()
    assert not TwilioSignature(TOKEN).valid(URL, pairs, right[:-2] + "x=")
    assert not TwilioSignature("0" * 32).valid(URL, pairs, right)
    assert not TwilioSignature(TOKEN).valid(URL, pairs, "")


def test_the_form_is_split_exactly_as_bytes() -> None:
    assert split_form(b"Body=a+b%FF%00&&Empty=&Flag") == [
        (b"Body", b"a b\xff\x00"),
        (b"Empty", b""),
        (b"Flag", b""),
    ]
