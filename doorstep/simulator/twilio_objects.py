"""Request parsing, validation and the Twilio REST resources (plain dicts) the Twilio emulator returns."""

from __future__ import annotations

import base64
import binascii
import json
import re
import secrets
from datetime import datetime
from email.utils import format_datetime
from http import HTTPStatus
from typing import Any, NamedTuple

from aiohttp import web

API_VERSION = "2010-04-01"
CONTENT_BASE_URL = "https://content.twilio.com"
MAX_BODY_LENGTH = 1600
MAX_QUICK_REPLY_ACTIONS = 3
MAX_QUICK_REPLY_TITLE = 20
MAX_LIST_ITEMS = 10
LIST_FIELDS = frozenset({"MediaUrl", "PersistentAction"})
WHATSAPP_PREFIX = "whatsapp:"
CONTENT_TYPES = frozenset(
    "twilio/text twilio/media twilio/location twilio/list-picker twilio/call-to-action twilio/quick-reply "
    "twilio/card twilio/catalog twilio/carousel twilio/flows twilio/schedule whatsapp/card "
    "whatsapp/authentication whatsapp/flows".split()
)

_VARIABLE = re.compile(r"\{\{\s*\d+\s*\}\}")
_ADDRESS = re.compile(r"\+?[0-9]{3,15}")
_ADDRESS_NOISE = re.compile(r"[\s().-]")
_GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿"
    "abcdefghijklmnopqrstuvwxyzäöñüà"
)
_GSM7_EXTENDED = frozenset("^{}\\[~]|€\f")


class Preset(NamedTuple):
    """HTTP status and message Twilio answers with for an error code."""

    status: int
    message: str


PRESETS: dict[int, Preset] = {
    20003: Preset(401, "Authenticate"),
    20404: Preset(404, "The requested resource was not found"),
    20429: Preset(429, "Too Many Requests"),
    20500: Preset(500, "Internal Server Error"),
    20503: Preset(503, "Service Unavailable"),
    21211: Preset(400, "Invalid 'To' Phone Number"),
    21603: Preset(400, "A 'From' phone number is required."),
    21604: Preset(400, "A 'To' phone number is required."),
    21610: Preset(400, "Attempt to send to unsubscribed recipient"),
    21614: Preset(400, "'To' number is not a valid mobile number"),
    21617: Preset(400, "The concatenated message body exceeds the 1600 character limit."),
    21619: Preset(400, "A text message body or media urls must be specified."),
    21656: Preset(400, "The ContentVariables Parameter is invalid."),
    21910: Preset(400, "Invalid From and To pair. From and To should be of the same channel"),
    63016: Preset(
        400,
        "Failed to send freeform message because you are outside the allowed window. "
        "If you are using WhatsApp, please use a Message Template.",
    ),
}
STATUS_CODES = {401: 20003, 404: 20404, 429: 20429, 500: 20500, 503: 20503}
# The emulator's choice for Content API validation errors (Twilio's exact codes there are undocumented).
INVALID_CONTENT_CODE = 20001


class TwilioError(Exception):
    """A Twilio-style REST error: HTTP status, Twilio error code and message."""

    def __init__(self, code: int, message: str | None = None, status: int | None = None) -> None:
        preset = PRESETS.get(code)
        self.code = code
        self.status = int(status or (preset.status if preset else HTTPStatus.BAD_REQUEST))
        self.message = message or (preset.message if preset else _phrase(self.status))
        super().__init__(f"{self.code}: {self.message}")

    @classmethod
    def resolve(cls, status: int | None, code: int | None, message: str | None) -> TwilioError:
        """Fill in whatever of status, code and message is missing from the presets (default: 500)."""
        if code is None:
            status = status or HTTPStatus.INTERNAL_SERVER_ERROR
            code = STATUS_CODES.get(status, status)
        return cls(code, message, status)

    def payload(self) -> dict[str, Any]:
        """Return the JSON body Twilio sends for this error."""
        return {
            "code": self.code,
            "message": self.message,
            "more_info": f"https://www.twilio.com/docs/errors/{self.code}",
            "status": self.status,
        }


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def new_sid(prefix: str) -> str:
    """Return a Twilio SID: two-letter prefix and 32 lowercase hex digits."""
    return prefix + secrets.token_hex(16)


def rfc2822(moment: datetime) -> str:
    """Format a datetime the way the 2010-04-01 API does, e.g. 'Thu, 20 Nov 2026 10:00:00 +0000'."""
    return format_datetime(moment)


