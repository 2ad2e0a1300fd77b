"""The Telegram Bot API emulator, driven by the real python-telegram-bot client."""

from __future__ import annotations

import datetime as dtm
import socket
import warnings
from collections.abc import AsyncIterator

import aiohttp
import pytest
import pytest_asyncio
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, InputFile
from telegram.error import BadRequest, Forbidden, InvalidToken, NetworkError, RetryAfter

from doorstep.simulator.telegram_api import ApiCall, TelegramApiEmulator
from tests.fakes.telegram import DEFAULT_TOKEN, FakeTelegram
from tests.network_guard import ExternalNetworkBlocked, blocked_external_network

pytestmark = pytest.mark.asyncio

CHAT = 4242
BOT_ID = 123456
KEYBOARD = InlineKeyboardMarkup([[InlineKeyboardButton("Book a viewing", callback_data="view:17")]])
KEYBOARD_DICT = {"inline_keyboard": [[{"text": "Book a viewing", "callback_data": "view:17"}]]}


@pytest_asyncio.fixture
async def telegram() -> AsyncIterator[FakeTelegram]:
    async with FakeTelegram() as server:
        yield server


@pytest_asyncio.fixture
async def bot(telegram: FakeTelegram) -> AsyncIterator[Bot]:
    async with Bot(DEFAULT_TOKEN, base_url=telegram.bot_base_url) as client:
        yield client


@pytest.fixture
def emulator(telegram: FakeTelegram) -> TelegramApiEmulator:
    return telegram.emulator


def seconds(value: int | dtm.timedelta) -> float:
    return value.total_seconds() if isinstance(value, dtm.timedelta) else value


async def test_base_url_is_loopback_without_trailing_slash(telegram: FakeTelegram) -> None:
    assert telegram.base_url.startswith("http://127.0.0.1:")
    assert not telegram.base_url.endswith("/")
    assert telegram.bot_base_url == f"{telegram.base_url}/bot"


async def test_initialize_calls_get_me(bot: Bot, emulator: TelegramApiEmulator) -> None:
    assert bot.id == BOT_ID
    assert bot.username == "doorstep_bot"
    assert bot.first_name == "Doorstep"
    assert bot.can_join_groups is True
    assert [(call.method, call.params, call.token) for call in emulator.calls] == [
        ("getMe", {}, DEFAULT_TOKEN)
    ]


async def test_send_message_records_exact_params(bot: Bot, emulator: TelegramApiEmulator) -> None:
    message = await bot.send_message(CHAT, "2-bed flat, Leeds: £950 pcm", reply_markup=KEYBOARD)

    [call] = emulator.sent("sendMessage")
    assert call.params == {
        "chat_id": CHAT,
        "text": "2-bed flat, Leeds: £950 pcm",
        "reply_markup": KEYBOARD_DICT,
    }
    assert call.failed_status is None
    assert message.message_id == 1
    assert message.text == "2-bed flat, Leeds: £950 pcm"
    assert message.chat.id == CHAT
    assert message.from_user is not None and message.from_user.id == BOT_ID
    assert message.reply_markup == KEYBOARD
    second = await bot.send_message(CHAT, "And another")
    other_chat = await bot.send_message(CHAT + 1, "Hello")
    assert (second.message_id, other_chat.message_id) == (2, 1)
    assert second.reply_markup is None


async def test_send_photo_with_url_and_caption(bot: Bot, emulator: TelegramApiEmulator) -> None:
    url = "https://example.com/listings/17/front.jpg"
    message = await bot.send_photo(CHAT, url, caption="Front of 17 Elm Road")

    [call] = emulator.sent("sendphoto", chat_id=CHAT)
    assert call.method == "sendPhoto"
    assert call.params == {"chat_id": CHAT, "photo": url, "caption": "Front of 17 Elm Road"}
    assert message.caption == "Front of 17 Elm Road"
    assert [(size.width, size.height) for size in message.photo] == [(90, 67), (1280, 960)]
    assert message.photo[-1].file_id == "photo-000001"


