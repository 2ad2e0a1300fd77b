"""Callbacks an emulator calls with each call it answered (the demo prints bot messages through them)."""

from __future__ import annotations

import inspect
import logging
from collections.abc import Awaitable, Callable
from typing import Generic, TypeVar

log = logging.getLogger(__name__)
Call = TypeVar("Call")


class Listeners(Generic[Call]):
    """Sync or async callbacks; one that raises is logged and the others still run."""

    def __init__(self) -> None:
        self._callbacks: list[Callable[[Call], Awaitable[None] | None]] = []

    def add(self, callback: Callable[[Call], Awaitable[None] | None]) -> None:
        """Call `callback` with every call from now on."""
        self._callbacks.append(callback)

    async def notify(self, call: Call) -> None:
        """Hand `call` to every callback in the order they were added."""
        for callback in list(self._callbacks):
            try:
                outcome = callback(call)
                if inspect.isawaitable(outcome):
                    await outcome
            except Exception:
                log.exception("emulator listener failed for %r", call)
