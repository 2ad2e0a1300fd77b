"""Which photo a listing screen sends: the cover, by Telegram file_id on Telegram and by URL elsewhere."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bots.dialog.turn import build_reply
from bots.flows.listings.covers import cover_of
from bots.messages import web_photo
from bots.texts import Texts
from core.listings.model import ListingMedia
from tests.support import sample_listing

TEXTS = Texts("en", "GB")
COVER = "https://doorstep.test/media/cover"
FILE_ID = "AgACAgQAAxkBAAIBcover"


def _media(file_id: str | None = FILE_ID) -> list[ListingMedia]:
    """A listing's photos as the relationship loads them: in order, the cover first."""
    return [
        ListingMedia(media_url=COVER, order=1, telegram_file_id=file_id),
        ListingMedia(media_url="https://doorstep.test/media/second", order=2, telegram_file_id="AgAC-second"),
    ]


@pytest.mark.parametrize(
    ("channel", "file_id", "sent"),
    [
        ("telegram", FILE_ID, FILE_ID),
        ("telegram", None, COVER),
        ("whatsapp", FILE_ID, COVER),
        ("sms", FILE_ID, COVER),
    ],
)
def test_the_cover_goes_as_the_channel_takes_it(channel: str, file_id: str | None, sent: str) -> None:
    assert cover_of(channel, _media(file_id)) == sent


@pytest.mark.parametrize("channel", ["telegram", "whatsapp", "sms"])
def test_a_listing_without_photos_sends_none(channel: str) -> None:
    assert cover_of(channel, []) is None


@pytest.mark.parametrize(
    ("photo", "fetchable"),
    [
        (COVER, COVER),
        ("http://localhost:8080/media/x", "http://localhost:8080/media/x"),
        (FILE_ID, None),
        (None, None),
    ],
)
def test_only_web_addresses_go_to_channels_that_fetch_them(photo: str | None, fetchable: str | None) -> None:
    assert web_photo(photo) == fetchable


def test_an_important_telegram_message_falls_back_to_sms_without_the_file_id() -> None:
    reply = build_reply(
        TEXTS,
        "listing.details",
        locale="en",
        channel="telegram",
        photo_url=FILE_ID,
        important=True,
        l=sample_listing(),
        now=datetime(2026, 11, 20, tzinfo=UTC),
        tz="Europe/London",
    )
    assert reply.photo_url == FILE_ID
    assert "Photo:" not in reply.extra["sms_text"]
    assert FILE_ID not in reply.extra["sms_text"]
