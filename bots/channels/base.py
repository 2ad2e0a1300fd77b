"""The small Protocol each channel adapter implements, and the delivery outcomes it reports."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

from bots.messages import Inbound, Reply


class MalformedPayload(ValueError):
    """The provider's payload is not what that provider sends (answered with 400)."""


class SendError(Exception):
    """Delivery to the provider failed."""


class TransientSendError(SendError):
    """Try again later (rate limit, provider outage, timeout); `retry_after` in seconds when told."""

    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class PermanentSendError(SendError):
    """Retrying will not help; `unreachable` when the recipient cannot be reached at that address."""

    def __init__(self, message: str, *, unreachable: bool = False) -> None:
        super().__init__(message)
        self.unreachable = unreachable


class ChannelAdapter(Protocol):
    """Parse a provider's inbound payload, render a reply into its request, and send it."""

    channel: str

    def parse(self, raw: Mapping[str, Any]) -> Inbound | None:
        """The inbound message, None when genuine but unsupported; raises MalformedPayload."""
        ...

    def render(self, address: str, reply: Reply) -> dict[str, Any]:
        """The provider request (method and parameters) that shows `reply` to `address`."""
        ...

    async def send(self, payload: Mapping[str, Any]) -> str:
        """Send a rendered request; returns the provider's message id or raises a SendError."""
        ...

    async def aclose(self) -> None:
        """Close the HTTP clients the adapter opened."""
        ...
