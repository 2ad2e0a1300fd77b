"""Run the Telegram Bot API emulator on 127.0.0.1 with an OS-assigned port for tests."""

from __future__ import annotations

from collections.abc import Iterable

from aiohttp import web

from doorstep.simulator.telegram_api import TelegramApiEmulator
from tests.fakes.server import LocalServer

DEFAULT_TOKEN = "123456:TEST-doorstep-token-0123456789"


class FakeTelegram(LocalServer):
    """Serves a TelegramApiEmulator; use `bot_base_url` as PTB's base_url."""

    def __init__(self, tokens: Iterable[str] = (DEFAULT_TOKEN,)) -> None:
        self.tokens = tuple(tokens)
        self.emulator = TelegramApiEmulator(self.tokens)

    def make_app(self) -> web.Application:
        """The emulator's app."""
        return self.emulator.make_app()

    @property
    def token(self) -> str:
        """Return the first accepted bot token."""
        return self.tokens[0]

    @property
    def bot_base_url(self) -> str:
        """Return the value for telegram.Bot(token, base_url=...): PTB appends token and /method."""
        return f"{self.base_url}/bot"
