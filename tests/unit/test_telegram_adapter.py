"""The Telegram adapter on recorded updates: what it understands, ignores and refuses, and what it sends."""

from __future__ import annotations

import json

import pytest

from bots.channels.base import MalformedPayload
from bots.channels.telegram import TelegramAdapter, keyboard
from bots.messages import Attachment, Choice, Inbound, Reply, choice_token
from tests.support import recorded

ADAPTER = TelegramAdapter("123456:TEST-doorstep-token-0123456789")


def test_a_text_message() -> None:
    assert ADAPTER.parse(recorded("telegram", "message_text")) == Inbound(
        channel="telegram",
        address="5512347788",
        external_id="123456:815400102",
        text="Leeds",
        display_name="Amira",
        language_code="en",
    )


def test_a_button_tap() -> None:
    assert ADAPTER.parse(recorded("telegram", "callback_query")) == Inbound(
        channel="telegram",
        address="5512347788",
        external_id="123456:815400103",
        choice_token="cplaceholder",
        callback_id="2367553125186931744",
        display_name="Amira",
        language_code="en",
    )


@pytest.mark.parametrize("name", ["edited_message", "group_message", "channel_post"])
def test_unsupported_updates_are_ignored(name: str) -> None:
    assert ADAPTER.parse(recorded("telegram", name)) is None


@pytest.mark.parametrize(
    "raw",
    [
        {},
        {"update_id": "12"},
        {"update_id": 1, "message": {"text": "no chat"}},
        {"update_id": 1, "message": 5},
    ],
)
def test_malformed_updates_are_refused(raw: dict[str, object]) -> None:
    with pytest.raises(MalformedPayload):
        ADAPTER.parse(raw)


def test_taps_are_answered_in_the_webhook_response() -> None:
    tap = ADAPTER.parse(recorded("telegram", "callback_query"))
    assert tap is not None
    assert ADAPTER.webhook_answer(tap) == {
        "method": "answerCallbackQuery",
        "callback_query_id": "2367553125186931744",
    }
    text = ADAPTER.parse(recorded("telegram", "message_text"))
    assert text is not None and ADAPTER.webhook_answer(text) is None


def test_a_reply_with_choices_renders_as_html_message_with_inline_keyboard() -> None:
    reply = Reply(
        "menu",
        "What would you like to do?",
        (Choice("menu:find", "Find a home"), Choice("menu:help", "Help")),
    )
    [outgoing] = ADAPTER.render("5512347788", reply)
    assert outgoing.text == "What would you like to do?"
    assert outgoing.payload == {
        "method": "sendMessage",
        "params": {
            "chat_id": 5512347788,
            "parse_mode": "HTML",
            "text": "What would you like to do?",
            "reply_markup": {
                "inline_keyboard": [
                    [
                        {"text": "Find a home", "callback_data": choice_token("menu:find")},
                        {"text": "Help", "callback_data": choice_token("menu:help")},
                    ]
                ]
            },
        },
    }


def test_a_reply_with_a_photo_sends_the_text_as_caption() -> None:
    [rendered] = ADAPTER.render("42", Reply("listing.details", "A flat", photo_url="https://x.test/p.jpg"))
    assert rendered.payload == {
        "method": "sendPhoto",
        "params": {"chat_id": 42, "parse_mode": "HTML", "photo": "https://x.test/p.jpg", "caption": "A flat"},
    }


def test_a_photo_with_a_text_too_long_for_a_caption_goes_as_a_message() -> None:
    [rendered] = ADAPTER.render("42", Reply("listing.details", "x" * 1025, photo_url="https://x.test/p.jpg"))
    assert rendered.payload["method"] == "sendMessage"


def test_a_text_over_4096_is_split_with_the_buttons_under_the_last_part() -> None:
    paragraphs = "\n\n".join(f"<b>Home {n}</b> " + "lovely garden " * 20 for n in range(30))
    parts = ADAPTER.render("42", Reply("search.results", paragraphs, (Choice("menu:show", "Menu"),)))
    assert len(parts) == 3
    assert all(len(part.payload["params"]["text"]) <= 4096 for part in parts)
    assert [("reply_markup" in part.payload["params"]) for part in parts] == [False, False, True]
    assert all(part.text.count("<b>") == part.text.count("</b>") for part in parts)
    assert "".join("".join(part.text for part in parts).split()) == "".join(paragraphs.split())


def test_long_labels_take_a_row_each() -> None:
    rows = keyboard([Choice("a:1", "A label that is rather long"), Choice("a:2", "Short")])
    assert [[b["text"] for b in row] for row in rows] == [["A label that is rather long"], ["Short"]]


ICS = Attachment(
    "viewing.ics", "text/calendar", "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "https://x.test/c.ics"
)
DOCUMENT = {
    "method": "sendDocument",
    "params": {
        "chat_id": 42,
        "document": {
            "filename": "viewing.ics",
            "content_type": "text/calendar",
            "data": "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n",
        },
    },
}


def test_an_attachment_follows_the_text_as_a_document_and_the_buttons_stay_on_the_text() -> None:
    reply = Reply("viewing.confirmed", "Booked", (Choice("menu:show", "Menu"),), attachment=ICS)
    text, document = ADAPTER.render("42", reply)
    assert text.payload["params"]["reply_markup"] == {"inline_keyboard": keyboard(reply.choices)}
    assert (document.text, document.payload) == ("viewing.ics", DOCUMENT)


def test_an_attachment_follows_a_photo_and_every_part_of_a_long_text() -> None:
    photo, after_photo = ADAPTER.render(
        "42", Reply("k", "A flat", photo_url="https://x.test/p.jpg", attachment=ICS)
    )
    parts = ADAPTER.render("42", Reply("k", "word " * 1000, (Choice("menu:show", "Menu"),), attachment=ICS))
    assert (photo.payload["method"], after_photo.payload) == ("sendPhoto", DOCUMENT)
    assert [part.payload["method"] for part in parts] == ["sendMessage", "sendMessage", "sendDocument"]
    assert "reply_markup" in parts[1].payload["params"]
    assert json.loads(json.dumps(parts[-1].payload)) == DOCUMENT
