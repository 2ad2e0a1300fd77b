"""The embedded demo, really served: on each channel the terminal user joins and finds homes in Leeds."""

from __future__ import annotations

import asyncio
import socket
import threading
from io import StringIO
from pathlib import Path

import pytest
from aiohttp import ClientConnectionError, ClientSession
from sqlalchemy import select

from core.db import create_engine, session_factory
from core.models import InboundMessage, OutboxMessage
from doorstep.demo import EmbeddedPlatform, embedded_platform, terminal_chat

WAIT_SECONDS = 10.0
POLL_SECONDS = 0.05
IN = "\n          "  # continuation lines of a printed message are indented under "Doorstep: "

ASK_ROLE = (
    "\nDoorstep: Welcome to Doorstep! I help people buy and sell homes, book viewings and make offers, "
    "right here in chat.\n"
    f"{IN}What brings you here?"
    f"{IN}[1] I'm buying  [2] I'm selling  [3] I'm a broker  [4] العربية\n> "
)
ASK_NAME = (
    "\nDoorstep: Great, let's find you a home. What should I call you? Type your name, or tap below."
    f"{IN}[1] Call me Sam\n> "
)
WELCOME = (
    "\nDoorstep: Nice to meet you, Sam! Browse homes as much as you like. When you book a viewing or make an "
    "offer, I'll ask you to confirm your phone number once.\n"
    f"{IN}What would you like to do?"
    f"{IN}[1] Find a home  [2] My viewings  [3] My offers  [4] Messages  [5] Settings  [6] Help\n> "
)
ASK_AREA = (
    f"\nDoorstep: Which city or area? For example: Leeds, Headingley or LS6.{IN}[1] All areas  [2] Menu\n> "
)
LEEDS = (
    "\nDoorstep: Homes for sale in Leeds (1-5 of 6):\n"
    f"{IN}1. £285,000 - Flat{IN}2 bed · 1 bath · 75 m²{IN}Headingley, Leeds LS6 3AG\n"
    f"{IN}2. £425,000 - Semi-detached house{IN}3 bed · 2 bath · 118 m²{IN}Far Headingley, Leeds LS16 5NP\n"
    f"{IN}3. £189,950 - Terraced house{IN}2 bed · 1 bath · 68 m²{IN}Hyde Park, Leeds LS6 1PH\n"
    f"{IN}4. £650,000 - Detached house{IN}4 bed · 3 bath · 190 m²{IN}Roundhay, Leeds LS8 2JH\n"
    f"{IN}5. £159,000 - Flat{IN}1 bed · 1 bath · 48 m²{IN}City Centre, Leeds LS2 7EQ"
    f"{IN}[1] Details 1  [2] Details 2  [3] Details 3  [4] Details 4  [5] Details 5  [6] More results  "
    "[7] New search  [8] Menu\n> "
)
SMS_ASK_ROLE = (
    "\nDoorstep: Welcome to Doorstep: buy and sell homes, book viewings and make offers by text. "
    "What brings you here?\n"
    f"{IN}1 I'm buying{IN}2 I'm selling{IN}3 I'm a broker{IN}4 العربية{IN}Reply 1-4\n> "
)
SMS_ASK_NAME = "\nDoorstep: Great, let's find you a home. What should I call you?\n> "
SMS_WELCOME = (
    "\nDoorstep: Nice to meet you, Sam! Browse homes and I'll ask for your number only to book or offer.\n"
    f"{IN}1 Find a home{IN}2 My viewings{IN}3 My offers{IN}4 Messages{IN}5 Settings{IN}6 Help"
    f"{IN}Reply 1-6\n> "
)
SMS_ASK_AREA = (
    "\nDoorstep: Which city or area? For example: Leeds, Headingley or LS6.\n"
    f"{IN}1 All areas{IN}2 Menu{IN}Reply 1 or 2\n> "
)
SMS_LEEDS = (
    "\nDoorstep: Leeds: homes 1-5 of 6"
    f"{IN}1 £285,000 2 bed flat, Headingley"
    f"{IN}2 £425,000 3 bed semi-detached house, Far Headingley"
    f"{IN}3 £189,950 2 bed terraced house, Hyde Park"
    f"{IN}4 £650,000 4 bed detached house, Roundhay"
    f"{IN}5 £159,000 1 bed flat, City Centre"
    f"{IN}Reply 1-5 for details, 6 more results, 7 new search, 8 menu\n> "
)
TURNS = {
    "telegram": [("hi", ASK_ROLE), ("1", ASK_NAME), ("1", WELCOME), ("1", ASK_AREA), ("Leeds", LEEDS)],
    "whatsapp": [("hi", ASK_ROLE), ("1", ASK_NAME), ("1", WELCOME), ("1", ASK_AREA), ("Leeds", LEEDS)],
    "sms": [
        ("hi", SMS_ASK_ROLE),
        ("1", SMS_ASK_NAME),
        ("Sam", SMS_WELCOME),
        ("1", SMS_ASK_AREA),
        ("Leeds", SMS_LEEDS),
    ],
}
# Typing "1" taps the first option where the channel has buttons; on SMS the number is the message.
TAPPED = {
    "telegram": [False, True, True, True, False],
    "whatsapp": [False, True, True, True, False],
    "sms": [False] * 5,
}


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def printed_after(out: StringIO, start: int, expected: str) -> str:
    """What was printed after `start`, once it reads `expected` or WAIT_SECONDS have passed."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + WAIT_SECONDS
    while loop.time() < deadline:
        if out.getvalue()[start:] == expected:
            break
        await asyncio.sleep(POLL_SECONDS)
    return out.getvalue()[start:]


def provider_failures(platform: EmbeddedPlatform) -> list[str]:
    """Calls the stand-in providers refused (a wrong chat, message id or parameter)."""
    telegram = [f"{c.method} {c.params}" for c in platform.telegram.calls if c.failed_status is not None]
    twilio = [f"{c.method} {c.path} {c.params}" for c in platform.twilio.calls if c.failed_status is not None]
    return telegram + twilio


@pytest.mark.parametrize("channel", ["telegram", "whatsapp", "sms"])
async def test_demo_user_says_hi_and_finds_homes_in_leeds(tmp_path: Path, channel: str) -> None:
    port = free_port()
    async with embedded_platform(tmp_path, port) as platform, ClientSession() as http:
        out = StringIO()
        chat = terminal_chat(platform, channel, out)
        for line, expected in TURNS[channel]:
            start = len(out.getvalue())
            assert await chat.send(http, line)
            assert await printed_after(out, start, expected) == expected
        assert provider_failures(platform) == []
        database_url = platform.settings.database_url

    engine = create_engine(database_url)
    try:
        async with session_factory(engine)() as session:
            inbound = (await session.scalars(select(InboundMessage).order_by(InboundMessage.id))).all()
            outbox = (await session.scalars(select(OutboxMessage))).all()
    finally:
        await engine.dispose()
    assert [row.channel for row in inbound] == [channel] * 5
    assert [row.status for row in inbound] == ["processed"] * 5
    assert [bool(row.message.get("choice_token")) for row in inbound] == TAPPED[channel]
    assert [row.status for row in outbox] == ["sent"] * 5
    assert "doorstep-embedded-worker" not in [thread.name for thread in threading.enumerate()]
    with pytest.raises(ClientConnectionError):
        async with ClientSession() as http, http.get(f"http://127.0.0.1:{port}/healthz"):
            pass
