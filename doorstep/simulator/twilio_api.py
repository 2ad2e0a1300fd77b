"""A small aiohttp app that answers like Twilio's REST API (Messages, Content) and records every call."""

from __future__ import annotations

import copy
import secrets
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import aiohttp
from aiohttp import web
from twilio.request_validator import RequestValidator

from doorstep.simulator import twilio_objects as tw
from doorstep.simulator.listeners import Listeners
from doorstep.simulator.twilio_media import TwilioMediaStore
from doorstep.simulator.twilio_objects import API_VERSION, TwilioError

Params = dict[str, Any]
Listener = Callable[["ApiCall"], Awaitable[None] | None]
Handler = Callable[[web.Request, Params], tuple[int, Any]]
MAX_BODY_BYTES = 1024 * 1024
CALLBACK_TIMEOUT = aiohttp.ClientTimeout(total=10)


@dataclass(frozen=True)
class ApiCall:
    """One recorded REST call; failed_status is the HTTP error status, None when it succeeded."""

    method: str
    path: str
    params: dict[str, Any]
    at: float
    failed_status: int | None = None


@dataclass
class _Failure:
    status: int | None
    code: int | None
    message: str | None
    to: str | None

    def matches(self, params: Params) -> bool:
        return self.to is None or params.get("To") == self.to


