"""Parsing Twilio's inbound message webhooks (SMS and WhatsApp) into Inbound messages."""

from __future__ import annotations

from collections.abc import Mapping

from bots.channels.base import MalformedPayload
from bots.messages import Inbound
from core.phones import to_e164


def parse_twilio_message(channel: str, form: Mapping[str, str], region: str) -> Inbound | None:
    """An Inbound for a text, a tap, a location or media; None for what carries none (reactions)."""
    sid = form.get("MessageSid") or form.get("SmsMessageSid")
    sender = form.get("From", "")
    if not sid or not sender:
        raise MalformedPayload("MessageSid and From are required")
    address = to_e164(sender, region)
    if address is None:
        raise MalformedPayload(f"From is not a phone number: {sender!r}")
    media = tuple(form[f"MediaUrl{n}"] for n in range(_count(form.get("NumMedia"))) if f"MediaUrl{n}" in form)
    latitude, longitude = _coordinate(form.get("Latitude")), _coordinate(form.get("Longitude"))
    inbound = Inbound(
        channel=channel,
        address=address,
        external_id=sid,
        text=form.get("Body") or None,
        choice_token=form.get("ButtonPayload") or form.get("ListId") or None,
        display_name=form.get("ProfileName") or None,
        latitude=latitude if longitude is not None else None,
        longitude=longitude if latitude is not None else None,
        media_urls=media,
    )
    if not (inbound.text or inbound.choice_token or inbound.media_urls or inbound.latitude is not None):
        return None
    return inbound


def _count(value: str | None) -> int:
    return int(value) if value and value.isdigit() else 0


def _coordinate(value: str | None) -> float | None:
    try:
        return float(value) if value else None
    except ValueError:
        raise MalformedPayload(f"not a coordinate: {value!r}") from None
