"""Authenticated bodies that no provider would send: a 400 naming what is wrong, and nothing written."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from core.message_log.model import OutboxMessage
from tests.support import PUBLIC_BASE_URL, WEBHOOK_SECRET, Platform, recorded
from tests.webhook_payloads import form_bytes, sign_bytes

TELEGRAM = "/webhooks/telegram"


def _update(
    fixture: str, path: tuple[str, ...], value: Any = None, *, delete: bool = False
) -> dict[str, Any]:
    update = copy.deepcopy(recorded("telegram", fixture))
    node = update
    for key in path[:-1]:
        node = node[key]
    if delete:
        del node[path[-1]]
    else:
        node[path[-1]] = value
    return update


async def _post_telegram(platform: Platform, body: bytes, content_type: str = "application/json") -> Any:
    headers = {"X-Telegram-Bot-Api-Secret-Token": WEBHOOK_SECRET, "Content-Type": content_type}
    return await platform.client.post(TELEGRAM, data=body, headers=headers)


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (_update("message_text", ("message", "text"), "Le\x00eds"), "message.text: contains a NUL character"),
        (
            _update("message_text", ("message", "date"), 10**20),
            "message.date: Input should be less than 4294967296",
        ),
        (_update("message_text", ("message", "chat"), delete=True), "message.chat: Field required"),
        (
            _update("callback_query", ("callback_query", "from"), delete=True),
            "callback_query.from: Field required",
        ),
        (
            _update("message_text", ("message", "from", "first_name"), 7),
            "message.from.first_name: Input should be a valid string",
        ),
        (
            _update("message_text", ("message", "from", "first_name"), ["Amira"]),
            "message.from.first_name: Input should be a valid string",
        ),
        (
            _update("message_text", ("message", "from", "first_name"), True),
            "message.from.first_name: Input should be a valid string",
        ),
        (
            _update("message_text", ("message", "from", "first_name"), "A" * 201),
            "message.from.first_name: String should have at most 200 characters",
        ),
        (
            _update("message_text", ("message", "text"), "x" * 4097),
            "message.text: String should have at most 4096 characters",
        ),
        (
            _update("message_text", ("message", "chat", "id"), 2**63),
            "message.chat.id: Input should be less than or equal to 9007199254740992",
        ),
        (_update("message_text", ("update_id",), "12"), "update_id: Input should be a valid integer"),
    ],
)
async def test_telegram_update_refused_with_its_reason(
    platform: Platform, body: dict[str, Any], reason: str
) -> None:
    before = await platform.count_all()
    response = await _post_telegram(platform, json.dumps(body).encode())
    assert response.status == 400
    assert await response.json() == {"error": f"malformed update: {reason}"}
    assert await platform.count_all() == before


@pytest.mark.parametrize(
    ("body", "content_type", "reason"),
    [
        (
            b'{"update_id": 1, "message": {"text": "\\ud800"}}',
            "application/json",
            "message.message_id: Field required",
        ),
        (
            json.dumps(_update("message_text", ("message", "text"), "\ud800")).encode(),
            "application/json",
            "message.text: Input should be a valid string, unable to parse raw data as a unicode string",
        ),
        (b"[" * 5000 + b"]" * 5000, "application/json", "the body is nested too deeply"),
        (
            b'{"update_id": ' + b"9" * 5000 + b"}",
            "application/json",
            "the body is not JSON: Exceeds the limit (4300 digits)",
        ),
        (b'{"update_id": NaN}', "application/json", "the body is not JSON: NaN is not a number"),
        (
            json.dumps(_update("message_text", ("message", "location"), {"latitude": 0, "longitude": 0}))
            .replace('"latitude": 0', '"latitude": 1e999')
            .encode(),
            "application/json",
            "message.location.latitude: Input should be a finite number",
        ),
        (b"\xff{}", "application/json", "the body is not valid UTF-8"),
        (b"{}", "application/json; charset=x-bogus", "unsupported charset 'x-bogus': Telegram sends UTF-8"),
    ],
)
async def test_telegram_body_refused_with_its_reason(
    platform: Platform, body: bytes, content_type: str, reason: str
) -> None:
    before = await platform.count_all()
    response = await _post_telegram(platform, body, content_type)
    assert response.status == 400
    assert (await response.json())["error"].startswith(f"malformed update: {reason}")
    assert await platform.count_all() == before


def _form(platform: Platform, channel: str, **fields: str) -> list[tuple[bytes, bytes]]:
    form = platform.twilio_form(channel, "hi") | fields
    return [(k.encode(), v.encode("utf-8", "surrogatepass")) for k, v in form.items()]


async def _post_form(
    platform: Platform, path: str, pairs: list[tuple[bytes, bytes]], *, signed: bool = True, charset: str = ""
) -> Any:
    signature = (
        sign_bytes(platform.twilio_fake.auth_token, PUBLIC_BASE_URL + path, pairs) if signed else "forged"
    )
    headers = {"X-Twilio-Signature": signature, "Content-Type": "application/x-www-form-urlencoded" + charset}
    return await platform.client.post(path, data=form_bytes(pairs), headers=headers)


@pytest.mark.parametrize("channel", ["sms", "whatsapp"])
@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        ({"Body": "h\x00i"}, "Body: contains a NUL character"),
        ({"NumMedia": "3000000"}, "NumMedia: String should match pattern '^(?:[0-9]|10)$'"),
        ({"NumMedia": "²"}, "NumMedia: String should match pattern '^(?:[0-9]|10)$'"),
        ({"NumMedia": "11"}, "NumMedia: String should match pattern '^(?:[0-9]|10)$'"),
        ({"Latitude": "1e999", "Longitude": "0"}, "Latitude: Input should be a finite number"),
        ({"Latitude": "nan", "Longitude": "0"}, "Latitude: Input should be a finite number"),
        ({"Latitude": "90.5", "Longitude": "0"}, "Latitude: Input should be less than or equal to 90"),
        ({"MessageSid": "S" * 129}, "MessageSid: String should have at most 128 characters"),
        ({"ProfileName": "N" * 201}, "ProfileName: String should have at most 200 characters"),
        ({"From": "+1"}, "From is not a phone number: '+1'"),
    ],
)
async def test_twilio_message_refused_with_its_reason(
    platform: Platform, channel: str, fields: dict[str, str], reason: str
) -> None:
    before = await platform.count_all()
    response = await _post_form(platform, f"/webhooks/twilio/{channel}", _form(platform, channel, **fields))
    assert response.status == 400
    assert await response.json() == {"error": f"malformed message: {reason}"}
    assert await platform.count_all() == before


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        (
            {"MessageStatus": "exploded"},
            "MessageStatus: Input should be 'accepted', 'scheduled', 'canceled', 'queued', 'sending', 'sent',"
            " 'failed', 'delivered', 'undelivered', 'receiving', 'received', 'read' or 'partially_delivered'",
        ),
        ({"ErrorCode": "3000x"}, "ErrorCode: String should match pattern '^[0-9]{1,20}$'"),
        ({"ErrorCode": "²"}, "ErrorCode: String should match pattern '^[0-9]{1,20}$'"),
        ({"MessageSid": "S" * 65}, "MessageSid: String should have at most 64 characters"),
        ({"MessageSid": "SM\x00"}, "MessageSid: contains a NUL character"),
    ],
)
async def test_twilio_status_refused_with_its_reason(
    platform: Platform, fields: dict[str, str], reason: str
) -> None:
    await platform.text("sms", "hi")
    before = await platform.count_all()
    [row] = await platform.rows(OutboxMessage)
    form = {"MessageSid": row.provider_message_id, "MessageStatus": "failed", "ErrorCode": "30006"} | fields
    pairs = [(k.encode(), v.encode()) for k, v in form.items()]
    response = await _post_form(platform, "/webhooks/twilio/status", pairs)
    assert response.status == 400
    assert await response.json() == {"error": f"malformed status: {reason}"}
    assert await platform.count_all() == before
    [after] = await platform.rows(OutboxMessage)
    assert (after.status, after.error_code) == ("sent", None)


@pytest.mark.parametrize("path", ["/webhooks/twilio/sms", "/webhooks/twilio/status"])
@pytest.mark.parametrize(
    ("body_bytes", "charset", "reason"),
    [
        (b"\xff\xfe", "", "the form is not valid UTF-8"),
        (b"\xed\xa0\x80", "", "the form is not valid UTF-8"),
        (b"hi", "; charset=x-bogus", "unsupported charset 'x-bogus': Twilio sends UTF-8"),
    ],
)
async def test_bad_bytes_or_charset_are_403_unsigned_and_400_signed(
    platform: Platform, path: str, body_bytes: bytes, charset: str, reason: str
) -> None:
    pairs = _form(platform, "sms")
    pairs = [(k, body_bytes if k == b"Body" else v) for k, v in pairs]
    before = await platform.count_all()
    unsigned = await _post_form(platform, path, pairs, signed=False, charset=charset)
    assert unsigned.status == 403
    signed = await _post_form(platform, path, pairs, charset=charset)
    assert signed.status == 400
    assert (await signed.json())["error"].endswith(reason)
    assert await platform.count_all() == before


async def test_a_field_given_twice_is_refused(platform: Platform) -> None:
    pairs = [*_form(platform, "sms"), (b"Body", b"again")]
    response = await _post_form(platform, "/webhooks/twilio/sms", pairs)
    assert response.status == 400
    assert await response.json() == {"error": "malformed message: 'Body' is given more than once"}
