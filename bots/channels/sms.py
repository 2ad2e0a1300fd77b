"""SMS through Twilio: plain text with choices as numbered lines (laid out by the templates)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from bots.channels.base import Outgoing
from bots.channels.rates import Rate, twilio_buckets
from bots.channels.text_limits import sms_segments
from bots.channels.twilio_inbound import parse_twilio_message
from bots.channels.twilio_sender import TwilioSender
from bots.messages import Inbound, Reply
from core.people.model import Channel


class SmsAdapter:
    """One SMS sender number of a Twilio account."""

    channel: str = Channel.SMS

    def __init__(self, sender: TwilioSender, from_number: str, region: str, rate: float) -> None:
        self._sender, self.from_number, self._region, self._rate = sender, from_number, region, rate

    def parse(self, raw: Mapping[str, Any]) -> Inbound | None:
        """An inbound SMS from Twilio's webhook form."""
        return parse_twilio_message(self.channel, raw, self._region)

    def render(self, address: str, reply: Reply) -> list[Outgoing]:
        """One text message; its segment count is kept for the record and for the sender's rate."""
        return [Outgoing(reply.text, {"to": address, "body": reply.text}, sms_segments(reply.text))]

    def limits(self, address: str, segments: int | None) -> tuple[list[tuple[str, Rate]], int]:
        """The sender number's rate, counted in segments."""
        return twilio_buckets(self.from_number, self.channel, sms_rate=self._rate), max(1, segments or 1)

    async def send(self, payload: Mapping[str, Any]) -> str:
        """Send through Twilio from the SMS number."""
        return await self._sender.send(
            {"to": payload["to"], "from_": self.from_number, "body": payload["body"]}
        )

    async def find_sent(self, payload: Mapping[str, Any], since: datetime) -> str | None:
        """The MessageSid if Twilio already took this text (its sender stopped before recording it)."""
        return await self._sender.find_sent(payload["to"], self.from_number, payload["body"], since)

    async def aclose(self) -> None:
        """Close the Twilio client."""
        await self._sender.aclose()
