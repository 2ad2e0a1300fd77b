"""What each provider's media becomes: one media kind per message, the caption kept as its text."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from bots.channels.base import MalformedPayload
from bots.channels.telegram import TelegramAdapter
from bots.channels.twilio_inbound import parse_twilio_message
from bots.messages import Inbound
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


def test_a_telegram_photo_carries_the_file_id_of_its_largest_size() -> None:
    inbound = TELEGRAM.parse(recorded("telegram", "message_photo"))
    assert inbound is not None
    assert inbound.media_ids == ("AgACAgQAAxkBAAIBb2Zt",)


def test_the_largest_size_wins_wherever_telegram_lists_it() -> None:
    sizes = [
        {"file_id": "big", "file_unique_id": "b", "width": 1280, "height": 960, "file_size": 90000},
        {"file_id": "small", "file_unique_id": "s", "width": 90, "height": 67, "file_size": 1361},
    ]
    inbound = TELEGRAM.parse(_telegram(photo=sizes))
    assert inbound is not None
    assert (inbound.media_kind, inbound.media_ids) == ("photo", ("big",))


@pytest.mark.parametrize("mime_type", ["image/jpeg", "image/png", "IMAGE/WEBP", "image/heic"])
def test_an_image_sent_as_a_file_is_a_photo(mime_type: str) -> None:
    document = {"file_id": "BQACuncompressed", "file_unique_id": "AgAD", "mime_type": mime_type}
    inbound = TELEGRAM.parse(_telegram(document=document))
    assert inbound is not None
    assert (inbound.media_kind, inbound.media_ids) == ("photo", ("BQACuncompressed",))


@pytest.mark.parametrize(
    "content",
    [
        {"document": {"file_id": "BQAC", "file_unique_id": "AgAD", "mime_type": "application/pdf"}},
        {"document": FILE},
        {"animation": FILE, "document": FILE | {"mime_type": "image/gif"}},
        {"sticker": FILE},
    ],
)
def test_other_files_carry_no_photo(content: dict[str, Any]) -> None:
    inbound = TELEGRAM.parse(_telegram(**content))
    assert inbound is not None
    assert inbound.media_kind != "photo"
    assert inbound.media_ids == ()


@pytest.mark.parametrize(
    "photo",
    [[{"file_unique_id": "AgAD"}], [{"file_id": ""}], [{"file_id": 7}], [{"file_id": "x" * 201}], ["AgAC"]],
)
def test_a_photo_without_a_usable_file_id_is_malformed(photo: list[Any]) -> None:
    with pytest.raises(MalformedPayload):
        TELEGRAM.parse(_telegram(photo=photo))


def test_twilio_media_keep_each_stated_type_in_order() -> None:
    media = {
        "NumMedia": "3",
        "MediaUrl0": "https://api.twilio.com/ME0",
        "MediaContentType0": "image/jpeg",
        "MediaUrl1": "https://api.twilio.com/ME1",
        "MediaUrl2": "https://api.twilio.com/ME2",
        "MediaContentType2": "application/pdf",
    }
    inbound = parse_twilio_message("whatsapp", FORM | media, "GB")
    assert inbound is not None
    assert inbound.media_urls == tuple(f"https://api.twilio.com/ME{n}" for n in range(3))
    assert inbound.media_types == ("image/jpeg", "", "application/pdf")


def test_inbound_rows_logged_before_media_ids_still_load() -> None:
    logged = {"channel": "telegram", "address": "1", "external_id": "1:2", "media_kind": "photo"}
    assert Inbound.from_json(logged) == Inbound("telegram", "1", "1:2", media_kind="photo")
    inbound = Inbound("whatsapp", "+1", "SM1", media_urls=("u",), media_types=("image/png",), media_ids=())
    assert Inbound.from_json(json.loads(json.dumps(inbound.to_json()))) == inbound
    photo = Inbound("telegram", "1", "1:3", media_kind="photo", media_ids=("AgAC",))
    assert Inbound.from_json(json.loads(json.dumps(photo.to_json()))) == photo
