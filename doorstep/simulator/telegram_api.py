"""A small aiohttp app that answers like the Telegram Bot API and records every call."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from doorstep.simulator import telegram_objects as tg
from doorstep.simulator.listeners import Listeners
from doorstep.simulator.telegram_files import TelegramFileStore
from doorstep.simulator.telegram_objects import ApiError

Params = dict[str, Any]
Listener = Callable[["ApiCall"], Awaitable[None] | None]
MAX_BODY_BYTES = 60 * 1024 * 1024
_SEND_PREFIXES = ("send", "edit", "forward", "copy")


@dataclass(frozen=True)
class ApiCall:
    """One recorded Bot API call; failed_status is the HTTP error status, None when it succeeded."""

    token: str
    method: str
    params: dict[str, Any]
    at: float
    failed_status: int | None = None


@dataclass
class _Failure:
    status: int
    description: str | None
    retry_after: int | None
    method: str | None
    chat_id: int | str | None

    def matches(self, method: str, params: Params) -> bool:
        if self.method is not None and self.method.lower() != method.lower():
            return False
        return self.chat_id is None or params.get("chat_id") == self.chat_id


class TelegramApiEmulator:
    """Fake Telegram Bot API: answers like Telegram, records calls and injects failures."""

    def __init__(self, tokens: Iterable[str]) -> None:
        self._bots: dict[str, int] = {}
        for token in tokens:
            bot_id = token.split(":", 1)[0]
            if not bot_id.isdigit():
                raise ValueError(f"bot token must start with the numeric bot id: {token!r}")
            self._bots[token] = int(bot_id)
        self.calls: list[ApiCall] = []
        self._failures: list[_Failure] = []
        self._blocked: set[int | str] = set()
        self._listeners: Listeners[ApiCall] = Listeners()
        self._messages: dict[tuple[str, int | str], dict[int, dict[str, Any]]] = {}
        self._webhooks: dict[str, str | None] = {}
        self._file_seq = 0
        self.files = TelegramFileStore(self._bots)
        self._handlers: dict[str, Callable[[str, Params], Any]] = {
            "getme": lambda token, _params: tg.bot_user(self._bots[token]),
            "sendmessage": self._send_message,
            "sendphoto": self._send_photo,
            "senddocument": self._send_document,
            "sendlocation": self._send_location,
            "sendcontact": self._send_contact,
            "editmessagetext": self._edit_text,
            "editmessagecaption": self._edit_caption,
            "editmessagereplymarkup": self._edit_markup,
            "answercallbackquery": lambda _token, _params: True,
            "sendchataction": self._chat_action,
            "setmycommands": lambda _token, _params: True,
            "deletemessage": self._delete_message,
            "setwebhook": self._set_webhook,
            "deletewebhook": self._delete_webhook,
            "getwebhookinfo": lambda token, _params: tg.webhook_info(self._webhooks.get(token)),
            "getfile": self.files.get_file,
        }

    def make_app(self) -> web.Application:
        """Build the aiohttp application serving /bot{token}/{method}."""
        app = web.Application(client_max_size=MAX_BODY_BYTES)
        app.router.add_get("/bot{token}/{method}", self._handle)
        app.router.add_post("/bot{token}/{method}", self._handle)
        app.router.add_get("/sent", self._list_sent)
        self.files.add_routes(app)
        app.router.add_route("*", "/{tail:.*}", self._not_found)
        return app

    # ----- test and demo controls -------------------------------------------------------------------

    def fail_next(
        self,
        times: int = 1,
        *,
        status: int = 500,
        description: str | None = None,
        retry_after: int | None = None,
        method: str | None = None,
        chat_id: int | None = None,
    ) -> None:
        """Queue `times` failures for the next matching calls (by method and chat_id when given)."""
        for _ in range(times):
            self._failures.append(_Failure(status, description, retry_after, method, chat_id))

    def put_file(self, data: bytes, **how: Any) -> str:
        """Keep a file as if a person had sent it to the bot; returns its file_id (see TelegramFileStore)."""
        return self.files.put(data, **how)

    def block(self, chat_id: int) -> None:
        """Answer every send to this chat with 403 'bot was blocked by the user' from now on."""
        self._blocked.add(chat_id)

    def sent(self, method: str | None = None, chat_id: int | None = None) -> list[ApiCall]:
        """Return the successful calls, optionally filtered by method (case-insensitive) and chat_id."""
        return [
            call
            for call in self.calls
            if call.failed_status is None
            and (method is None or call.method.lower() == method.lower())
            and (chat_id is None or call.params.get("chat_id") == chat_id)
        ]

    def clear(self) -> None:
        """Forget recorded calls, queued failures, blocked chats and stored messages."""
        self.calls.clear()
        self._failures.clear()
        self._blocked.clear()
        self._messages.clear()

    def add_listener(self, callback: Listener) -> None:
        """Call `callback` with every successful ApiCall after it is recorded."""
        self._listeners.add(callback)

    # ----- request handling -------------------------------------------------------------------------

    async def _list_sent(self, request: web.Request) -> web.Response:
        """GET /sent[?chat_id=…]: the successful calls as JSON, oldest first: the bot's answers to read."""
        chat = request.query.get("chat_id")
        chat_id = tg.normalize_value("chat_id", chat) if chat is not None else None
        calls = [
            {"method": call.method, "params": call.params, "at": call.at}
            for call in self.sent()
            if chat_id is None or call.params.get("chat_id") == chat_id
        ]
        return web.json_response(calls)

    async def _not_found(self, _request: web.Request) -> web.Response:
        return web.json_response(ApiError(404).payload(), status=404)

    async def _handle(self, request: web.Request) -> web.Response:
        token, method = request.match_info["token"], request.match_info["method"]
        try:
            params = await tg.read_params(request)
        except (ApiError, ValueError) as exc:
            error = exc if isinstance(exc, ApiError) else ApiError(400, "Bad Request: can't parse request")
            return self._error(ApiCall(token, method, {}, time.time(), error.status), error)
        call = ApiCall(token, method, params, time.time())
        try:
            result = self._dispatch(token, method, params)
        except ApiError as error:
            return self._error(ApiCall(token, method, params, call.at, error.status), error)
        self.calls.append(call)
        await self._listeners.notify(call)
        return web.json_response({"ok": True, "result": result})

    def _dispatch(self, token: str, method: str, params: Params) -> Any:
        if token not in self._bots:
            raise ApiError(401)
        handler = self._handlers.get(method.lower())
        if handler is None:
            raise ApiError(404, "Not Found: method not found")
        for index, failure in enumerate(self._failures):
            if failure.matches(method, params):
                del self._failures[index]
                raise ApiError(failure.status, failure.description, failure.retry_after)
        if method.lower().startswith(_SEND_PREFIXES) and params.get("chat_id") in self._blocked:
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        return handler(token, params)

    def _error(self, call: ApiCall, error: ApiError) -> web.Response:
        self.calls.append(call)
        return web.json_response(error.payload(), status=error.status)

    # ----- methods ----------------------------------------------------------------------------------

    def _new_message(self, token: str, params: Params, **content: Any) -> dict[str, Any]:
        chat_id = tg.require_chat(params)
        tg.check_markup(params.get("reply_markup"))
        chat_messages = self._messages.setdefault((token, chat_id), {})
        message_id = max(chat_messages, default=0) + 1
        message: dict[str, Any] = {
            "message_id": message_id,
            "date": int(time.time()),
            "chat": tg.private_chat(chat_id),
            "from": tg.bot_user(self._bots[token]),
            **{key: value for key, value in content.items() if value is not None},
        }
        markup = tg.inline_keyboard(params.get("reply_markup"))
        if markup is not None:
            message["reply_markup"] = markup
        chat_messages[message_id] = message
        return message

    def _new_file_id(self, kind: str) -> tuple[str, str]:
        self._file_seq += 1
        return f"{kind}-{self._file_seq:06d}", f"u{kind}{self._file_seq:06d}"

    def _send_message(self, token: str, params: Params) -> dict[str, Any]:
        tg.require_chat(params)
        return self._new_message(token, params, text=tg.check_text(params.get("text")))

    def _captioned(self, token: str, params: Params, field: str, **content: Any) -> dict[str, Any]:
        tg.require_chat(params)
        if params.get(field) in (None, ""):
            raise ApiError(400, f"Bad Request: there is no {field} in the request")
        tg.check_caption(params.get("caption"))
        return self._new_message(token, params, caption=params.get("caption"), **content)

    def _send_photo(self, token: str, params: Params) -> dict[str, Any]:
        self.files.check_sendable(params.get("photo"))
        return self._captioned(token, params, "photo", photo=tg.photo_sizes(*self._new_file_id("photo")))

    def _send_document(self, token: str, params: Params) -> dict[str, Any]:
        doc = tg.document(*self._new_file_id("doc"), params.get("document"))
        return self._captioned(token, params, "document", document=doc)

    def _send_location(self, token: str, params: Params) -> dict[str, Any]:
        tg.require_chat(params)
        try:
            place = tg.location(params)
        except (KeyError, TypeError, ValueError):
            raise ApiError(400, "Bad Request: wrong latitude or longitude") from None
        return self._new_message(token, params, location=place)

    def _send_contact(self, token: str, params: Params) -> dict[str, Any]:
        tg.require_chat(params)
        if not params.get("phone_number") or not params.get("first_name"):
            raise ApiError(400, "Bad Request: phone number or first name is empty")
        return self._new_message(token, params, contact=tg.contact(params))

    def _chat_action(self, _token: str, params: Params) -> bool:
        tg.require_chat(params)
        return True

    def _edited(self, token: str, params: Params, **changes: Any) -> dict[str, Any] | bool:
        tg.check_markup(params.get("reply_markup"))
        if params.get("inline_message_id"):
            return True
        chat_id = tg.require_chat(params)
        message_id = params.get("message_id")
        if not isinstance(message_id, int):
            raise ApiError(400, "Bad Request: message identifier is not specified")
        chat_messages = self._messages.setdefault((token, chat_id), {})
        message = chat_messages.setdefault(
            message_id,
            {
                "message_id": message_id,
                "date": int(time.time()),
                "chat": tg.private_chat(chat_id),
                "from": tg.bot_user(self._bots[token]),
            },
        )
        message.update({key: value for key, value in changes.items() if value is not None})
        message["edit_date"] = int(time.time())
        markup = tg.inline_keyboard(params.get("reply_markup"))
        if markup is None:
            message.pop("reply_markup", None)
        else:
            message["reply_markup"] = markup
        return dict(message)

    def _edit_text(self, token: str, params: Params) -> dict[str, Any] | bool:
        return self._edited(token, params, text=tg.check_text(params.get("text")))

    def _edit_caption(self, token: str, params: Params) -> dict[str, Any] | bool:
        tg.check_caption(params.get("caption"))
        return self._edited(token, params, caption=params.get("caption"))

    def _edit_markup(self, token: str, params: Params) -> dict[str, Any] | bool:
        return self._edited(token, params)

    def _delete_message(self, token: str, params: Params) -> bool:
        chat_id = tg.require_chat(params)
        self._messages.get((token, chat_id), {}).pop(params.get("message_id"), None)  # type: ignore[arg-type]
        return True

    def _set_webhook(self, token: str, params: Params) -> bool:
        self._webhooks[token] = str(params.get("url") or "") or None
        return True

    def _delete_webhook(self, token: str, _params: Params) -> bool:
        self._webhooks[token] = None
        return True
