"""Run the Telegram Bot API emulator on 127.0.0.1 with an OS-assigned port for tests."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterable

from aiohttp import web

from doorstep.simulator.telegram_api import TelegramApiEmulator
from tests.fakes.server import LocalServer

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
DEFAULT_TOKEN = "123456:TEST-doorstep-token-0123456789"


class FakeTelegram(LocalServer):
    """Serves a TelegramApiEmulator; use `bot_base_url` as PTB's base_url.

    Set `delay` to answer every call that many seconds late; `in_flight` counts calls being delayed.
    """

    delay = 0.0
    in_flight = 0

    def __init__(self, tokens: Iterable[str] = (DEFAULT_TOKEN,)) -> None:
        self.tokens = tuple(tokens)
        self.emulator = TelegramApiEmulator(self.tokens)

    def make_app(self) -> web.Application:
        """The emulator's app, behind the latency."""
        app = self.emulator.make_app()
        app.middlewares.insert(0, self._latency)
        return app

    @web.middleware
    async def _latency(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        self.in_flight += 1
        try:
            if self.delay:
                await asyncio.sleep(self.delay)
        finally:
            self.in_flight -= 1
        return await handler(request)

    @property
    def token(self) -> str:
        """Return the first accepted bot token."""
        return self.tokens[0]

    @property
    def bot_base_url(self) -> str:
        """Return the value for telegram.Bot(token, base_url=...): PTB appends token and /method."""
        return f"{self.base_url}/bot"
