"""Run the Twilio REST API emulator on 127.0.0.1 with an OS-assigned port for tests."""

from __future__ import annotations

from collections.abc import Mapping
from types import TracebackType

from aiohttp import web
from twilio.request_validator import RequestValidator

from doorstep.simulator.twilio_api import TwilioApiEmulator

DEFAULT_ACCOUNT_SID = "AC" + "0123456789abcdef" * 2
DEFAULT_AUTH_TOKEN = "fedcba9876543210" * 2


def sign(auth_token: str, public_url: str, params: Mapping[str, str]) -> str:
    """Return the X-Twilio-Signature Twilio would send when posting `params` to `public_url`."""
    return RequestValidator(auth_token).compute_signature(public_url, dict(params))


class FakeTwilio:
    """Async context manager serving a TwilioApiEmulator; pass `base_url` to make_twilio_client."""

    def __init__(self, account_sid: str = DEFAULT_ACCOUNT_SID, auth_token: str = DEFAULT_AUTH_TOKEN) -> None:
        self.account_sid = account_sid
        self.auth_token = auth_token
        self.emulator = TwilioApiEmulator(account_sid, auth_token)
        self._runner: web.AppRunner | None = None
        self._base_url: str | None = None

    @property
    def base_url(self) -> str:
        """Return the server root, e.g. http://127.0.0.1:43123 (no trailing slash)."""
        if self._base_url is None:
            raise RuntimeError("FakeTwilio is not started")
        return self._base_url

    async def start(self) -> FakeTwilio:
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

    async def __aenter__(self) -> FakeTwilio:
        return await self.start()

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.stop()
