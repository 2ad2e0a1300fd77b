"""How the terminal demo prints each kind of message part, as the real apps would show it."""

from __future__ import annotations

from io import StringIO

import pytest
from aiohttp import ClientSession

from doorstep.simulator.telegram_api import ApiCall as TelegramCall
from doorstep.simulator.telegram_user import TelegramChat, TelegramUser
from doorstep.simulator.terminal import Option, Persona, Shown, TerminalChat
from doorstep.simulator.twilio_api import ApiCall as TwilioCall
from doorstep.simulator.twilio_api import TwilioApiEmulator
from doorstep.simulator.twilio_user import TwilioChat, TwilioUser

PHONE = "+447700900123"
MESSAGES = "/2010-04-01/Accounts/AC1/Messages.json"


def twilio_chat(whatsapp: bool) -> TwilioChat:
    user = TwilioUser(PHONE, "+447700900001", whatsapp, "AC1", "token", "http://127.0.0.1:8080")
    return TwilioChat(user, TwilioApiEmulator("AC1", "token"))


def telegram_chat() -> TelegramChat:
    return TelegramChat(TelegramUser(4242, "Sam"), "http://127.0.0.1:8080/webhooks/telegram", "s", PHONE)


def test_whatsapp_media_show_as_a_photo_or_a_document_by_their_content_type() -> None:
    params = {
        "To": f"whatsapp:{PHONE}",
        "Body": "Your viewing is confirmed.",
        "MediaUrl": ["https://x.test/p/flat-1.jpg", "http://127.0.0.1:8080/calendar/Ab-1.ics"],
    }
    shown = twilio_chat(True).shown(TwilioCall("POST", MESSAGES, params, 0.0))
    assert shown == Shown(
        "[photo (image/jpeg): https://x.test/p/flat-1.jpg]\n"
        "[document: Ab-1.ics (text/calendar): http://127.0.0.1:8080/calendar/Ab-1.ics]\n"
        "Your viewing is confirmed."
    )


@pytest.mark.parametrize(
    ("body", "note"),
    [
        ("a" * 160, "[SMS: 160 characters, 1 segment]"),
        ("a" * 161, "[SMS: 161 characters, 2 segments]"),
        ("a" * 306, "[SMS: 306 characters, 2 segments]"),
        ("a" * 307, "[SMS: 307 characters, 3 segments]"),
        ("ب" * 70, "[SMS: 70 characters, 1 segment]"),
        ("ب" * 71, "[SMS: 71 characters, 2 segments]"),
    ],
)
def test_an_sms_shows_its_length_and_segments(body: str, note: str) -> None:
    shown = twilio_chat(False).shown(TwilioCall("POST", MESSAGES, {"To": PHONE, "Body": body}, 0.0))
    assert shown is not None and shown.note == note
    assert shown.render().endswith(f"\n          {note}\n> ")


def test_messages_to_another_number_or_from_telegram_are_not_this_chats() -> None:
    chat = twilio_chat(False)
    assert chat.shown(TwilioCall("POST", MESSAGES, {"To": "+447700900999", "Body": "x"}, 0.0)) is None
    assert chat.shown(TelegramCall("t", "sendMessage", {"chat_id": 4242, "text": "x"}, 0.0)) is None


def test_a_telegram_reply_keyboard_is_shown_and_its_buttons_are_told_apart() -> None:
    markup = {"keyboard": [[{"text": "Share my number", "request_contact": True}, {"text": "Not now"}]]}
    call = TelegramCall(
        "t", "sendMessage", {"chat_id": 4242, "text": "Your number?", "reply_markup": markup}, 0.0
    )
    shown = telegram_chat().shown(call)
    assert shown == Shown(
        "Your number?",
        (Option("Share my number (sends your number)", "", "contact"), Option("Not now", "", "keyboard")),
        "Keyboard",
    )
    assert shown.render() == (
        "\nDoorstep: Your number?\n"
        "          Keyboard: [1] Share my number (sends your number)  [2] Not now\n> "
    )


def test_a_telegram_document_shows_its_name_type_and_size_with_its_caption() -> None:
    document = {"file_name": "viewing.ics", "content_type": "text/calendar", "size": 1459}
    call = TelegramCall(
        "t", "sendDocument", {"chat_id": 4242, "document": document, "caption": "Add it"}, 0.0
    )
    assert telegram_chat().shown(call) == Shown(
        "[document: viewing.ics (text/calendar, 1,459 bytes)]\nAdd it"
    )


def test_the_contact_a_user_shares_is_their_own_card() -> None:
    update = TelegramUser(4242, "Sam").shares_contact("447700900123")
    assert update["message"]["contact"] == {
        "phone_number": "447700900123",
        "first_name": "Sam",
        "user_id": 4242,
    }
    assert update["message"]["from"]["id"] == 4242


async def test_as_switches_person_by_key_or_name_and_lists_who_one_can_be() -> None:
    out = StringIO()
    people = [
        Persona("sam", "Sam", "buyer", "Telegram", telegram_chat()),
        Persona("tom", "Tom", "seller", "SMS", twilio_chat(False)),
    ]
    chat = TerminalChat(people, out)
    async with ClientSession() as http:
        assert await chat.send(http, "/as TOM")
        assert chat.me.name == "Tom"
        assert await chat.send(http, "/as nobody")
        assert chat.me.name == "Tom"
        assert await chat.send(http, "/as Sam")
    assert out.getvalue() == (
        "(You are now Tom, seller, on SMS.)\n> "
        "(/as NAME: you can be sam (buyer Sam on Telegram), tom (seller Tom on SMS))\n> "
        "(You are now Sam, buyer, on Telegram.)\n> "
    )
