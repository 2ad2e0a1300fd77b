"""The aiohttp application: routes, and the engine's lifetime tied to the app's."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable

from aiohttp import web

from webhooks.calendar import calendar_file
from webhooks.health import healthz, metrics
from webhooks.media import media_file
from webhooks.outage import answer_outage
from webhooks.state import STATE, WebState
from webhooks.telegram import telegram_webhook
from webhooks.twilio import sms_webhook, status_webhook, whatsapp_webhook

MAX_BODY_BYTES = 1024 * 1024
TWILIO_STATUS_PATH = "/webhooks/twilio/status"


def build_app(state_context: Callable[[web.Application], AsyncIterator[None]]) -> web.Application:
    """Routes of the public contract; `state_context` opens connections, sets STATE, and closes them."""
    app = web.Application(client_max_size=MAX_BODY_BYTES, middlewares=[answer_outage])
    app.cleanup_ctx.append(state_context)
    app.router.add_post("/webhooks/telegram", telegram_webhook)
    app.router.add_post("/webhooks/twilio/sms", sms_webhook)
    app.router.add_post("/webhooks/twilio/whatsapp", whatsapp_webhook)
    app.router.add_post(TWILIO_STATUS_PATH, status_webhook)
    app.router.add_get("/healthz", healthz)
    app.router.add_get("/metrics", metrics)
    app.router.add_get("/calendar/{token}.ics", calendar_file)
    app.router.add_get("/media/{media_key}", media_file)
    return app


__all__ = ["STATE", "TWILIO_STATUS_PATH", "WebState", "build_app"]
