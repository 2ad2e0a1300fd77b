"""POST /webhooks/telegram: secret checked before parsing, deduped, answered, handed over."""

from __future__ import annotations

import hmac
import json
import logging

from aiohttp import web

from bots.channels.base import MalformedPayload
from bots.intake import accept, answer_pending
from webhooks.handover import hand_over
from webhooks.state import STATE

log = logging.getLogger(__name__)
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


async def telegram_webhook(request: web.Request) -> web.Response:
    """Handle one Telegram update; a button tap is answered in the response body itself."""
    state = request.app[STATE]
    count = state.metrics.webhooks.labels
    if not hmac.compare_digest(
        request.headers.get(SECRET_HEADER, "").encode(), state.telegram_secret.encode()
    ):
        count("telegram", "forbidden").inc()
        return web.json_response({"error": "forbidden"}, status=403)
    try:
        raw = await request.json()
        if not isinstance(raw, dict):
            raise MalformedPayload("the body is not a JSON object")
        inbound = state.telegram.parse(raw)
    except (json.JSONDecodeError, UnicodeDecodeError, MalformedPayload) as exc:
        count("telegram", "malformed").inc()
        return web.json_response({"error": f"malformed update: {exc}"}, status=400)
    if inbound is None:
        count("telegram", "ignored").inc()
        log.info("ignored unsupported Telegram update %s", raw.get("update_id"))
        return web.Response(status=200)
    person_id = await accept(state.conversations, inbound)
    if person_id is None:
        count("telegram", "duplicate").inc()
    else:
        count("telegram", "accepted").inc()
        try:
            await hand_over(state, await answer_pending(state.conversations, person_id))
        except Exception:
            log.exception("answering person %s failed; the sweep will retry", person_id)
    answer = state.telegram.webhook_answer(inbound)
    return web.json_response(answer) if answer else web.Response(status=200)
