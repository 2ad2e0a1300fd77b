"""Request parsing, validation and the Telegram Bot API objects (plain dicts) the emulator returns."""

from __future__ import annotations

import json
from http import HTTPStatus
from typing import Any

from aiohttp import BodyPartReader, web

BOT_FIRST_NAME = "Doorstep"
BOT_USERNAME = "doorstep_bot"
MAX_TEXT_LENGTH = 4096
MAX_CAPTION_LENGTH = 1024
MAX_CALLBACK_DATA_BYTES = 64
MAX_KEPT_TEXT_BYTES = 1024 * 1024

# Free-text fields are never JSON-decoded, even when their value happens to look like JSON.
TEXT_FIELDS = frozenset({"text", "caption", "title", "description", "first_name", "last_name", "address"})
# Identifier fields sent by PTB as digit strings are turned into ints so recorded params are uniform.
INT_FIELDS = frozenset({"chat_id", "from_chat_id", "message_id", "user_id"})

DEFAULT_DESCRIPTIONS = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden: bot was blocked by the user",
    404: "Not Found",
    500: "Internal Server Error",
    502: "Bad Gateway",
}


class ApiError(Exception):
    """A Telegram-style error answer: HTTP status, description and optional retry_after."""

    def __init__(self, status: int, description: str | None = None, retry_after: int | None = None):
        if status == HTTPStatus.TOO_MANY_REQUESTS and retry_after is None:
            retry_after = 1
        if description is None:
            description = default_description(status, retry_after)
        super().__init__(description)
        self.status = status
        self.description = description
        self.retry_after = retry_after

    def payload(self) -> dict[str, Any]:
        """Return the JSON body Telegram would send for this error."""
        body: dict[str, Any] = {"ok": False, "error_code": self.status, "description": self.description}
        if self.retry_after is not None:
            body["parameters"] = {"retry_after": self.retry_after}
        return body


def default_description(status: int, retry_after: int | None = None) -> str:
    """Return Telegram's usual description for an HTTP status."""
    if status == HTTPStatus.TOO_MANY_REQUESTS:
        return f"Too Many Requests: retry after {retry_after if retry_after is not None else 1}"
    if status in DEFAULT_DESCRIPTIONS:
        return DEFAULT_DESCRIPTIONS[status]
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def normalize_value(key: str, value: Any) -> Any:
    """Decode a JSON object/array string and turn digit-only identifier fields into ints."""
    if not isinstance(value, str):
        return value
    if key in INT_FIELDS:
        digits = value[1:] if value.startswith("-") else value
        return int(value) if digits.isdigit() else value
    if key not in TEXT_FIELDS and value[:1] in ("{", "["):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def bot_user(bot_id: int) -> dict[str, Any]:
    """Return the bot's own User object as getMe answers it."""
    return {
        "id": bot_id,
        "is_bot": True,
        "first_name": BOT_FIRST_NAME,
        "username": BOT_USERNAME,
        "can_join_groups": True,
        "can_read_all_group_messages": False,
        "supports_inline_queries": False,
        "can_connect_to_business": False,
        "has_main_web_app": False,
    }


def private_chat(chat_id: int | str) -> dict[str, Any]:
    """Return a Chat object for a private chat."""
    return {"id": chat_id, "type": "private"}


def webhook_info(url: str | None) -> dict[str, Any]:
    """Return a WebhookInfo object for the given webhook url (empty when none is set)."""
    return {"url": url or "", "has_custom_certificate": False, "pending_update_count": 0}


def photo_sizes(file_id: str, file_unique_id: str) -> list[dict[str, Any]]:
    """Return the PhotoSize list Telegram attaches to a sent photo (thumbnail and full size)."""
    return [
        {"file_id": f"{file_id}-s", "file_unique_id": f"{file_unique_id}s", "width": 90, "height": 67},
        {"file_id": file_id, "file_unique_id": file_unique_id, "width": 1280, "height": 960},
    ]


