"""Sending through Twilio's Messages API, with WhatsApp button contents created once and remembered."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from aiohttp import ClientError
from redis import Redis
from twilio.base.exceptions import TwilioException, TwilioRestException
from twilio.rest import Client
from twilio.rest.content.v1.content import ContentList

from bots.channels.base import PermanentSendError, TransientSendError
from bots.channels.twilio_client import close_twilio_client, make_twilio_client
from core.message_log.delivery_rules import OPTED_OUT_CODES, UNREACHABLE_CODES

CONTENTS_KEY = "doorstep:twilio:contents"
RECENT_MESSAGES = 20
CLOCK_SKEW = timedelta(minutes=1)


class TwilioSender:
    """One Twilio account: sends messages and owns the cache of WhatsApp quick-reply and list contents."""

    def __init__(
        self, account_sid: str, auth_token: str, api_base_url: str, status_callback: str, redis: Redis
    ) -> None:
        self._credentials = (account_sid, auth_token, api_base_url)
        self.status_callback = status_callback
        self._redis = redis
        self._client: Client | None = None

    def _current(self) -> Client:
        if self._client is None:
            self._client = make_twilio_client(*self._credentials)
        return self._client

    async def send(self, params: Mapping[str, Any]) -> str:
        """Create a message (Twilio parameter names in snake case); returns its MessageSid."""
        try:
            message = await self._current().messages.create_async(
                **params, status_callback=self.status_callback
            )
        except TwilioRestException as exc:
            raise classify(exc) from exc
        except (ClientError, TimeoutError, TwilioException) as exc:
            raise TransientSendError(f"{type(exc).__name__}: {exc}") from exc
        return str(message.sid)

    async def find_sent(self, to: str, from_: str, body: str, since: datetime) -> str | None:
        """The sid of a message with this body that Twilio took from `from_` to `to` since `since`, if any."""
        try:
            messages = await self._current().messages.list_async(to=to, from_=from_, limit=RECENT_MESSAGES)
        except TwilioRestException as exc:
            raise classify(exc) from exc
        except (ClientError, TimeoutError, TwilioException) as exc:
            raise TransientSendError(f"{type(exc).__name__}: {exc}") from exc
        for message in messages:
            created = message.date_created
            if message.body == body and (created is None or created >= since - CLOCK_SKEW):
                return str(message.sid)
        return None

    async def content_sid(self, shape: str, definition: dict[str, Any]) -> str:
        """The ContentSid of a button layout, created on first use and remembered in Redis."""
        cached = await asyncio.to_thread(self._redis.hget, CONTENTS_KEY, shape)
        if cached:
            return cached.decode() if isinstance(cached, bytes) else str(cached)
        try:
            content = await self._current().content.v1.contents.create_async(
                ContentList.ContentCreateRequest(definition)
            )
        except TwilioRestException as exc:
            raise classify(exc) from exc
        except (ClientError, TimeoutError, TwilioException) as exc:
            raise TransientSendError(f"{type(exc).__name__}: {exc}") from exc
        await asyncio.to_thread(self._redis.hset, CONTENTS_KEY, shape, str(content.sid))
        return str(content.sid)

    async def aclose(self) -> None:
        """Close the HTTP session."""
        if self._client is not None:
            await close_twilio_client(self._client)
            self._client = None


def classify(exc: TwilioRestException) -> Exception:
    """Twilio's answer as a transient or permanent send error, marking unreachable and opted-out numbers."""
    reason = f"Twilio {exc.code}: {exc.msg}" if exc.code else f"Twilio HTTP {exc.status}: {exc.msg}"
    if exc.status == 429 or exc.status >= 500:
        return TransientSendError(reason)
    code = str(exc.code or exc.status)
    if code in OPTED_OUT_CODES:
        return PermanentSendError(reason, opted_out=True, code=code)
    return PermanentSendError(reason, unreachable=code in UNREACHABLE_CODES, code=code)


def content_variables(values: list[str]) -> str:
    """Twilio's ContentVariables JSON: {"1": first, "2": second, ...}."""
    return json.dumps({str(n): value for n, value in enumerate(values, 1)})
