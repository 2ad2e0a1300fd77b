"""Run the Twilio REST API emulator on 127.0.0.1 with an OS-assigned port for tests."""

from __future__ import annotations

from collections.abc import Mapping

from aiohttp import web
from twilio.request_validator import RequestValidator

from doorstep.simulator.twilio_api import TwilioApiEmulator
from tests.fakes.server import LocalServer

DEFAULT_ACCOUNT_SID = "AC" + "0123456789abcdef" * 2
DEFAULT_AUTH_TOKEN = "fedcba9876543210" * 2


def sign(auth_token: str, public_url: str, params: Mapping[str, str]) -> str:
    """Return the X-Twilio-Signature Twilio would send when posting `params` to `public_url`."""
    return RequestValidator(auth_token).compute_signature(public_url, dict(params))


class FakeTwilio(LocalServer):
    """Serves a TwilioApiEmulator; pass `base_url` to make_twilio_client."""

    def __init__(self, account_sid: str = DEFAULT_ACCOUNT_SID, auth_token: str = DEFAULT_AUTH_TOKEN) -> None:
        self.account_sid = account_sid
        self.auth_token = auth_token
        self.emulator = TwilioApiEmulator(account_sid, auth_token)

    def make_app(self) -> web.Application:
        """The emulator's app."""
        return self.emulator.make_app()
