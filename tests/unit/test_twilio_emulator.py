"""The Twilio REST API emulator, driven by the real twilio SDK through make_twilio_client."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
import pytest_asyncio
from aiohttp import web
from twilio.base.exceptions import TwilioException, TwilioRestException
from twilio.http.async_http_client import AsyncTwilioHttpClient
from twilio.http.response import Response
from twilio.request_validator import RequestValidator
from twilio.rest import Client
from twilio.rest.content.v1.content import ContentList

from bots.channels.twilio_client import (
    RewritingAsyncHttpClient,
    close_twilio_client,
    make_twilio_client,
    rewrite_twilio_url,
)
from doorstep.simulator.twilio_api import ApiCall, TwilioApiEmulator
from doorstep.simulator.twilio_objects import num_segments
from tests.fakes.twilio import DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN, FakeTwilio, sign

TO = "+447700900123"
FROM = "+447700900001"
WA_TO = f"whatsapp:{TO}"
WA_FROM = f"whatsapp:{FROM}"
QUICK_REPLY = {
    "body": "Book a viewing of {{1}}?",
    "actions": [{"title": "Yes please", "id": "book:yes"}, {"title": "{{2}}", "id": "book:other"}],
}


@pytest_asyncio.fixture
async def twilio() -> AsyncIterator[FakeTwilio]:
    async with FakeTwilio() as server:
        yield server


@pytest_asyncio.fixture
async def client(twilio: FakeTwilio) -> AsyncIterator[Client]:
    sdk = make_twilio_client(twilio.account_sid, twilio.auth_token, twilio.base_url)
    yield sdk
    await close_twilio_client(sdk)


@pytest.fixture
def emulator(twilio: FakeTwilio) -> TwilioApiEmulator:
    return twilio.emulator


class Receiver:
    """A tiny webhook receiver recording each POST's URL, form and X-Twilio-Signature."""

    def __init__(self) -> None:
        self.received: list[tuple[str, dict[str, str], str]] = []
        self.url = ""

    async def handle(self, request: web.Request) -> web.Response:
        form = await request.post()
        params = {key: str(value) for key, value in form.items()}
        self.received.append((str(request.url), params, request.headers.get("X-Twilio-Signature", "")))
        return web.Response(status=204)


@pytest_asyncio.fixture
async def receiver() -> AsyncIterator[Receiver]:
    target = Receiver()
    app = web.Application()
    app.router.add_post("/twilio/status", target.handle)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    host, port = runner.addresses[0][:2]
    target.url = f"http://{host}:{port}/twilio/status"
    yield target
    await runner.cleanup()


def content_request(types: dict[str, Any], **extra: Any) -> ContentList.ContentCreateRequest:
    payload = {"friendly_name": "viewing_offer", "language": "en", "types": types, **extra}
    return ContentList.ContentCreateRequest(payload)


# ----- URL rewriting (no network) ------------------------------------------------------------------


def test_default_base_url_leaves_every_url_untouched() -> None:
    for url in (
        "https://api.twilio.com/2010-04-01/Accounts/AC1/Messages.json",
        "https://content.twilio.com/v1/Content?PageSize=50",
        "https://example.com/anything",
    ):
        assert rewrite_twilio_url(url) == url
        assert rewrite_twilio_url(url, "https://api.twilio.com/") == url


def test_twilio_hosts_move_to_the_base_url_keeping_path_and_query() -> None:
    base = "http://127.0.0.1:8099/"
    assert (
        rewrite_twilio_url("https://content.twilio.com/v1/Content", base)
        == "http://127.0.0.1:8099/v1/Content"
    )
    assert (
        rewrite_twilio_url("https://api.dublin.ie1.twilio.com/2010-04-01/A.json?Page=2&PageSize=5", base)
        == "http://127.0.0.1:8099/2010-04-01/A.json?Page=2&PageSize=5"
    )
    assert rewrite_twilio_url("https://twilio.com/x", "http://emu:1/prefix") == "http://emu:1/prefix/x"
    for foreign in (
        "https://twilio.com.evil.example/x",
        "http://api.twilio.com/x",
        "https://nottwilio.com/x",
    ):
        assert rewrite_twilio_url(foreign, base) == foreign


