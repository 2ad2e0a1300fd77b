"""POST /webhooks/twilio/{sms,whatsapp,status}: the signature is checked over the raw form, then decoded."""

from __future__ import annotations

import logging

from aiohttp import web

from bots.channels.base import MalformedPayload
from bots.channels.twilio_form import decode_form, split_form
from bots.channels.twilio_payloads import validate_status
from bots.outbound.status import record_status
from core.people.model import Channel
from webhooks.handover import hand_over
from webhooks.receive import receive
from webhooks.state import STATE, WebState

log = logging.getLogger(__name__)
SIGNATURE_HEADER = "X-Twilio-Signature"
EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'
STATUS = "status"


async def sms_webhook(request: web.Request) -> web.Response:
    """An inbound SMS."""
    return await _message(request, Channel.SMS)


async def whatsapp_webhook(request: web.Request) -> web.Response:
    """An inbound WhatsApp message, button tap, location or media."""
    return await _message(request, Channel.WHATSAPP)


async def status_webhook(request: web.Request) -> web.Response:
    """A delivery status callback for a message we sent."""
    state = request.app[STATE]
    try:
        report = validate_status(await _verified_form(request, state, STATUS))
    except MalformedPayload as exc:
        return _malformed(state, STATUS, "malformed status", exc)
    added = await record_status(
        state.sessions,
        state.adapters,
        state.conversations.clock,
        report.MessageSid,
        report.MessageStatus,
        report.ErrorCode,
    )
    await hand_over(state, added)
    return web.Response(status=204)


async def _message(request: web.Request, channel: str) -> web.Response:
    state = request.app[STATE]
    adapter = state.adapters.get(channel)
    if adapter is None:
        raise web.HTTPNotFound(text=f"{channel} is not configured")
    try:
        inbound = adapter.parse(await _verified_form(request, state, channel))
    except MalformedPayload as exc:
        return _malformed(state, channel, "malformed message", exc)
    if inbound is None:
        state.metrics.webhooks.labels(channel, "ignored").inc()
        log.info("ignored unsupported %s message", channel)
    else:
        await receive(state, inbound)
    return web.Response(text=EMPTY_TWIML, content_type="text/xml")


async def _verified_form(request: web.Request, state: WebState, label: str) -> dict[str, str]:
    """The posted form, once its signature over the raw bytes matches PUBLIC_BASE_URL + path.

    The signature is checked against the public URL, not the Host header, since proxies rewrite the host.
    Raises 403 before anything is decoded; MalformedPayload for a signed form Twilio would never send.
    """
    if state.twilio_signature is None:
        raise web.HTTPNotFound(text="Twilio is not configured")
    pairs = split_form(await request.read())
    url = state.public_base_url + request.path_qs
    if not state.twilio_signature.valid(url, pairs, request.headers.get(SIGNATURE_HEADER, "")):
        state.metrics.webhooks.labels(label, "forbidden").inc()
        raise web.HTTPForbidden(text='{"error": "forbidden"}', content_type="application/json")
    return decode_form(pairs, request.charset)


def _malformed(state: WebState, label: str, what: str, exc: MalformedPayload) -> web.Response:
    state.metrics.webhooks.labels(label, "malformed").inc()
    return web.json_response({"error": f"{what}: {exc}"}, status=400)
