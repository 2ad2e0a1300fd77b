"""POST /webhooks/telegram: secret checked before reading, body validated, deduped, answered, handed over."""

from __future__ import annotations

import hmac
import logging

from aiohttp import web

from bots.channels.base import MalformedPayload
from bots.channels.telegram import TelegramAdapter
from bots.channels.telegram_payloads import decode_update
from core.people.model import Channel
from webhooks.receive import receive
from webhooks.state import STATE

log = logging.getLogger(__name__)
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


async def telegram_webhook(request: web.Request) -> web.Response:
    """Handle one Telegram update; a button tap is answered in the response body itself."""
    state = request.app[STATE]
    adapter = state.adapters.get(Channel.TELEGRAM)
    if not isinstance(adapter, TelegramAdapter) or state.telegram_secret is None:
        raise web.HTTPNotFound(text="Telegram is not configured")
    count = state.metrics.webhooks.labels
    given = request.headers.get(SECRET_HEADER, "").encode()
    if not hmac.compare_digest(given, state.telegram_secret.encode()):
        count(Channel.TELEGRAM, "forbidden").inc()
        return web.json_response({"error": "forbidden"}, status=403)
    try:
        inbound = adapter.parse(decode_update(await request.read(), request.charset))
    except MalformedPayload as exc:
        count(Channel.TELEGRAM, "malformed").inc()
        return web.json_response({"error": f"malformed update: {exc}"}, status=400)
    if inbound is None:
        count(Channel.TELEGRAM, "ignored").inc()
        log.info("ignored an unsupported Telegram update")
        return web.Response(status=200)
    await receive(state, inbound)
    answer = adapter.webhook_answer(inbound)
    return web.json_response(answer) if answer else web.Response(status=200)