def document(file_id: str, file_unique_id: str, sent: Any) -> dict[str, Any]:
    """Return a Document object for a sent document (upload metadata, URL or file id)."""
    doc: dict[str, Any] = {"file_id": file_id, "file_unique_id": file_unique_id}
    if isinstance(sent, dict):
        doc.update(file_name=sent.get("file_name"), mime_type=sent.get("content_type"))
        doc["file_size"] = sent.get("size")
    elif isinstance(sent, str) and "/" in sent:
        doc["file_name"] = sent.rstrip("/").rsplit("/", 1)[-1]
    return {key: value for key, value in doc.items() if value is not None}


def location(params: dict[str, Any]) -> dict[str, Any]:
    """Return a Location object from sendLocation parameters."""
    return {"latitude": float(params["latitude"]), "longitude": float(params["longitude"])}


def contact(params: dict[str, Any]) -> dict[str, Any]:
    """Return a Contact object from sendContact parameters."""
    fields = ("phone_number", "first_name", "last_name", "vcard")
    return {key: str(params[key]) for key in fields if params.get(key) is not None}


def inline_keyboard(reply_markup: Any) -> dict[str, Any] | None:
    """Return the markup when it is an inline keyboard (the only kind Telegram echoes back)."""
    if isinstance(reply_markup, dict) and isinstance(reply_markup.get("inline_keyboard"), list):
        return reply_markup
    return None


def check_markup(reply_markup: Any) -> None:
    """Raise BUTTON_DATA_INVALID when an inline button's callback_data is not 1-64 bytes."""
    keyboard = inline_keyboard(reply_markup)
    if keyboard is None:
        return
    for row in keyboard["inline_keyboard"]:
        for button in row if isinstance(row, list) else []:
            data = button.get("callback_data") if isinstance(button, dict) else None
            if data is not None and not 1 <= len(str(data).encode("utf-8")) <= MAX_CALLBACK_DATA_BYTES:
                raise ApiError(400, "Bad Request: BUTTON_DATA_INVALID")


def check_text(text: Any) -> str:
    """Validate a message text and return it as a string."""
    if text is None or str(text) == "":
        raise ApiError(400, "Bad Request: message text is empty")
    if len(str(text)) > MAX_TEXT_LENGTH:
        raise ApiError(400, "Bad Request: message is too long")
    return str(text)


def check_caption(caption: Any) -> None:
    """Raise when a caption is over Telegram's 1024 character limit."""
    if caption is not None and len(str(caption)) > MAX_CAPTION_LENGTH:
        raise ApiError(400, "Bad Request: message caption is too long")


def require_chat(params: dict[str, Any]) -> int | str:
    """Return the call's chat_id or raise 'chat not found'."""
    chat_id = params.get("chat_id")
    if chat_id is None or chat_id == "" or not isinstance(chat_id, int | str):
        raise ApiError(400, "Bad Request: chat not found")
    return chat_id


async def uploaded_file(part: BodyPartReader) -> dict[str, Any]:
    """What is kept of an uploaded file: name, type and size, and the text itself of a small text file."""
    content_type = part.headers.get("Content-Type", "application/octet-stream")
    keep = content_type.split(";", 1)[0].strip().lower().startswith("text/")
    size, kept = 0, bytearray()
    while chunk := await part.read_chunk():
        size += len(chunk)
        if keep and size <= MAX_KEPT_TEXT_BYTES:
            kept += chunk
    upload: dict[str, Any] = {"file_name": part.filename, "content_type": content_type, "size": size}
    if keep and size <= MAX_KEPT_TEXT_BYTES:
        upload["content"] = kept.decode("utf-8", errors="replace")
    return upload


async def read_params(request: web.Request) -> dict[str, Any]:
    """Collect parameters from the query string and a JSON, urlencoded or multipart body."""
    raw: dict[str, Any] = dict(request.query)
    if request.content_type == "application/json" and request.can_read_body:
        body = await request.json()
        if not isinstance(body, dict):
            raise ApiError(400, "Bad Request: request body must be a JSON object")
        raw.update(body)
    elif request.content_type == "multipart/form-data":
        reader = await request.multipart()
        async for part in reader:
            if not isinstance(part, BodyPartReader) or part.name is None:
                continue
            if part.filename is None:
                raw[part.name] = await part.text()
                continue
            raw[part.name] = await uploaded_file(part)
    elif request.can_read_body:
        form = await request.post()
        raw.update({key: form.getone(key) for key in form})
    return {key: normalize_value(key, value) for key, value in raw.items()}
