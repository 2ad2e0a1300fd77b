"""The small Protocol each channel adapter implements, and the delivery outcomes it reports."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from bots.channels.rates import Rate
from bots.messages import Inbound, Reply


class MalformedPayload(ValueError):
    """The provider's payload is not what that provider sends (answered with 400)."""


class SendError(Exception):
    """Delivery to the provider failed."""


class TransientSendError(SendError):
    """Try again later (rate limit, provider outage, timeout); `retry_after` in seconds when told."""

    def __init__(self, message: str, retry_after: float | None = None, pause: str | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after
        self.pause = pause


class PermanentSendError(SendError):
    """Retrying will not help; `unreachable`: the address cannot be reached; `opted_out`: it said STOP."""

    def __init__(
        self, message: str, *, unreachable: bool = False, opted_out: bool = False, code: str | None = None
    ) -> None:
        super().__init__(message)
        self.unreachable = unreachable
        self.opted_out = opted_out
        self.code = code


@dataclass(frozen=True)
class Outgoing:
    """One provider request a reply became: its text for the record, the request, and SMS segments."""

    text: str
    payload: dict[str, Any]
    segments: int | None = None


class ChannelAdapter(Protocol):
    """Parse a provider's inbound payload, render a reply into its request, and send it."""

    channel: str

    def parse(self, raw: Mapping[str, Any]) -> Inbound | None:
        """The inbound message, None when genuine but unsupported; raises MalformedPayload."""
        ...

    def render(self, address: str, reply: Reply) -> list[Outgoing]:
        """The provider requests that show `reply` to `address`, in order (long texts may take several)."""
        ...

    def limits(self, address: str, segments: int | None) -> tuple[list[tuple[str, Rate]], int]:
        """The rate buckets a send to `address` draws on, and how many tokens it costs."""
        ...

    async def send(self, payload: Mapping[str, Any]) -> str:
        """Send a rendered request; returns the provider's message id or raises a SendError."""
        ...

    async def find_sent(self, payload: Mapping[str, Any], since: datetime) -> str | None:
        """The provider's id of this request if the provider already took it since `since`, else None."""
        ...

    async def aclose(self) -> None:
        """Close the HTTP clients the adapter opened."""
        ...