async def test_default_client_sends_the_sdk_url_with_json_body_and_auth_header(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    sent: list[dict[str, Any]] = []

    async def capture(self: AsyncTwilioHttpClient, method: str, url: str, **kwargs: Any) -> Response:
        sent.append({"method": method, "url": url, **kwargs})
        return Response(201, json.dumps({"sid": "HX" + "0" * 32}), {})

    monkeypatch.setattr(AsyncTwilioHttpClient, "request", capture)
    sdk = make_twilio_client(DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN, timeout=7.5)
    created = await sdk.content.v1.contents.create_async(content_request({"twilio/text": {"body": "Hi"}}))

    [request] = sent
    assert created.sid == "HX" + "0" * 32
    assert request["url"] == "https://content.twilio.com/v1/Content"
    assert json.loads(request["data"]) == {
        "friendly_name": "viewing_offer",
        "language": "en",
        "types": {"twilio/text": {"body": "Hi"}},
    }
    assert request["headers"]["Content-Type"] == "application/json"
    assert request["headers"]["Authorization"].startswith("Basic ")
    assert "auth" not in request and request["timeout"] == 7.5
    await close_twilio_client(sdk)


def test_client_can_be_built_outside_an_event_loop() -> None:
    sdk = make_twilio_client(DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN, "http://127.0.0.1:1")
    assert isinstance(sdk.http_client, RewritingAsyncHttpClient)
    assert sdk.http_client.is_async and sdk.http_client.session is None
    assert sdk.account_sid == DEFAULT_ACCOUNT_SID


def test_num_segments_counts_gsm7_and_ucs2() -> None:
    assert [num_segments("a" * 160), num_segments("a" * 161), num_segments("{" * 80)] == [1, 2, 1]
    assert [num_segments("é" * 160), num_segments("ł" * 70), num_segments("ł" * 71)] == [1, 1, 2]


# ----- Messages ---------------------------------------------------------------------------------------


async def test_create_message_returns_a_queued_message_and_records_exact_params(
    client: Client, emulator: TwilioApiEmulator, twilio: FakeTwilio
) -> None:
    message = await client.messages.create_async(
        to=TO, from_=FROM, body="Hi", status_callback="http://127.0.0.1:9/cb"
    )

    assert message.sid is not None and message.sid.startswith("SM") and len(message.sid) == 34
    assert (message.status, message.direction, message.to, message.from_) == (
        "queued",
        "outbound-api",
        TO,
        FROM,
    )
    assert (message.body, message.num_segments, message.num_media) == ("Hi", "1", "0")
    assert (message.account_sid, message.error_code, message.price) == (twilio.account_sid, None, None)
    assert message.date_created is not None and message.date_created.tzinfo is not None
    assert message.uri == f"/2010-04-01/Accounts/{twilio.account_sid}/Messages/{message.sid}.json"
    [call] = emulator.messages()
    assert call.method == "POST"
    assert call.path == f"/2010-04-01/Accounts/{twilio.account_sid}/Messages.json"
    assert call.params == {"To": TO, "From": FROM, "Body": "Hi", "StatusCallback": "http://127.0.0.1:9/cb"}
    fetched = await client.messages(message.sid).fetch_async()
    assert (fetched.sid, fetched.status, fetched.body) == (message.sid, "queued", "Hi")


async def test_whatsapp_template_records_decoded_content_variables(
    client: Client, emulator: TwilioApiEmulator
) -> None:
    variables = {"1": "12 Elm Road", "2": "Tue 10:00"}
    message = await client.messages.create_async(
        to=WA_TO, from_=WA_FROM, content_sid="HX" + "a" * 32, content_variables=json.dumps(variables)
    )

    assert message.status == "queued" and message.to == WA_TO
    [call] = emulator.messages(to=WA_TO)
    assert call.params == {
        "To": WA_TO,
        "From": WA_FROM,
        "ContentSid": "HX" + "a" * 32,
        "ContentVariables": variables,
    }


async def test_media_urls_are_recorded_as_a_list(client: Client, emulator: TwilioApiEmulator) -> None:
    urls = ["https://cdn.example/17/front.jpg", "https://cdn.example/17/floorplan.png"]
    message = await client.messages.create_async(to=WA_TO, from_=WA_FROM, body="Photos", media_url=urls)
    single = await client.messages.create_async(to=WA_TO, from_=WA_FROM, media_url=[urls[0]])

    assert (message.num_media, single.num_media) == ("2", "1")
    assert [call.params["MediaUrl"] for call in emulator.messages()] == [urls, [urls[0]]]


async def test_messaging_service_without_from_is_accepted(
    client: Client, emulator: TwilioApiEmulator
) -> None:
    message = await client.messages.create_async(to=TO, messaging_service_sid="MG" + "1" * 32, body="Hi")

    assert (message.status, message.from_, message.messaging_service_sid) == (
        "accepted",
        None,
        "MG" + "1" * 32,
    )


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"to": "", "from_": FROM, "body": "Hi"}, 21604),
        ({"to": TO, "body": "Hi"}, 21603),
        ({"to": "not-a-number", "from_": FROM, "body": "Hi"}, 21211),
        ({"to": WA_TO, "from_": FROM, "body": "Hi"}, 21910),
        ({"to": TO, "from_": FROM}, 21619),
        ({"to": TO, "from_": FROM, "body": "x" * 1601}, 21617),
        ({"to": WA_TO, "from_": WA_FROM, "content_sid": "HX" + "a" * 32, "content_variables": "{"}, 21656),
    ],
)
async def test_invalid_messages_are_rejected_like_twilio(
    client: Client, emulator: TwilioApiEmulator, kwargs: dict[str, Any], code: int
) -> None:
    with pytest.raises(TwilioRestException) as caught:
        await client.messages.create_async(**kwargs)

    assert (caught.value.status, caught.value.code) == (400, code)
    assert emulator.messages() == []
    assert [call.failed_status for call in emulator.calls] == [400]