async def test_send_document_upload_records_metadata_not_bytes(
    bot: Bot, emulator: TelegramApiEmulator
) -> None:
    upload = InputFile(b"%PDF-1.4 tenancy", filename="tenancy.pdf")
    message = await bot.send_document(CHAT, upload, caption="Your tenancy agreement")

    [call] = emulator.sent("sendDocument")
    assert call.params == {
        "chat_id": CHAT,
        "caption": "Your tenancy agreement",
        "document": {"file_name": "tenancy.pdf", "content_type": "application/pdf", "size": 16},
    }
    assert message.document is not None
    assert (message.document.file_name, message.document.file_size) == ("tenancy.pdf", 16)


async def test_location_and_contact(bot: Bot, emulator: TelegramApiEmulator) -> None:
    located = await bot.send_location(CHAT, latitude=53.8, longitude=-1.55)
    contact = await bot.send_contact(CHAT, phone_number="+447700900123", first_name="Agent")

    assert located.location is not None
    assert (located.location.latitude, located.location.longitude) == (53.8, -1.55)
    assert contact.contact is not None and contact.contact.phone_number == "+447700900123"
    assert [call.method for call in emulator.sent(chat_id=CHAT)] == ["sendLocation", "sendContact"]


async def test_edit_message_text_replaces_text_and_keyboard(bot: Bot, emulator: TelegramApiEmulator) -> None:
    sent = await bot.send_message(CHAT, "Pick a slot", reply_markup=KEYBOARD)
    edited = await bot.edit_message_text("Booked for Tue 10:00", chat_id=CHAT, message_id=sent.message_id)

    assert isinstance(edited, type(sent))
    assert (edited.message_id, edited.text, edited.reply_markup) == (1, "Booked for Tue 10:00", None)
    assert edited.edit_date is not None
    [call] = emulator.sent("editMessageText")
    assert call.params == {"chat_id": CHAT, "message_id": 1, "text": "Booked for Tue 10:00"}
    assert await bot.edit_message_reply_markup(inline_message_id="inl-1", reply_markup=KEYBOARD) is True


async def test_answer_callback_query_and_simple_true_methods(bot: Bot, emulator: TelegramApiEmulator) -> None:
    assert await bot.answer_callback_query("cbq-1", text="Saved") is True
    assert await bot.send_chat_action(CHAT, "typing") is True
    assert await bot.delete_message(CHAT, 99) is True

    [call] = emulator.sent("answerCallbackQuery")
    assert call.params == {"callback_query_id": "cbq-1", "text": "Saved"}
    assert emulator.sent("sendChatAction")[0].params == {"chat_id": CHAT, "action": "typing"}


async def test_webhook_info_reflects_last_set_webhook(bot: Bot) -> None:
    assert (await bot.get_webhook_info()).url == ""
    assert await bot.set_webhook("https://doorstep.test/telegram/hook") is True
    assert (await bot.get_webhook_info()).url == "https://doorstep.test/telegram/hook"
    assert await bot.delete_webhook() is True
    assert (await bot.get_webhook_info()).url == ""


async def test_retry_after_then_success(bot: Bot, emulator: TelegramApiEmulator) -> None:
    emulator.fail_next(status=429, retry_after=3)

    with pytest.raises(RetryAfter) as caught, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        await bot.send_message(CHAT, "Hello")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert seconds(caught.value.retry_after) == 3
    message = await bot.send_message(CHAT, "Hello again")

    assert message.message_id == 1
    failed = [call for call in emulator.calls if call.failed_status is not None]
    assert [(call.method, call.failed_status, call.params["text"]) for call in failed] == [
        ("sendMessage", 429, "Hello")
    ]
    assert [call.params["text"] for call in emulator.sent("sendMessage")] == ["Hello again"]


async def test_server_error_raises_network_error(bot: Bot, emulator: TelegramApiEmulator) -> None:
    emulator.fail_next(status=500)
    with pytest.raises(NetworkError) as caught:
        await bot.send_message(CHAT, "Hello")
    assert str(caught.value) == "Internal Server Error"
    emulator.fail_next(status=502)
    with pytest.raises(NetworkError, match=r"^Bad Gateway$"):
        await bot.send_message(CHAT, "Hello")
    assert (await bot.send_message(CHAT, "Hello")).message_id == 1


