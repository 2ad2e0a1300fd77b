"""Hypothesis strategies for webhook bodies: genuine payloads bent towards each known failure class."""

from __future__ import annotations

import base64
import copy
import hashlib
import hmac
import json
from typing import Any
from urllib.parse import quote_from_bytes

from hypothesis import strategies as st

from tests.support import CHAT_ID, PHONE, SMS_FROM, WHATSAPP_FROM

# A marker json.dumps writes as a string and the strategy then swaps for a raw JSON token.
_RAW = "\x01raw:"

NUL = "Am\x00ira"
LONE_SURROGATE = "Am\ud800ira"
FORM_JUNK: list[bytes] = [
    b"",
    b"\x00",
    b"Am\x00ira",
    b"\xff\xfe",
    b"\xed\xa0\x80",  # a UTF-16 surrogate encoded as UTF-8: not valid UTF-8
    b"\xc3",
    "²".encode(),
    b"1e999",
    b"-1e999",
    b"nan",
    b"inf",
    b"-1",
    b"3000000",
    b"11",
    b"10",
    b"0",
    b"91",
    b"-180.5",
    b"abc",
    b"whatsapp:",
    b"+" + b"9" * 40,
    b"S" * 129,
    b"S" * 128,
    b"N" * 201,
    b"N" * 5000,
    "\U0001f3e0".encode() * 300,
]
JSON_JUNK: list[Any] = [
    None,
    True,
    False,
    0,
    -1,
    1.5,
    10**30,
    -(10**30),
    2**63,
    f"{_RAW}1e999",
    f"{_RAW}NaN",
    f"{_RAW}-Infinity",
    f"{_RAW}" + "9" * 5000,
    "",
    NUL,
    LONE_SURROGATE,
    "²",
    "x" * 201,
    "x" * 5000,
    [],
    ["Amira"],
    {},
    {"id": "1"},
    f"{_RAW}" + "[" * 50 + "]" * 50,
]
TELEGRAM_PATHS = [
    ("update_id",),
    ("message",),
    ("message", "message_id"),
    ("message", "date"),
    ("message", "chat"),
    ("message", "chat", "id"),
    ("message", "chat", "type"),
    ("message", "from"),
    ("message", "from", "id"),
    ("message", "from", "first_name"),
    ("message", "from", "language_code"),
    ("message", "text"),
    ("message", "caption"),
    ("message", "photo"),
    ("message", "location", "latitude"),
    ("message", "location", "longitude"),
    ("message", "contact", "phone_number"),
    ("message", "contact", "user_id"),
    ("message", "reply_to_message", "date"),
    ("callback_query",),
    ("callback_query", "id"),
    ("callback_query", "from"),
    ("callback_query", "from", "id"),
    ("callback_query", "from", "first_name"),
    ("callback_query", "message"),
    ("callback_query", "message", "chat"),
    ("callback_query", "message", "chat", "id"),
    ("callback_query", "message", "date"),
    ("callback_query", "data"),
]
TWILIO_FIELDS = [
    b"MessageSid",
    b"SmsMessageSid",
    b"From",
    b"To",
    b"Body",
    b"NumMedia",
    b"MediaUrl0",
    b"MediaContentType0",
    b"Latitude",
    b"Longitude",
    b"ProfileName",
    b"ButtonPayload",
    b"ListId",
    b"WaId",
]
STATUS_FIELDS = [b"MessageSid", b"MessageStatus", b"ErrorCode", b"SmsStatus", b"From", b"To"]
# How many parts of a genuine payload to break: mostly one to three, now and then none.
MUTATIONS = st.sampled_from([1, 1, 1, 2, 2, 3, 0])
STATUSES = ["queued", "sending", "sent", "delivered", "read", "undelivered", "failed", "accepted", "canceled"]


def _user(user_id: int, name: str = "Amira") -> dict[str, Any]:
    return {"id": user_id, "is_bot": False, "first_name": name, "language_code": "en"}


def _chat(chat_id: int, kind: str = "private") -> dict[str, Any]:
    return {"id": chat_id, "first_name": "Amira", "type": kind}


def _message(chat_id: int, **content: Any) -> dict[str, Any]:
    return {"message_id": 7, "from": _user(chat_id), "chat": _chat(chat_id), "date": 1795168830, **content}