async def test_body_of_exactly_1600_characters_is_accepted(client: Client) -> None:
    message = await client.messages.create_async(to=TO, from_=FROM, body="x" * 1600)

    assert message.num_segments == str(-(-1600 // 153))


async def test_wrong_credentials_answer_20003(twilio: FakeTwilio, emulator: TwilioApiEmulator) -> None:
    sdk = make_twilio_client(twilio.account_sid, "0" * 32, twilio.base_url)
    try:
        with pytest.raises(TwilioRestException) as caught:
            await sdk.messages.create_async(to=TO, from_=FROM, body="Hi")
        with pytest.raises(TwilioException) as content_caught:  # list/page errors are not RestExceptions
            await sdk.content.v1.contents.list_async()
    finally:
        await close_twilio_client(sdk)

    assert (caught.value.status, caught.value.code) == (401, 20003)
    assert "Authenticate" in caught.value.msg
    assert content_caught.value.args[1].status_code == 401
    assert emulator.messages() == []
    assert [call.failed_status for call in emulator.calls] == [401, 401]


async def test_fail_next_with_a_preset_code(client: Client, emulator: TwilioApiEmulator) -> None:
    emulator.fail_next(code=21610)

    with pytest.raises(TwilioRestException) as caught:
        await client.messages.create_async(to=TO, from_=FROM, body="Hi")
    message = await client.messages.create_async(to=TO, from_=FROM, body="Hi again")

    assert (caught.value.status, caught.value.code) == (400, 21610)
    assert "Attempt to send to unsubscribed recipient" in caught.value.msg
    assert message.status == "queued"
    assert [call.failed_status for call in emulator.calls] == [400, None]
    assert [call.params["Body"] for call in emulator.messages()] == ["Hi again"]


async def test_fail_next_rate_limit_and_server_errors(client: Client, emulator: TwilioApiEmulator) -> None:
    emulator.fail_next(status=429)
    emulator.fail_next(2)
    outcomes = []
    for _ in range(3):
        with pytest.raises(TwilioRestException) as caught:
            await client.messages.create_async(to=TO, from_=FROM, body="Hi")
        outcomes.append((caught.value.status, caught.value.code))

    assert outcomes == [(429, 20429), (500, 20500), (500, 20500)]
    assert (await client.messages.create_async(to=TO, from_=FROM, body="Hi")).status == "queued"


async def test_fail_next_only_for_one_recipient_and_whatsapp_window(
    client: Client, emulator: TwilioApiEmulator
) -> None:
    emulator.fail_next(code=63016, to=WA_TO)

    other = await client.messages.create_async(to="whatsapp:+447700900999", from_=WA_FROM, body="Hi")
    with pytest.raises(TwilioRestException) as caught:
        await client.messages.create_async(to=WA_TO, from_=WA_FROM, body="Hi")

    assert other.status == "queued"
    assert (caught.value.status, caught.value.code) == (400, 63016)
    assert "outside the allowed window" in caught.value.msg


async def test_unknown_message_is_a_20404(client: Client) -> None:
    with pytest.raises(TwilioRestException) as caught:
        await client.messages("SM" + "0" * 32).fetch_async()

    assert (caught.value.status, caught.value.code) == (404, 20404)


# ----- Content API ------------------------------------------------------------------------------------


async def test_create_fetch_and_list_content(client: Client, emulator: TwilioApiEmulator) -> None:
    request = content_request({"twilio/quick-reply": QUICK_REPLY}, variables={"1": "the flat", "2": "Other"})
    created = await client.content.v1.contents.create_async(request)

    assert created.sid is not None and created.sid.startswith("HX") and len(created.sid) == 34
    assert (created.friendly_name, created.language) == ("viewing_offer", "en")
    assert created.types == {"twilio/quick-reply": QUICK_REPLY}
    assert created.variables == {"1": "the flat", "2": "Other"}
    assert created.url == f"https://content.twilio.com/v1/Content/{created.sid}"
    assert created.date_created is not None
    [call] = [call for call in emulator.calls if call.path == "/v1/Content"]
    assert call.params == {
        "friendly_name": "viewing_offer",
        "language": "en",
        "variables": {"1": "the flat", "2": "Other"},
        "types": {"twilio/quick-reply": QUICK_REPLY},
    }
    fetched = await client.content.v1.contents(created.sid).fetch_async()
    assert (fetched.sid, fetched.types) == (created.sid, created.types)
    assert [content["sid"] for content in emulator.contents()] == [created.sid]


async def test_content_list_pages_through_everything(client: Client) -> None:
    sids = []
    for index in range(3):
        created = await client.content.v1.contents.create_async(
            content_request({"twilio/text": {"body": f"Hello {index}"}})
        )
        sids.append(created.sid)

    listed = await client.content.v1.contents.list_async(page_size=2)

    assert [content.sid for content in listed] == sids


async def test_list_picker_content_is_accepted(client: Client) -> None:
    items = [{"item": f"Slot {n}", "id": f"slot:{n}", "description": "Tue"} for n in range(10)]
    picker = {"body": "Pick a viewing slot", "button": "Choose", "items": items}

    created = await client.content.v1.contents.create_async(content_request({"twilio/list-picker": picker}))

    assert created.types == {"twilio/list-picker": picker}


@pytest.mark.parametrize(
    "types",
    [
        {"twilio/quick-reply": {"body": "Pick", "actions": [{"title": "x" * 21, "id": "a"}]}},
        {"twilio/quick-reply": {"body": "Pick", "actions": [{"title": "A", "id": str(n)} for n in range(4)]}},
        {"twilio/quick-reply": {"body": "Pick", "actions": [{"title": "A"}]}},
        {"twilio/quick-reply": {"actions": [{"title": "A", "id": "a"}]}},
        {"twilio/list-picker": {"body": "Pick", "button": "Go", "items": []}},
        {"twilio/list-picker": {"body": "Pick", "items": [{"item": "A", "id": "a"}]}},
        {
            "twilio/list-picker": {
                "body": "Pick",
                "button": "Go",
                "items": [{"item": "A", "id": str(n)} for n in range(11)],
            }
        },
        {"twilio/list-picker": {"body": "Pick", "button": "Go", "items": [{"id": "a"}]}},
    ],
)
async def test_invalid_content_is_rejected(
    client: Client, emulator: TwilioApiEmulator, types: dict[str, Any]
) -> None:
    with pytest.raises(TwilioRestException) as caught:
        await client.content.v1.contents.create_async(content_request(types))

    assert caught.value.status == 400
    assert emulator.contents() == []


# ----- status callbacks, listeners, controls ----------------------------------------------------------


async def test_status_callback_is_signed_like_twilio(
    client: Client, emulator: TwilioApiEmulator, twilio: FakeTwilio, receiver: Receiver
) -> None:
    message = await client.messages.create_async(to=TO, from_=FROM, body="Hi", status_callback=receiver.url)
    assert message.sid is not None

    assert await emulator.deliver_status(message.sid, "delivered") == 204
    assert await emulator.deliver_status(message.sid, "undelivered", error_code=30006) == 204

    validator = RequestValidator(twilio.auth_token)
    (url, delivered, signature), (_, undelivered, failed_signature) = receiver.received
    assert url == receiver.url
    assert validator.validate(url, delivered, signature)
    assert validator.validate(url, undelivered, failed_signature)
    assert not RequestValidator("f" * 32).validate(url, delivered, signature)
    assert sign(twilio.auth_token, url, delivered) == signature
    assert delivered == {
        "MessageSid": message.sid,
        "MessageStatus": "delivered",
        "SmsSid": message.sid,
        "SmsStatus": "delivered",
        "AccountSid": twilio.account_sid,
        "From": FROM,
        "To": TO,
        "ApiVersion": "2010-04-01",
    }
    assert undelivered == {
        **delivered,
        "MessageStatus": "undelivered",
        "SmsStatus": "undelivered",
        "ErrorCode": "30006",
    }
    fetched = await client.messages(message.sid).fetch_async()
    assert (fetched.status, fetched.error_code) == ("undelivered", 30006)


async def test_deliver_status_to_an_explicit_url(
    client: Client, emulator: TwilioApiEmulator, receiver: Receiver
) -> None:
    message = await client.messages.create_async(to=TO, from_=FROM, body="Hi")
    assert message.sid is not None

    with pytest.raises(ValueError, match="no StatusCallback"):
        await emulator.deliver_status(message.sid, "sent")
    assert await emulator.deliver_status(message.sid, "sent", callback_url=receiver.url) == 204
    assert receiver.received[0][1]["MessageStatus"] == "sent"


async def test_listeners_see_successful_calls_only(client: Client, emulator: TwilioApiEmulator) -> None:
    seen: list[str] = []

    async def on_call(call: ApiCall) -> None:
        seen.append(f"async:{call.params.get('Body')}")

    emulator.add_listener(on_call)
    emulator.add_listener(lambda call: seen.append(f"sync:{call.params.get('Body')}"))
    emulator.fail_next()
    with pytest.raises(TwilioRestException):
        await client.messages.create_async(to=TO, from_=FROM, body="lost")
    await client.messages.create_async(to=TO, from_=FROM, body="kept")

    assert seen == ["async:kept", "sync:kept"]


async def test_messages_filter_and_clear(client: Client, emulator: TwilioApiEmulator) -> None:
    await client.messages.create_async(to=TO, from_=FROM, body="one")
    await client.messages.create_async(to=WA_TO, from_=WA_FROM, body="two")
    await client.content.v1.contents.create_async(content_request({"twilio/text": {"body": "Hi"}}))
    emulator.fail_next(code=21211)

    assert [call.params["Body"] for call in emulator.messages(to=TO)] == ["one"]
    assert len(emulator.messages()) == 2
    emulator.clear()
    assert emulator.calls == [] and emulator.messages() == []
    assert len(emulator.contents()) == 1
    assert (await client.messages.create_async(to=TO, from_=FROM, body="three")).status == "queued"


async def test_close_twilio_client_is_idempotent(twilio: FakeTwilio) -> None:
    sdk = make_twilio_client(twilio.account_sid, twilio.auth_token, twilio.base_url)
    await sdk.messages.create_async(to=TO, from_=FROM, body="Hi")
    session = sdk.http_client.session  # type: ignore[attr-defined]
    assert session is not None and not session.closed

    await close_twilio_client(sdk)
    await close_twilio_client(sdk)

    assert session.closed


async def test_fake_uses_loopback_and_twilio_shaped_credentials(twilio: FakeTwilio) -> None:
    assert twilio.base_url.startswith("http://127.0.0.1:") and not twilio.base_url.endswith("/")
    assert twilio.account_sid == DEFAULT_ACCOUNT_SID and len(DEFAULT_ACCOUNT_SID) == 34
    assert DEFAULT_ACCOUNT_SID.startswith("AC") and int(DEFAULT_ACCOUNT_SID[2:], 16) >= 0
    assert len(DEFAULT_AUTH_TOKEN) == 32 and int(DEFAULT_AUTH_TOKEN, 16) >= 0


async def test_sent_lists_the_messages_to_one_number_as_json_without_credentials(
    client: Client, twilio: FakeTwilio
) -> None:
    await client.messages.create_async(to=TO, from_=FROM, body="First")
    await client.messages.create_async(to=WA_TO, from_=WA_FROM, body="On WhatsApp")
    await client.messages.create_async(to=TO, from_=FROM, body="Second")

    async with aiohttp.ClientSession() as http:
        async with http.get(f"{twilio.base_url}/sent", params={"to": TO}) as response:
            assert response.status == 200
            sms = await response.json()
        async with http.get(f"{twilio.base_url}/sent") as response:
            everything = await response.json()

    assert [(m["params"]["To"], m["params"]["Body"]) for m in sms] == [(TO, "First"), (TO, "Second")]
    assert [m["params"]["Body"] for m in everything] == ["First", "On WhatsApp", "Second"]
    assert all(isinstance(m["at"], float) for m in everything)
