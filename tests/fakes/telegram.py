"""Run the Telegram Bot API emulator on 127.0.0.1 with an OS-assigned port for tests."""

from __future__ import annotations

from collections.abc import Iterable
from types import TracebackType

from aiohttp import web

from doorstep.simulator.telegram_api import TelegramApiEmulator

DEFAULT_TOKEN = "123456:TEST-doorstep-token-0123456789"


class FakeTelegram:
    """Async context manager serving a TelegramApiEmulator; use `bot_base_url` as PTB's base_url."""

    def __init__(self, tokens: Iterable[str] = (DEFAULT_TOKEN,)) -> None:
        self.tokens = tuple(tokens)
        self.emulator = TelegramApiEmulator(self.tokens)
        self._runner: web.AppRunner | None = None
        self._base_url: str | None = None

    @property
    def token(self) -> str:
        """Return the first accepted bot token."""
        return self.tokens[0]

    @property
    def base_url(self) -> str:
        """Return the server root, e.g. http://127.0.0.1:43123 (no trailing slash)."""
        if self._base_url is None:
            raise RuntimeError("FakeTelegram is not started")
        return self._base_url

    @property
    def bot_base_url(self) -> str:
        """Return the value for telegram.Bot(token, base_url=...): PTB appends token and /method."""
        return f"{self.base_url}/bot"

    async def start(self) -> FakeTelegram:
        """Start serving on 127.0.0.1 with an OS-assigned port."""
        runner = web.AppRunner(self.emulator.make_app(), access_log=None)
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", 0).start()
        self._runner = runner
        host, port = runner.addresses[0][:2]
        self._base_url = f"http://{host}:{port}"
        return self

    async def stop(self) -> None:
        """Stop the server and release the port."""
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
            self._base_url = None

    async def __aenter__(self) -> FakeTelegram:
        return await self.start()

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.stop()
