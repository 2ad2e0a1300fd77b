"""WhatsApp through Twilio: quick-reply buttons (up to 3), a list picker (up to 10), media, templates."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from bots.channels.base import Outgoing
from bots.channels.rates import Rate, twilio_buckets
from bots.channels.twilio_inbound import parse_twilio_message
from bots.channels.twilio_sender import TwilioSender, content_variables
from bots.messages import Choice, Inbound, Reply, choice_token, listed_as_lines
from core.people.model import Channel

BODY_LIMIT = 1024
BUTTON_TITLE_LIMIT = 20
LIST_ITEM_LIMIT = 24
MAX_BUTTONS = 3


class WhatsAppAdapter:
    """One WhatsApp sender of a Twilio account."""

    channel: str = Channel.WHATSAPP

    def __init__(self, sender: TwilioSender, from_number: str, region: str, rate: float) -> None:
        self._sender, self.from_number, self._region, self._rate = sender, from_number, region, rate

    def parse(self, raw: Mapping[str, Any]) -> Inbound | None:
        """An inbound WhatsApp message, tap, location or media from Twilio's webhook form."""
        return parse_twilio_message(self.channel, raw, self._region)

    def render(self, address: str, reply: Reply) -> list[Outgoing]:
        """Text with its media, a document of its own when there is a photo too, then buttons or a list."""
        media, document = _media(address, reply)
        text = Outgoing(reply.text, {"kind": "text", "to": address, "body": reply.text, **media})
        layout = _layout(reply.choices)
        if layout is None:
            return [text, *document]
        body, parts = reply.text, []
        if media or len(reply.text) > BODY_LIMIT:
            parts.append(text)
            body = str(reply.extra.get("choices_prompt", ""))
        options = [[_short(c.label, layout), choice_token(c.id)] for c in reply.choices]
        button = str(reply.extra.get("list_button", "Options"))
        payload = {"kind": layout, "to": address, "body": body, "options": options, "button": button}
        return [*parts, *document, Outgoing(body, payload)]

    def limits(self, address: str, segments: int | None) -> tuple[list[tuple[str, Rate]], int]:
        """The sender's rate, counted in messages."""
        return twilio_buckets(self.from_number, self.channel, whatsapp_rate=self._rate), 1

    async def send(self, payload: Mapping[str, Any]) -> str:
        """Send through Twilio; buttons and lists go as a content item made once per layout."""
        params: dict[str, Any] = {"to": f"whatsapp:{payload['to']}", "from_": f"whatsapp:{self.from_number}"}
        kind = payload["kind"]
        if kind == "text":
            params["body"] = payload["body"]
            if payload.get("media_url"):
                params["media_url"] = payload["media_url"]
        elif kind == "template":
            params["content_sid"] = payload["content_sid"]
            params["content_variables"] = content_variables(payload["variables"])
        else:
            options = payload["options"]
            shape = f"{kind}:{len(options)}"
            params["content_sid"] = await self._sender.content_sid(shape, _definition(kind, len(options)))
            values = [payload["body"], *([payload["button"]] if kind == "list-picker" else [])]
            params["content_variables"] = content_variables(values + [v for pair in options for v in pair])
        return await self._sender.send(params)

    async def find_sent(self, payload: Mapping[str, Any], since: datetime) -> str | None:
        """The MessageSid if Twilio already took this plain text; buttons and templates can't be matched."""
        if payload.get("kind") != "text":
            return None
        to, sender = f"whatsapp:{payload['to']}", f"whatsapp:{self.from_number}"
        return await self._sender.find_sent(to, sender, str(payload["body"]), since)

    async def aclose(self) -> None:
        """Close the Twilio client."""
        await self._sender.aclose()


def _media(address: str, reply: Reply) -> tuple[dict[str, list[str]], list[Outgoing]]:
    """The text's media_url, and the document as a message of its own when the photo goes with the text."""
    attachment = reply.attachment
    if not reply.photo_url:
        return ({"media_url": [attachment.url]} if attachment else {}), []
    photo = {"media_url": [reply.photo_url]}
    if attachment is None:
        return photo, []
    document = {"kind": "text", "to": address, "body": attachment.filename, "media_url": [attachment.url]}
    return photo, [Outgoing(attachment.filename, document)]


def _layout(choices: Sequence[Choice]) -> str | None:
    """Quick-reply buttons or a list picker; None where the choices go as numbered lines in the text."""
    if not choices or listed_as_lines(Channel.WHATSAPP, len(choices)):
        return None
    fits_buttons = len(choices) <= MAX_BUTTONS and all(len(c.label) <= BUTTON_TITLE_LIMIT for c in choices)
    return "quick-reply" if fits_buttons else "list-picker"


def _short(label: str, layout: str) -> str:
    limit = BUTTON_TITLE_LIMIT if layout == "quick-reply" else LIST_ITEM_LIMIT
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "…"


def _definition(kind: str, count: int) -> dict[str, Any]:
    """A Content API item whose body, button and option texts are all variables, so one serves every reply."""
    if kind == "quick-reply":
        actions = [{"title": f"{{{{{2 * n}}}}}", "id": f"{{{{{2 * n + 1}}}}}"} for n in range(1, count + 1)]
        types = {"twilio/quick-reply": {"body": "{{1}}", "actions": actions}}
        first_option = 2
    else:
        items = [{"item": f"{{{{{2 * n + 1}}}}}", "id": f"{{{{{2 * n + 2}}}}}"} for n in range(1, count + 1)]
        types = {"twilio/list-picker": {"body": "{{1}}", "button": "{{2}}", "items": items}}
        first_option = 3
    samples = {"1": "Choose an option", **({"2": "Options"} if kind == "list-picker" else {})}
    for n in range(count):
        samples[str(first_option + 2 * n)] = f"Option {n + 1}"
        samples[str(first_option + 2 * n + 1)] = f"option-{n + 1}"
    return {
        "friendly_name": f"doorstep_{kind.replace('-', '_')}_{count}",
        "language": "en",
        "variables": samples,
        "types": types,
    }
