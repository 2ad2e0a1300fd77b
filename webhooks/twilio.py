"""POST /webhooks/twilio/{sms,whatsapp,status}: X-Twilio-Signature checked before anything is used."""

from __future__ import annotations

import logging

from aiohttp import web

from bots.channels.base import MalformedPayload
from bots.delivery_status import record_status
from core.models import Channel
from webhooks.handover import hand_over
from webhooks.receive import receive
from webhooks.state import STATE, WebState

log = logging.getLogger(__name__)
SIGNATURE_HEADER = "X-Twilio-Signature"
EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'


async def sms_webhook(request: web.Request) -> web.Response:
    """An inbound SMS."""
    return await _message(request, Channel.SMS)


async def whatsapp_webhook(request: web.Request) -> web.Response:
    """An inbound WhatsApp message, button tap, location or media."""
    return await _message(request, Channel.WHATSAPP)


async def status_webhook(request: web.Request) -> web.Response:
    """A delivery status callback for a message we sent."""
    state = request.app[STATE]
    form = await _verified_form(request, state, "status")
    sid, status = form.get("MessageSid"), form.get("MessageStatus")
    if not sid or not status:
        return web.json_response({"error": "MessageSid and MessageStatus are required"}, status=400)
    added = await record_status(
        state.sessions, state.adapters, state.conversations.clock, sid, status, form.get("ErrorCode") or None
    )
    await hand_over(state, added)
    return web.Response(status=204)


async def _message(request: web.Request, channel: str) -> web.Response:
    state = request.app[STATE]
    adapter = state.adapters.get(channel)
    if adapter is None:
        raise web.HTTPNotFound(text=f"{channel} is not configured")
    form = await _verified_form(request, state, channel)
    try:
        inbound = adapter.parse(form)
    except MalformedPayload as exc:
        state.metrics.webhooks.labels(channel, "malformed").inc()
        return web.json_response({"error": f"malformed message: {exc}"}, status=400)
    if inbound is None:
        state.metrics.webhooks.labels(channel, "ignored").inc()
        log.info("ignored unsupported %s message %s", channel, form.get("MessageSid"))
    else:
        await receive(state, inbound)
    return web.Response(text=EMPTY_TWIML, content_type="text/xml")


async def _verified_form(request: web.Request, state: WebState, label: str) -> dict[str, str]:
    """The posted form, once its signature matches PUBLIC_BASE_URL + path (proxies rewrite the host)."""
    if state.twilio_validator is None:
        raise web.HTTPNotFound(text="Twilio is not configured")
    posted = await request.post()
    form = {key: value for key, value in posted.items() if isinstance(value, str)}
    url = state.public_base_url + request.path_qs
    if not state.twilio_validator.validate(url, form, request.headers.get(SIGNATURE_HEADER, "")):
        state.metrics.webhooks.labels(label, "forbidden").inc()
        raise web.HTTPForbidden(text='{"error": "forbidden"}', content_type="application/json")
    return form