async def test_failures_match_method_and_chat(bot: Bot, emulator: TelegramApiEmulator) -> None:
    emulator.fail_next(
        2, status=400, description="Bad Request: chat not found", method="SENDMESSAGE", chat_id=7
    )

    assert await bot.answer_callback_query("cbq-1") is True
    assert (await bot.send_message(CHAT, "not chat 7")).message_id == 1
    for _ in range(2):
        with pytest.raises(BadRequest, match=r"^Chat not found$"):
            await bot.send_message(7, "to chat 7")
    assert (await bot.send_message(7, "third time lucky")).message_id == 1


async def test_blocked_chat_raises_forbidden(bot: Bot, emulator: TelegramApiEmulator) -> None:
    emulator.block(CHAT)
    for _ in range(2):
        with pytest.raises(Forbidden) as caught:
            await bot.send_message(CHAT, "Still there?")
        assert str(caught.value) == "Forbidden: bot was blocked by the user"
    assert (await bot.send_message(CHAT + 1, "Hi")).message_id == 1
    assert [call.failed_status for call in emulator.calls if call.method == "sendMessage"] == [403, 403, None]


async def test_wrong_token_raises_invalid_token(telegram: FakeTelegram) -> None:
    wrong = Bot("999:not-a-known-token", base_url=telegram.bot_base_url)
    with pytest.raises(InvalidToken) as caught:
        await wrong.initialize()
    assert str(caught.value) == "The token `999:not-a-known-token` was rejected by the server."
    assert isinstance(caught.value.__cause__, InvalidToken)
    assert str(caught.value.__cause__) == "Unauthorized"
    await wrong.shutdown()
    assert [call.failed_status for call in telegram.emulator.calls] == [401]


@pytest.mark.parametrize(
    ("text", "markup", "expected"),
    [
        ("x" * 4097, None, "Message is too long"),
        ("", None, "Message text is empty"),
        (
            "ok",
            InlineKeyboardMarkup([[InlineKeyboardButton("b", callback_data="d" * 65)]]),
            "Button_data_invalid",
        ),
    ],
)
async def test_send_message_validation(
    bot: Bot, emulator: TelegramApiEmulator, text: str, markup: InlineKeyboardMarkup | None, expected: str
) -> None:
    with pytest.raises(BadRequest) as caught:
        await bot.send_message(CHAT, text, reply_markup=markup)
    assert str(caught.value) == expected
    assert emulator.sent("sendMessage") == []
    assert emulator.calls[-1].failed_status == 400


async def test_limits_are_inclusive(bot: Bot) -> None:
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("b", callback_data="é" * 32)]])
    assert (await bot.send_message(CHAT, "x" * 4096, reply_markup=markup)).message_id == 1
    assert (await bot.send_photo(CHAT, "file-id-1", caption="c" * 1024)).message_id == 2
    with pytest.raises(BadRequest, match=r"^Message caption is too long$"):
        await bot.send_photo(CHAT, "file-id-1", caption="c" * 1025)