_PHOTO = [{"file_id": "AgAC", "file_unique_id": "AQAD", "width": 90, "height": 90, "file_size": 1200}]
_TELEGRAM_CONTENT: list[dict[str, Any]] = [
    {"text": "Leeds"},
    {"text": "/start"},
    {"photo": _PHOTO},
    {"photo": _PHOTO, "caption": "my kitchen"},
    {"voice": {"file_id": "AwAC", "file_unique_id": "AgAD", "duration": 3, "mime_type": "audio/ogg"}},
    {"location": {"latitude": 53.8008, "longitude": -1.5491}},
    {"contact": {"phone_number": "447700900123", "first_name": "Amira", "user_id": CHAT_ID}},
    {"contact": {"phone_number": "447700900999", "first_name": "Tom"}},
    {
        "sticker": {
            "file_id": "CAAC",
            "file_unique_id": "AgAD",
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
        }
    },
    {"document": {"file_id": "BQAC", "file_unique_id": "AgAD", "file_name": "plan.pdf"}},
    {"video": {"file_id": "BAAC", "file_unique_id": "AgAD", "width": 1, "height": 1, "duration": 1}},
]


@st.composite
def telegram_update(draw: st.DrawFn) -> dict[str, Any]:
    """A genuine update of a kind Telegram sends a bot: messages of each kind, taps, edits, groups."""
    update_id = draw(st.integers(1, 2**31 - 1))
    chat_id = draw(st.sampled_from([CHAT_ID, 600700800, 42]))
    kind = draw(st.sampled_from(["message", "message", "message", "callback", "edited", "group", "channel"]))
    content = draw(st.sampled_from(_TELEGRAM_CONTENT))
    if kind == "callback":
        tapped = {"id": "2367", "from": _user(chat_id), "chat_instance": "-40", "data": "cabc"}
        tapped["message"] = _message(chat_id, text="What would you like to do?")
        return {"update_id": update_id, "callback_query": tapped}
    if kind == "group":
        return {
            "update_id": update_id,
            "message": _message(chat_id, **content) | {"chat": _chat(-100, "group")},
        }
    if kind == "channel":
        return {
            "update_id": update_id,
            "channel_post": _message(chat_id, **content) | {"chat": _chat(-9, "channel")},
        }
    key = "edited_message" if kind == "edited" else "message"
    message = _message(chat_id, **content)
    if draw(st.booleans()):
        message["reply_to_message"] = _message(chat_id, text="What's your name?")
    return {"update_id": update_id, key: message}


def _set(document: dict[str, Any], path: tuple[str, ...], value: Any, delete: bool) -> None:
    """Set (or delete) `path` in a nested update, creating the parents it needs."""
    node: Any = document
    for key in path[:-1]:
        if not isinstance(node.get(key), dict):
            node[key] = {}
        node = node[key]
    if delete:
        node.pop(path[-1], None)
    else:
        node[path[-1]] = copy.deepcopy(value)


def _dump(value: Any) -> bytes:
    """JSON as a careless client writes it: NaN allowed, raw tokens spliced in, surrogates escaped."""
    text = json.dumps(value, allow_nan=True)
    while f'"{_RAW}' in text:
        start = text.index(f'"{_RAW}')
        end = text.index('"', start + 1)
        text = text[:start] + json.loads(text[start : end + 1])[len(_RAW) :] + text[end + 1 :]
    return text.encode("utf-8")


@st.composite
def telegram_body(draw: st.DrawFn) -> tuple[bytes, str]:
    """A Telegram webhook body and its Content-Type: mostly genuine updates with a few parts broken."""
    shape = draw(st.integers(0, 19))
    charsets = ["", "", "", "", "", "; charset=utf-8", "; charset=x-bogus"]
    content_type = "application/json" + draw(st.sampled_from(charsets))
    if shape == 19:
        depth = draw(st.sampled_from([1_500, 20_000]))
        return (b"[" * depth + b"]" * depth, content_type)
    if shape == 18:
        junk = [b"{not json", b"[1, 2]", b"null", b"\xff\xfe{}", b'"x"', b""]
        return (draw(st.sampled_from(junk)), content_type)
    update = draw(telegram_update())
    for _ in range(draw(MUTATIONS)):
        path = draw(st.sampled_from(TELEGRAM_PATHS))
        delete = draw(st.integers(0, 3)) == 0
        _set(update, path, draw(st.sampled_from(JSON_JUNK)), delete)
    return (_dump(update), content_type)