def iso8601(moment: datetime) -> str:
    """Format a datetime the way the Content API does, e.g. '2026-11-20T10:00:00Z'."""
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def num_segments(body: str) -> int:
    """Count SMS segments: GSM-7 at 160/153 characters, otherwise UCS-2 at 70/67 UTF-16 units."""
    if all(char in _GSM7_BASIC or char in _GSM7_EXTENDED for char in body):
        length, single, multi = len(body) + sum(char in _GSM7_EXTENDED for char in body), 160, 153
    else:
        length, single, multi = len(body.encode("utf-16-le")) // 2, 70, 67
    return 1 if length <= single else -(-length // multi)


async def read_params(request: web.Request) -> dict[str, Any]:
    """Decode a form body (lists for repeated keys, ContentVariables as JSON) or a JSON object body."""
    if request.content_type == "application/json":
        try:
            body = await request.json() if request.can_read_body else {}
        except ValueError:
            raise TwilioError(400, "Invalid JSON in request body") from None
        if not isinstance(body, dict):
            raise TwilioError(400, "Request body must be a JSON object")
        return body
    form = await request.post() if request.can_read_body else request.query
    params: dict[str, Any] = {}
    for key in dict.fromkeys(form):
        values = [str(value) for value in form.getall(key)]
        params[key] = values if key in LIST_FIELDS or len(values) > 1 else values[0]
    if isinstance(params.get("ContentVariables"), str):
        try:
            params["ContentVariables"] = json.loads(params["ContentVariables"])
        except ValueError:
            pass
    return params


def basic_credentials(header: str) -> tuple[str, str] | None:
    """Decode an HTTP Basic Authorization header into (username, password); None when it is not one."""
    scheme, _, encoded = header.partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        decoded = base64.b64decode(encoded.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None
    username, colon, password = decoded.partition(":")
    return (username, password) if colon else None


def _address(value: str) -> tuple[bool, str]:
    """Split a Twilio address into (is WhatsApp, bare number)."""
    if value.lower().startswith(WHATSAPP_PREFIX):
        return True, value[len(WHATSAPP_PREFIX) :]
    return False, value


def check_message(params: dict[str, Any]) -> None:
    """Raise the TwilioError that Twilio answers an invalid Messages.json POST with."""
    to, sender = params.get("To"), params.get("From")
    if not to:
        raise TwilioError(21604)
    if not sender and not params.get("MessagingServiceSid"):
        raise TwilioError(21603)
    to_whatsapp, number = _address(str(to))
    if not _ADDRESS.fullmatch(_ADDRESS_NOISE.sub("", number)):
        raise TwilioError(21211)
    if sender and _address(str(sender))[0] != to_whatsapp:
        raise TwilioError(21910)
    if not params.get("Body") and not params.get("MediaUrl") and not params.get("ContentSid"):
        raise TwilioError(21619)
    if len(str(params.get("Body") or "")) > MAX_BODY_LENGTH:
        raise TwilioError(21617)
    variables = params.get("ContentVariables")
    if variables is not None and not isinstance(variables, dict):
        raise TwilioError(21656)


def message_resource(account_sid: str, sid: str, params: dict[str, Any], now: datetime) -> dict[str, Any]:
    """Return the Message resource Twilio answers a successful Messages.json POST with."""
    uri = f"/{API_VERSION}/Accounts/{account_sid}/Messages/{sid}"
    body = str(params.get("Body") or "")
    whatsapp = _address(str(params["To"]))[0]
    sender = params.get("From")
    return {
        "account_sid": account_sid,
        "api_version": API_VERSION,
        "body": body,
        "date_created": rfc2822(now),
        "date_sent": None,
        "date_updated": rfc2822(now),
        "direction": "outbound-api",
        "error_code": None,
        "error_message": None,
        "from": sender,
        "messaging_service_sid": params.get("MessagingServiceSid"),
        "num_media": str(len(params.get("MediaUrl") or [])),
        "num_segments": "1" if whatsapp else str(num_segments(body)),
        "price": None,
        "price_unit": "USD",
        "sid": sid,
        "status": "queued" if sender else "accepted",
        "subresource_uris": {"media": f"{uri}/Media.json", "feedback": f"{uri}/Feedback.json"},
        "to": params["To"],
        "uri": f"{uri}.json",
    }


def message_page(account_sid: str, uri: str, messages: list[dict[str, Any]], size: int) -> dict[str, Any]:
    """One page of a Messages.json list, shaped as Twilio's 2010 API pages it (no next page)."""
    return {
        "messages": messages,
        "uri": uri,
        "first_page_uri": uri,
        "next_page_uri": None,
        "previous_page_uri": None,
        "page": 0,
        "page_size": size,
        "start": 0,
        "end": max(0, len(messages) - 1),
    }


def _invalid(message: str) -> TwilioError:
    return TwilioError(INVALID_CONTENT_CODE, f"Invalid Parameter: {message}", 400)


def _require_text(block: dict[str, Any], field: str, where: str) -> str:
    value = block.get(field)
    if not isinstance(value, str) or not value.strip():
        raise _invalid(f"{where}.{field} is required")
    return value


def _check_quick_reply(block: dict[str, Any], where: str) -> None:
    _require_text(block, "body", where)
    actions = block.get("actions")
    if not isinstance(actions, list) or not 1 <= len(actions) <= MAX_QUICK_REPLY_ACTIONS:
        raise _invalid(f"{where}.actions must hold 1 to {MAX_QUICK_REPLY_ACTIONS} actions")
    for index, action in enumerate(actions):
        at = f"{where}.actions[{index}]"
        if not isinstance(action, dict):
            raise _invalid(f"{at} must be an object")
        title = _require_text(action, "title", at)
        _require_text(action, "id", at)
        if len(title) > MAX_QUICK_REPLY_TITLE and not _VARIABLE.fullmatch(title.strip()):
            raise _invalid(f"{at}.title must be at most {MAX_QUICK_REPLY_TITLE} characters")


def _check_list_picker(block: dict[str, Any], where: str) -> None:
    _require_text(block, "body", where)
    _require_text(block, "button", where)
    items = block.get("items")
    if not isinstance(items, list) or not 1 <= len(items) <= MAX_LIST_ITEMS:
        raise _invalid(f"{where}.items must hold 1 to {MAX_LIST_ITEMS} items")
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            raise _invalid(f"{where}.items[{index}] must be an object")
        _require_text(item, "item", f"{where}.items[{index}]")
        _require_text(item, "id", f"{where}.items[{index}]")


_TYPE_CHECKS = {
    "twilio/quick-reply": _check_quick_reply,
    "twilio/list-picker": _check_list_picker,
    "twilio/text": lambda block, where: _require_text(block, "body", where),
}


def check_content(params: dict[str, Any]) -> None:
    """Raise a 400 TwilioError when a Content API create body is not one Twilio would accept."""
    if not isinstance(params.get("language"), str) or not params["language"]:
        raise _invalid("language is required")
    variables = params.get("variables", {})
    if not isinstance(variables, dict) or not all(isinstance(value, str) for value in variables.values()):
        raise _invalid("variables must be an object of strings")
    types = params.get("types")
    if not isinstance(types, dict) or not types:
        raise _invalid("types must hold at least one content type")
    for name, block in types.items():
        if name not in CONTENT_TYPES:
            raise _invalid(f"types.{name} is not a known content type")
        if not isinstance(block, dict):
            raise _invalid(f"types.{name} must be an object")
        check = _TYPE_CHECKS.get(name)
        if check is not None:
            check(block, f"types.{name}")


def content_resource(account_sid: str, sid: str, params: dict[str, Any], now: datetime) -> dict[str, Any]:
    """Return the Content resource the Content API answers a successful create with."""
    url = f"{CONTENT_BASE_URL}/v1/Content/{sid}"
    return {
        "account_sid": account_sid,
        "date_created": iso8601(now),
        "date_updated": iso8601(now),
        "friendly_name": params.get("friendly_name"),
        "language": params["language"],
        "links": {
            "approval_create": f"{url}/ApprovalRequests/whatsapp",
            "approval_fetch": f"{url}/ApprovalRequests",
        },
        "sid": sid,
        "types": params["types"],
        "url": url,
        "variables": params.get("variables") or {},
    }


def content_page(contents: list[dict[str, Any]], query: Any) -> dict[str, Any]:
    """Return one page of the Content list in the {"contents": [...], "meta": {...}} shape."""
    try:
        size = max(1, min(int(query.get("PageSize", 50)), 1000))
        page = max(0, int(query.get("Page", 0)))
    except ValueError:
        raise TwilioError(400, "Invalid paging parameters") from None
    start = page * size

    def page_url(number: int) -> str:
        return f"{CONTENT_BASE_URL}/v1/Content?PageSize={size}&Page={number}"

    has_next = start + size < len(contents)
    return {
        "contents": contents[start : start + size],
        "meta": {
            "page": page,
            "page_size": size,
            "first_page_url": page_url(0),
            "previous_page_url": page_url(page - 1) if page > 0 else None,
            "url": page_url(page),
            "next_page_url": page_url(page + 1) if has_next else None,
            "key": "contents",
        },
    }
