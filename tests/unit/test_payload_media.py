"""What each provider's media becomes: one media kind per message, the caption kept as its text."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from bots.channels.telegram import TelegramAdapter
from bots.channels.twilio_inbound import parse_twilio_message
from tests.support import recorded

TELEGRAM = TelegramAdapter("123456:TEST-doorstep-token-0123456789")
FILE = {"file_id": "AwAC", "file_unique_id": "AgAD"}


def _telegram(**content: Any) -> dict[str, Any]:
    update = copy.deepcopy(recorded("telegram", "message_text"))
    del update["message"]["text"]
    update["message"] |= content
    return update


@pytest.mark.parametrize(
    ("content", "kind"),
    [
        ({"photo": [FILE]}, "photo"),
        ({"sticker": FILE}, "sticker"),
        ({"voice": FILE}, "voice"),
        ({"audio": FILE}, "audio"),
        ({"video": FILE}, "video"),
        ({"video_note": FILE}, "video"),
        ({"animation": FILE, "document": FILE}, "video"),
        ({"document": FILE}, "document"),
        ({"location": {"latitude": 53.8, "longitude": -1.55}}, "location"),
        ({"venue": {}, "location": {"latitude": 53.8, "longitude": -1.55}}, "location"),
        ({"contact": {"phone_number": "447700900999", "first_name": "Tom"}}, "contact"),
    ],
)
def test_telegram_media_kinds(content: dict[str, Any], kind: str) -> None:
    inbound = TELEGRAM.parse(_telegram(**content))
    assert inbound is not None
    assert (inbound.media_kind, inbound.text, inbound.contact_phone) == (kind, None, None)


def test_a_telegram_photo_keeps_its_caption_as_text() -> None:
    inbound = TELEGRAM.parse(recorded("telegram", "message_photo"))
    assert inbound is not None
    assert (inbound.media_kind, inbound.text) == ("photo", "Leeds")


def test_a_shared_location_on_telegram_carries_its_point() -> None:
    inbound = TELEGRAM.parse(_telegram(location={"latitude": 53.8, "longitude": -1.55}))
    assert inbound is not None
    assert (inbound.latitude, inbound.longitude) == (53.8, -1.55)


def test_the_own_contact_still_proves_the_number() -> None:
    inbound = TELEGRAM.parse(recorded("telegram", "message_contact"))
    assert inbound is not None
    assert (inbound.contact_phone, inbound.media_kind, inbound.text) == ("447700900123", "contact", None)


def test_a_telegram_poll_is_still_ignored() -> None:
    assert TELEGRAM.parse(_telegram(poll={"id": "1", "question": "?"})) is None


FORM = {"MessageSid": "SM1", "From": "whatsapp:+447700900123", "Body": "", "NumMedia": "0"}


@pytest.mark.parametrize(
    ("content_type", "kind"),
    [
        ("image/jpeg", "photo"),
        ("image/webp", "photo"),
        ("audio/ogg", "voice"),
        ("video/mp4", "video"),
        ("application/pdf", "document"),
        ("text/vcard", "contact"),
        ("text/plain", "document"),
        ("", "document"),
    ],
)
def test_twilio_media_kinds_follow_the_first_content_type(content_type: str, kind: str) -> None:
    media = {"NumMedia": "1", "MediaUrl0": "https://api.twilio.com/ME1", "MediaContentType0": content_type}
    inbound = parse_twilio_message("whatsapp", FORM | media, "GB")
    assert inbound is not None
    assert (inbound.media_kind, inbound.media_urls) == (kind, ("https://api.twilio.com/ME1",))


def test_twilio_media_with_a_caption_keeps_the_caption() -> None:
    media = {"NumMedia": "1", "MediaUrl0": "https://x/ME1", "MediaContentType0": "image/png", "Body": "Leeds"}
    inbound = parse_twilio_message("sms", FORM | media, "GB")
    assert inbound is not None
    assert (inbound.media_kind, inbound.text) == ("photo", "Leeds")


@pytest.mark.parametrize(("count", "urls"), [("0", 0), ("9", 9), ("10", 10)])
def test_twilio_media_are_read_up_to_their_count(count: str, urls: int) -> None:
    media = {f"MediaUrl{n}": f"https://x/ME{n}" for n in range(11)} | {"NumMedia": count, "Body": "hi"}
    inbound = parse_twilio_message("whatsapp", FORM | media, "GB")
    assert inbound is not None
    assert len(inbound.media_urls) == urls


def test_a_twilio_location_pair_is_a_location() -> None:
    inbound = parse_twilio_message("whatsapp", FORM | {"Latitude": "53.8", "Longitude": "-1.55"}, "GB")
    assert inbound is not None
    assert (inbound.media_kind, inbound.latitude, inbound.longitude) == ("location", 53.8, -1.55)


def test_half_a_twilio_location_is_nothing() -> None:
    assert parse_twilio_message("whatsapp", FORM | {"Latitude": "53.8"}, "GB") is None