class TwilioApiEmulator:
    """Fake Twilio REST API: answers like Twilio, records calls, injects failures, sends status callbacks."""

    def __init__(self, account_sid: str, auth_token: str) -> None:
        self.account_sid = account_sid
        self.auth_token = auth_token
        self.calls: list[ApiCall] = []
        self._failures: list[_Failure] = []
        self._listeners: Listeners[ApiCall] = Listeners()
        self._messages: dict[str, dict[str, Any]] = {}
        self.now: Callable[[], datetime] = lambda: datetime.now(UTC)
        self._status_callbacks: dict[str, str] = {}
        self._contents: dict[str, dict[str, Any]] = {}
        self.media = TwilioMediaStore(account_sid, auth_token)

    def make_app(self) -> web.Application:
        """Build the aiohttp application serving the Messages and Content endpoints."""
        app = web.Application(client_max_size=MAX_BODY_BYTES)
        account = f"/{API_VERSION}/Accounts/{{account_sid}}"
        app.router.add_post(f"{account}/Messages.json", self._route(self._create_message))
        app.router.add_get(f"{account}/Messages.json", self._route(self._list_messages))
        app.router.add_get(f"{account}/Messages/{{sid}}.json", self._route(self._fetch_message))
        app.router.add_post("/v1/Content", self._route(self._create_content))
        app.router.add_get("/v1/Content", self._route(self._list_contents))
        app.router.add_get("/v1/Content/{sid}", self._route(self._fetch_content))
        app.router.add_get("/sent", self._list_sent)
        self.media.add_routes(app)
        app.router.add_route("*", "/{tail:.*}", self._route(self._not_found))
        return app

    # ----- test and demo controls -------------------------------------------------------------------

    def fail_next(
        self,
        times: int = 1,
        *,
        status: int | None = None,
        code: int | None = None,
        message: str | None = None,
        to: str | None = None,
    ) -> None:
        """Fail the next `times` Messages POSTs (to `to` when given) with a Twilio error.

        Missing parts come from the code's preset (e.g. code=21610 is a 400 'unsubscribed recipient');
        with neither status nor code the error is a 500 with code 20500.
        """
        for _ in range(times):
            self._failures.append(_Failure(status, code, message, to))

    def put_media(self, data: bytes, content_type: str = "image/jpeg", **how: Any) -> str:
        """Keep a media item a person's message carries; returns its MediaUrl (see TwilioMediaStore.put)."""
        return self.media.put(data, content_type, **how)

    def messages(self, to: str | None = None) -> list[ApiCall]:
        """Return the successful Messages.json POSTs, optionally only those to `to`."""
        return [
            call
            for call in self.calls
            if call.failed_status is None
            and call.method == "POST"
            and call.path.endswith("/Messages.json")
            and (to is None or call.params.get("To") == to)
        ]

    def message(self, sid: str) -> dict[str, Any]:
        """Return a copy of the stored Message resource (status updated by deliver_status)."""
        return copy.deepcopy(self._messages[sid])

    def contents(self) -> list[dict[str, Any]]:
        """Return copies of the Content resources created so far, oldest first."""
        return [copy.deepcopy(content) for content in self._contents.values()]

    def clear(self) -> None:
        """Forget recorded calls and queued failures; sent messages and created contents are kept."""
        self.calls.clear()
        self._failures.clear()

    def add_listener(self, callback: Listener) -> None:
        """Call `callback` (sync or async) with every successful ApiCall after it is recorded."""
        self._listeners.add(callback)

    async def deliver_status(
        self,
        message_sid: str,
        status: str,
        *,
        error_code: int | None = None,
        callback_url: str | None = None,
    ) -> int:
        """POST a signed status callback for a sent message and return the HTTP status it got."""
        message = self._messages[message_sid]
        url = callback_url or self._status_callbacks.get(message_sid)
        if not url:
            raise ValueError(f"message {message_sid} has no StatusCallback and no callback_url was given")
        self._update_status(message, status, error_code)
        params = self._status_params(message, status, error_code)
        signature = RequestValidator(self.auth_token).compute_signature(url, params)
        headers = {"X-Twilio-Signature": signature, "User-Agent": "TwilioProxy/1.1"}
        async with (
            aiohttp.ClientSession(timeout=CALLBACK_TIMEOUT) as session,
            session.post(url, data=params, headers=headers) as response,
        ):
            return response.status

    def _update_status(self, message: dict[str, Any], status: str, error_code: int | None) -> None:
        now = tw.rfc2822(datetime.now(UTC))
        message.update(status=status, error_code=error_code, date_updated=now)
        if status in ("sent", "delivered", "read") and message.get("date_sent") is None:
            message["date_sent"] = now

    def _status_params(self, message: dict[str, Any], status: str, error_code: int | None) -> dict[str, str]:
        params = {
            "MessageSid": message["sid"],
            "MessageStatus": status,
            "SmsSid": message["sid"],
            "SmsStatus": status,
            "AccountSid": self.account_sid,
            "From": message.get("from") or "",
            "To": message["to"],
            "ApiVersion": API_VERSION,
        }
        if message.get("messaging_service_sid"):
            params["MessagingServiceSid"] = message["messaging_service_sid"]
        if error_code is not None:
            params["ErrorCode"] = str(error_code)
        return params

    async def _list_sent(self, request: web.Request) -> web.Response:
        """GET /sent[?to=…]: the Messages sent, as JSON, oldest first; not Twilio's API, so no credentials."""
        calls = self.messages(to=request.query.get("to"))
        return web.json_response([{"params": call.params, "at": call.at} for call in calls])

    # ----- request handling -------------------------------------------------------------------------

    def _route(self, handler: Handler) -> Callable[[web.Request], Awaitable[web.Response]]:
        async def serve(request: web.Request) -> web.Response:
            return await self._serve(request, handler)

        return serve

    async def _serve(self, request: web.Request, handler: Handler) -> web.Response:
        at, params, parse_error = time.time(), {}, None
        try:
            params = await tw.read_params(request)
        except TwilioError as error:
            parse_error = error
        try:
            self._authenticate(request)
            if parse_error is not None:
                raise parse_error
            status, body = handler(request, params)
        except TwilioError as error:
            self.calls.append(ApiCall(request.method, request.path, params, at, error.status))
            return self._json(error.payload(), error.status)
        call = ApiCall(request.method, request.path, params, at)
        self.calls.append(call)
        await self._listeners.notify(call)
        return self._json(body, status)

    def _authenticate(self, request: web.Request) -> None:
        username, password = tw.basic_credentials(request.headers.get("Authorization", "")) or ("", "")
        valid_sid = secrets.compare_digest(username.encode(), self.account_sid.encode())
        valid_token = secrets.compare_digest(password.encode(), self.auth_token.encode())
        path_sid = request.match_info.get("account_sid", self.account_sid)
        if not (valid_sid and valid_token and path_sid == self.account_sid):
            raise TwilioError(20003)

    @staticmethod
    def _json(body: Any, status: int) -> web.Response:
        return web.json_response(body, status=status, headers={"Twilio-Request-Id": tw.new_sid("RQ")})

    def _take_failure(self, params: Params) -> TwilioError | None:
        for index, failure in enumerate(self._failures):
            if failure.matches(params):
                del self._failures[index]
                return TwilioError.resolve(failure.status, failure.code, failure.message)
        return None

    # ----- endpoints --------------------------------------------------------------------------------

    def _not_found(self, request: web.Request, _params: Params) -> tuple[int, Any]:
        raise TwilioError(20404, f"The requested resource {request.path} was not found")

    def _create_message(self, _request: web.Request, params: Params) -> tuple[int, Any]:
        failure = self._take_failure(params)
        if failure is not None:
            raise failure
        tw.check_message(params)
        sid = tw.new_sid("SM")
        message = tw.message_resource(self.account_sid, sid, params, self.now())
        self._messages[sid] = message
        if params.get("StatusCallback"):
            self._status_callbacks[sid] = str(params["StatusCallback"])
        return 201, message

    def _list_messages(self, request: web.Request, params: Params) -> tuple[int, Any]:
        """Messages newest first, filtered by To and From as Twilio does; one page of PageSize (50)."""
        size = min(1000, max(1, int(params.get("PageSize") or 50)))
        found = [
            copy.deepcopy(message)
            for message in reversed(self._messages.values())
            if params.get("To") in (None, message["to"]) and params.get("From") in (None, message["from"])
        ][:size]
        return 200, tw.message_page(self.account_sid, request.path_qs, found, size)

    def _fetch_message(self, request: web.Request, _params: Params) -> tuple[int, Any]:
        message = self._messages.get(request.match_info["sid"])
        if message is None:
            raise TwilioError(20404, f"The requested resource {request.path} was not found")
        return 200, message

    def _create_content(self, _request: web.Request, params: Params) -> tuple[int, Any]:
        tw.check_content(params)
        sid = tw.new_sid("HX")
        content = tw.content_resource(self.account_sid, sid, params, datetime.now(UTC))
        self._contents[sid] = content
        return 201, content

    def _list_contents(self, request: web.Request, _params: Params) -> tuple[int, Any]:
        return 200, tw.content_page(list(self._contents.values()), request.query)

    def _fetch_content(self, request: web.Request, _params: Params) -> tuple[int, Any]:
        content = self._contents.get(request.match_info["sid"])
        if content is None:
            raise TwilioError(20404, f"The requested resource {request.path} was not found")
        return 200, content