@st.composite
def twilio_message_form(draw: st.DrawFn, channel: str) -> list[tuple[bytes, bytes]]:
    """Twilio's inbound SMS or WhatsApp form, some fields broken, dropped, repeated or added."""
    prefix = b"whatsapp:" if channel == "whatsapp" else b""
    sid = b"SM%032x" % draw(st.integers(0, 2**64))
    form = {
        b"MessageSid": sid,
        b"SmsMessageSid": sid,
        b"AccountSid": b"AC" + b"0" * 32,
        b"From": prefix + draw(st.sampled_from([PHONE, "+447700900124", "+966501234567"])).encode(),
        b"To": prefix + (WHATSAPP_FROM if prefix else SMS_FROM).encode(),
        b"Body": draw(st.sampled_from([b"hi", b"Leeds", b"", b"1", "مرحبا".encode()])),
        b"NumMedia": b"0",
        b"ApiVersion": b"2010-04-01",
    }
    extra = draw(st.integers(0, 4))
    if extra == 1:
        form |= {
            b"NumMedia": b"1",
            b"MediaUrl0": b"https://api.twilio.com/media/ME1",
            b"MediaContentType0": draw(
                st.sampled_from(
                    [b"image/jpeg", b"audio/ogg", b"video/mp4", b"application/pdf", b"text/vcard"]
                )
            ),
        }
    elif extra == 2:
        form |= {b"Latitude": b"53.8008", b"Longitude": b"-1.5491"}
    elif extra == 3 and channel == "whatsapp":
        form |= {b"ButtonPayload": b"cabc", b"ButtonText": b"Find a home", b"ProfileName": b"Amira"}
    pairs = list(form.items())
    for _ in range(draw(MUTATIONS)):
        pairs = _mutate_form(draw, pairs, TWILIO_FIELDS)
    return pairs


@st.composite
def twilio_status_form(draw: st.DrawFn, known_sids: list[str]) -> list[tuple[bytes, bytes]]:
    """Twilio's status callback, for messages we sent and messages we never did, some fields broken."""
    sid = draw(st.sampled_from([*known_sids, "SM" + "f" * 32])).encode()
    status = draw(st.sampled_from(STATUSES)).encode()
    pairs = [
        (b"MessageSid", sid),
        (b"SmsSid", sid),
        (b"MessageStatus", status),
        (b"SmsStatus", status),
        (b"AccountSid", b"AC" + b"0" * 32),
        (b"ApiVersion", b"2010-04-01"),
    ]
    if draw(st.booleans()):
        pairs.append((b"ErrorCode", draw(st.sampled_from([b"30006", b"21610", b"30003", b""]))))
    for _ in range(draw(MUTATIONS)):
        pairs = _mutate_form(draw, pairs, STATUS_FIELDS)
    return pairs


def _mutate_form(
    draw: st.DrawFn, pairs: list[tuple[bytes, bytes]], fields: list[bytes]
) -> list[tuple[bytes, bytes]]:
    """Break one field: a junk value, dropped, repeated, or a junk name."""
    field = draw(st.sampled_from(fields))
    how = draw(st.integers(0, 5))
    if how == 0:
        return [(k, v) for k, v in pairs if k != field]
    if how == 1:
        return [*pairs, (field, draw(st.sampled_from(FORM_JUNK)))]
    if how == 2:
        return [*pairs, (draw(st.sampled_from(FORM_JUNK)), b"1")]
    value = draw(st.sampled_from(FORM_JUNK))
    return [(k, v) for k, v in pairs if k != field] + [(field, value)]


def form_bytes(pairs: list[tuple[bytes, bytes]]) -> bytes:
    """URL-encode byte pairs exactly, whatever bytes they hold."""
    return b"&".join(quote_from_bytes(k).encode() + b"=" + quote_from_bytes(v).encode() for k, v in pairs)


def sign_bytes(auth_token: str, url: str, pairs: list[tuple[bytes, bytes]]) -> str:
    """X-Twilio-Signature over raw form bytes, the way Twilio signs UTF-8 forms (sorted names, values)."""
    values: dict[bytes, set[bytes]] = {}
    for key, value in pairs:
        values.setdefault(key, set()).add(value)
    payload = url.encode() + b"".join(k + v for k in sorted(values) for v in sorted(values[k]))
    digest = hmac.new(auth_token.encode(), payload, hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


# Mostly what Twilio sends; now and then a charset nobody knows.
FORM_CONTENT_TYPES = ["application/x-www-form-urlencoded"] * 5 + [
    "application/x-www-form-urlencoded; charset=UTF-8",
    "application/x-www-form-urlencoded; charset=x-bogus",
]