async def test_raw_http_answers(telegram: FakeTelegram) -> None:
    root, emulator = telegram.base_url, telegram.emulator
    async with aiohttp.ClientSession() as http:
        async with http.post(f"{root}/bot{DEFAULT_TOKEN}/noSuchMethod") as resp:
            assert (resp.status, await resp.json()) == (
                404,
                {"ok": False, "error_code": 404, "description": "Not Found: method not found"},
            )
        async with http.get(f"{root}/elsewhere") as resp:
            assert resp.status == 404
        async with http.post(f"{root}/bot1:nope/getMe") as resp:
            assert (resp.status, await resp.json()) == (
                401,
                {"ok": False, "error_code": 401, "description": "Unauthorized"},
            )
        emulator.fail_next(status=429, retry_after=5)
        body = {"chat_id": CHAT, "text": "[1] json body", "reply_markup": KEYBOARD_DICT}
        async with http.post(f"{root}/bot{DEFAULT_TOKEN}/sendMessage", json=body) as resp:
            assert (resp.status, await resp.json()) == (
                429,
                {
                    "ok": False,
                    "error_code": 429,
                    "description": "Too Many Requests: retry after 5",
                    "parameters": {"retry_after": 5},
                },
            )
        async with http.post(f"{root}/bot{DEFAULT_TOKEN}/sendMessage", json=body) as resp:
            answer = await resp.json()
            assert (resp.status, answer["ok"], answer["result"]["text"]) == (200, True, "[1] json body")
        async with http.get(
            f"{root}/bot{DEFAULT_TOKEN}/sendMessage", params={"chat_id": "-100", "text": "[1]"}
        ) as resp:
            assert (resp.status, (await resp.json())["result"]["chat"]) == (
                200,
                {"id": -100, "type": "private"},
            )
        async with http.post(f"{root}/bot{DEFAULT_TOKEN}/sendMessage", json={"text": "hi"}) as resp:
            assert (await resp.json())["description"] == "Bad Request: chat not found"
    assert emulator.sent("sendMessage")[0].params == body
    assert emulator.sent("sendMessage")[1].params == {"chat_id": -100, "text": "[1]"}
    assert [call.method for call in emulator.calls] == [
        "noSuchMethod",
        "getMe",
        "sendMessage",
        "sendMessage",
        "sendMessage",
        "sendMessage",
    ]


async def test_listeners_see_successful_calls_only(bot: Bot, emulator: TelegramApiEmulator) -> None:
    seen: list[str] = []

    async def on_call(call: ApiCall) -> None:
        seen.append(f"async:{call.method}")

    emulator.add_listener(on_call)
    emulator.add_listener(lambda call: seen.append(f"sync:{call.params.get('text')}"))
    emulator.fail_next(method="sendMessage")
    with pytest.raises(NetworkError):
        await bot.send_message(CHAT, "lost")
    await bot.send_message(CHAT, "delivered")

    assert seen == ["async:sendMessage", "sync:delivered"]


async def test_clear_forgets_calls_and_blocks(bot: Bot, emulator: TelegramApiEmulator) -> None:
    emulator.block(CHAT)
    await bot.send_message(CHAT + 1, "hi")
    emulator.clear()
    assert emulator.calls == []
    assert (await bot.send_message(CHAT, "hi")).message_id == 1


async def test_network_guard_refuses_external_addresses(telegram: FakeTelegram) -> None:
    expected = (
        "tests must not use the network: connection to ('203.0.113.1', 443) blocked (only loopback allowed)"
    )
    with blocked_external_network():
        with pytest.raises(ExternalNetworkBlocked) as caught:
            socket.create_connection(("203.0.113.1", 443), timeout=1)
        assert str(caught.value) == expected
        with socket.socket() as sock, pytest.raises(ExternalNetworkBlocked):
            sock.connect_ex(("203.0.113.1", 443))
        with socket.create_connection(("127.0.0.1", int(telegram.base_url.rsplit(":", 1)[1]))):
            pass
        outside = Bot(DEFAULT_TOKEN, base_url="http://203.0.113.1/bot")
        with pytest.raises(NetworkError, match="tests must not use the network"):
            await outside.get_me()


async def test_sent_lists_one_chats_calls_as_json(bot: Bot, telegram: FakeTelegram) -> None:
    await bot.send_message(CHAT, "Hello", reply_markup=KEYBOARD)
    await bot.send_message(CHAT + 1, "Someone else")
    await bot.send_document(CHAT, InputFile(b"BEGIN:VCALENDAR", filename="viewing.ics"))

    async with aiohttp.ClientSession() as http:
        async with http.get(f"{telegram.base_url}/sent", params={"chat_id": str(CHAT)}) as response:
            assert response.status == 200
            calls = await response.json()
        async with http.get(f"{telegram.base_url}/sent") as response:
            everything = await response.json()

    assert [(c["method"], c["params"].get("text")) for c in calls] == [
        ("sendMessage", "Hello"),
        ("sendDocument", None),
    ]
    assert calls[0]["params"]["reply_markup"] == KEYBOARD_DICT
    assert calls[1]["params"]["document"]["file_name"] == "viewing.ics"
    assert [c["method"] for c in everything] == ["getMe", "sendMessage", "sendMessage", "sendDocument"]
