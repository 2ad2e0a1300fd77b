"""Parsing Twilio's inbound message webhooks (SMS and WhatsApp) into Inbound messages."""

from __future__ import annotations

from collections.abc import Mapping

from bots.channels.base import MalformedPayload
from bots.channels.twilio_payloads import media_kind, validate_message
from bots.messages import Inbound
from core.phones import to_e164


def parse_twilio_message(channel: str, form: Mapping[str, str], region: str) -> Inbound | None:
    """An Inbound for a text, a tap, a location or media; None for what carries none (reactions)."""
    message = validate_message(form)
    if not message.sid or not message.From:
        raise MalformedPayload("MessageSid and From are required")
    address = to_e164(message.From, region)
    if address is None:
        raise MalformedPayload(f"From is not a phone number: {message.From[:40]!r}")
    located = message.Latitude is not None and message.Longitude is not None
    inbound = Inbound(
        channel=channel,
        address=address,
        external_id=message.sid,
        text=message.Body or None,
        choice_token=message.ButtonPayload or message.ListId,
        display_name=message.ProfileName,
        latitude=message.Latitude if located else None,
        longitude=message.Longitude if located else None,
        media_urls=message.media_urls,
        media_types=message.media_types,
        media_kind=media_kind(message),
    )
    if not (inbound.text or inbound.choice_token or inbound.media_kind):
        return None
    return inbound
