"""Photos, voice notes, locations, contact cards and stickers get an answer saying what the step takes."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from core.dialog_state import DialogState
from core.message_log.model import InboundMessage
from doorstep.simulator.telegram_api import ApiCall
from tests.support import Platform, buttons, recorded, whatsapp_options

FILE = {"file_id": "AwAC", "file_unique_id": "AgAD"}
MENU = [["Find a home", "My viewings"], ["My offers", "Messages"], ["Settings", "Help"]]
AREA_CHOICES = [["All areas", "Menu"]]
LEEDS_HEADING = "<b>Homes for sale in Leeds</b> (1-5 of 6):"


async def send(platform: Platform, **content: Any) -> list[ApiCall]:
    """A few seconds on, the test user sends `content` (a photo, a location...) in place of text."""
    update = copy.deepcopy(recorded("telegram", "message_text"))
    del update["message"]["text"]
    update["message"] |= content
    platform._next_update += 1
    update["update_id"] = platform._next_update
    platform.clock.advance(seconds=5)
    before = len(platform.telegram.calls)
    response = await platform.post(update)
    assert response.status == 200, await response.text()
    await platform.deliver_all()
    return [call for call in platform.telegram.calls[before:] if call.failed_status is None]


@pytest.mark.parametrize(
    ("content", "things"),
    [
        ({"photo": [FILE]}, "photos"),
        ({"photo": [FILE], "caption": "1"}, "photos"),
        ({"voice": FILE}, "voice messages"),
        ({"audio": FILE}, "audio files"),
        ({"video": FILE}, "videos"),
        ({"document": FILE}, "files"),
        ({"sticker": FILE}, "stickers"),
        ({"location": {"latitude": 53.8, "longitude": -1.55}}, "locations"),
        ({"contact": {"phone_number": "447700900999", "first_name": "Tom"}}, "contact cards"),
    ],
)
async def test_media_at_the_menu_is_answered_with_the_menu_again(
    platform: Platform, content: dict[str, Any], things: str
) -> None:
    await platform.returning()
    await platform.converse("/start")
    [answer] = await send(platform, **content)
    assert answer.params["text"] == f"I can't use {things} here. Please pick one of the choices."
    assert buttons(answer) == MENU
    [state] = await platform.rows(DialogState)
    assert (state.flow, state.step) == ("menu", "main")


async def test_a_caption_at_a_step_that_takes_text_is_read_as_typed(platform: Platform) -> None:
    await platform.returning()
    await platform.converse("/start")
    await platform.converse(tap="menu:find")
    [answer] = await send(platform, photo=[FILE])
    assert (
        answer.params["text"]
        == "I can't use photos here. Please type your answer or pick one of the choices."
    )
    assert buttons(answer) == AREA_CHOICES
    [results] = await send(platform, photo=[FILE], caption="Leeds")
    assert results.params["text"].startswith(LEEDS_HEADING)


async def test_a_photo_in_arabic(platform: Platform) -> None:
    await platform.returning(locale="ar")
    await platform.converse("/start")
    [answer] = await send(platform, photo=[FILE])
    assert answer.params["text"] == "لا يمكنني استخدام الصور هنا. يُرجى اختيار أحد الخيارات."


async def test_a_first_message_that_is_a_photo_is_welcomed_like_any_other(platform: Platform) -> None:
    [welcome] = await send(platform, photo=[FILE])
    assert welcome.params["text"].startswith("Welcome to Doorstep!")
    [row] = await platform.rows(InboundMessage)
    assert row.message["media_kind"] == "photo"


async def test_a_photo_by_sms_lists_the_choices_again(platform: Platform) -> None:
    await platform.returning("sms")
    await platform.text("sms", "menu")
    [answer] = await platform.text(
        "sms", "", NumMedia="1", MediaUrl0="https://api.twilio.com/ME1", MediaContentType0="image/jpeg"
    )
    assert answer.params["Body"] == (
        "I can't use photos here. Please reply with the number of a choice.\n\n"
        "1 Find a home\n2 My viewings\n3 My offers\n4 Messages\n5 Settings\n6 Help\nReply 1-6"
    )


async def test_a_location_on_whatsapp_offers_the_choices_again(platform: Platform) -> None:
    await platform.returning("whatsapp")
    await platform.text("whatsapp", "menu")
    [answer] = await platform.text("whatsapp", "", Latitude="53.8008", Longitude="-1.5491")
    layout, body, titles = whatsapp_options(platform, answer)
    assert (layout, body) == ("list-picker", "I can't use locations here. Please pick one of the choices.")
    assert titles == ["Find a home", "My viewings", "My offers", "Messages", "Settings", "Help"]


@pytest.mark.parametrize(
    ("content_type", "things"), [("audio/ogg", "voice messages"), ("video/mp4", "videos")]
)
async def test_whatsapp_media_at_a_step_that_takes_text(
    platform: Platform, content_type: str, things: str
) -> None:
    await platform.returning("whatsapp")
    await platform.text("whatsapp", "menu")
    await platform.whatsapp_tap("menu:find", "Find a home")
    [answer] = await platform.text(
        "whatsapp", "", NumMedia="1", MediaUrl0="https://api.twilio.com/ME1", MediaContentType0=content_type
    )
    _, body, titles = whatsapp_options(platform, answer)
    assert body == f"I can't use {things} here. Please type your answer or pick one of the choices."
    assert titles == ["All areas", "Menu"]
