"""The embedded demo, really served: on each channel the terminal user joins and finds homes in Leeds."""

from __future__ import annotations

import asyncio
import re
import socket
import threading
from io import StringIO
from pathlib import Path

import pytest
from aiohttp import ClientConnectionError, ClientSession
from sqlalchemy import select

from core.db import create_engine, session_factory
from core.message_log.model import InboundMessage, OutboxMessage
from doorstep.demo import EmbeddedPlatform, connection_notes, demo_settings, embedded_platform, terminal_chat
from doorstep.simulator.telegram_user import TelegramUser
from doorstep.simulator.terminal import TerminalChat

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
# A WhatsApp number counts as confirmed, so nothing is promised about confirming it.
WHATSAPP_WELCOME = (
    "\nDoorstep: Nice to meet you, Sam! Your number is already confirmed, so you can book viewings and make "
    "offers straight away.\n"
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
# WhatsApp shows more than 3 choices, or longer labels, as a list behind its "Options" button.
WA_ASK_ROLE = ASK_ROLE.replace("[1] I'm buying", "Options list: [1] I'm buying")
WA_WELCOME = WHATSAPP_WELCOME.replace("[1] Find a home", "Options list: [1] Find a home")
WA_LEEDS = LEEDS.replace("[1] Details 1", "Options list: [1] Details 1")
# An SMS is printed with its length and the segments it takes, as a phone's counter shows them.
SMS_ASK_ROLE = (
    "\nDoorstep: Welcome to Doorstep: buy and sell homes, book viewings and make offers by text. "
    "What brings you here?\n"
    f"{IN}1 I'm buying{IN}2 I'm selling{IN}3 I'm a broker{IN}4 العربية{IN}Reply 1-4"
    f"{IN}[SMS: 164 characters, 3 segments]\n> "
)
SMS_ASK_NAME = (
    "\nDoorstep: Great, let's find you a home. What should I call you?"
    f"{IN}[SMS: 53 characters, 1 segment]\n> "
)
SMS_WELCOME = (
    "\nDoorstep: Nice to meet you, Sam! Browse homes and I'll ask for your number only to book or offer.\n"
    f"{IN}1 Find a home{IN}2 My viewings{IN}3 My offers{IN}4 Messages{IN}5 Settings{IN}6 Help"
    f"{IN}Reply 1-6{IN}[SMS: 167 characters, 2 segments]\n> "
)
SMS_ASK_AREA = (
    "\nDoorstep: Which city or area? For example: Leeds, Headingley or LS6.\n"
    f"{IN}1 All areas{IN}2 Menu{IN}Reply 1 or 2{IN}[SMS: 91 characters, 1 segment]\n> "
)
SMS_LEEDS = (
    "\nDoorstep: Leeds: homes 1-5 of 6"
    f"{IN}1 £285,000 2 bed flat, Headingley"
    f"{IN}2 £425,000 3 bed semi-detached house, Far Headingley"
    f"{IN}3 £189,950 2 bed terraced house, Hyde Park"
    f"{IN}4 £650,000 4 bed detached house, Roundhay"
    f"{IN}5 £159,000 1 bed flat, City Centre"
    f"{IN}Reply 1-5 for details, 6 more results, 7 new search, 8 menu"
    f"{IN}[SMS: 288 characters, 2 segments]\n> "
)
TURNS = {
    "telegram": [("hi", ASK_ROLE), ("1", ASK_NAME), ("1", WELCOME), ("1", ASK_AREA), ("Leeds", LEEDS)],
    "whatsapp": [
        ("hi", WA_ASK_ROLE),
        ("1", ASK_NAME),
        ("1", WA_WELCOME),
        ("1", ASK_AREA),
        ("Leeds", WA_LEEDS),
    ],
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


async def inbound_rows(platform: EmbeddedPlatform) -> list[InboundMessage]:
    """Every message the demo's webhooks took in, oldest first."""
    engine = create_engine(platform.settings.database_url)
    try:
        async with session_factory(engine)() as session:
            return list(await session.scalars(select(InboundMessage).order_by(InboundMessage.id)))
    finally:
        await engine.dispose()


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


async def typed(chat: TerminalChat, http: ClientSession, out: StringIO, line: str) -> str:
    """What the terminal printed after the line was entered and the bot fell quiet."""
    start = len(out.getvalue())
    await chat.enter(http, line)
    return out.getvalue()[start:]


async def printed(chat: TerminalChat, http: ClientSession, out: StringIO, line: str, messages: int) -> str:
    """Send a line; what was printed after it, once that many messages are (or WAIT_SECONDS passed)."""
    start = len(out.getvalue())
    assert await chat.send(http, line)
    loop = asyncio.get_running_loop()
    deadline = loop.time() + WAIT_SECONDS
    while loop.time() < deadline:
        if out.getvalue()[start:].count("\n> ") >= messages:
            break
        await asyncio.sleep(POLL_SECONDS)
    return out.getvalue()[start:]


async def answered(chat: TerminalChat, http: ClientSession, out: StringIO, line: str, expected: str) -> str:
    """Send a line; what was printed after it, once it reads `expected` (or WAIT_SECONDS passed)."""
    start = len(out.getvalue())
    assert await chat.send(http, line)
    return await printed_after(out, start, expected)


ASK_PHONE = (
    "\nDoorstep: What's your mobile number? I'll send a 6-digit code to confirm it. "
    'Tap "Share my number" below, or type it, for example 07700 900123. '
    "Numbers without + and a country code are read as United Kingdom numbers."
    f"{IN}Keyboard: [1] Share my number (sends your number)\n> "
)
CODE_SENT = (
    "\nDoorstep: I've sent a 6-digit code to +44 7700 900123 by text. Please type it here. "
    f"It works for 5 minutes.{IN}[1] Send a new code  [2] Change number  [3] Menu\n> "
    "\n[text to +447700900123] Your Doorstep code is {code}. It works for 5 minutes. "
    "Never share it: Doorstep will never ask you for it in a call.\n> "
)
FLAT = "14 Cardigan Road, Headingley, Leeds LS6 3AG"
PRIYA = "\n[to seller Priya on Telegram] "
UNDER_PRIYA = "\n" + " " * len(PRIYA.strip("\n"))
SAM = "\n[to buyer Sam on Telegram] "


async def test_a_telegram_buyer_shares_their_number_and_the_demo_seller_confirms_the_viewing(
    tmp_path: Path,
) -> None:
    async with embedded_platform(tmp_path, free_port()) as platform, ClientSession() as http:
        out = StringIO()
        chat = terminal_chat(platform, "telegram", out)
        # Sam turns quiet hours off, so what Doorstep starts reaches them at once at any hour.
        for line in ("hi", "1", "1", "5", "3", "4", "menu", "1", "Leeds"):
            await typed(chat, http, out, line)
        assert (await typed(chat, http, out, "1")).startswith(
            "\nDoorstep: [photo: https://demo.doorstep.homes/photos/ds-lds-001-1.jpg]"
        )
        assert await answered(chat, http, out, "1", ASK_PHONE) == ASK_PHONE

        shared = await printed(chat, http, out, "1", 2)
        [code] = re.findall(r"code is (\d{6})\.", shared)
        assert shared == CODE_SENT.format(code=code)
        days = await printed(chat, http, out, code, 2)
        [day] = re.findall(r"\[1\] (\w{3} \d{1,2} \w{3})", days)
        times = await typed(chat, http, out, "1")
        [hour] = re.findall(r"\[1\] (\d\d:\d\d)", times)
        await typed(chat, http, out, "1")
        await typed(chat, http, out, "1")
        when = f"{day}, {hour}"
        requested = (
            f"\nDoorstep: Request sent: {when} at {FLAT}. I'll tell you as soon as the seller answers."
            f"{IN}[1] Find a home  [2] My viewings  [3] My offers  [4] Messages  [5] Settings  [6] Help\n> "
            f"{PRIYA}Viewing request from Sam: {when} at {FLAT}, 1 person."
            f"{UNDER_PRIYA}Can you show the home then?"
            f"{UNDER_PRIYA}[1] Confirm  [2] Decline  [3] Propose other time\n> "
        )
        assert await answered(chat, http, out, "1", requested) == requested

        assert await typed(chat, http, out, "/as priya") == "(You are now Priya, seller, on Telegram.)\n> "
        confirmed = await printed(chat, http, out, "1", 5)
        calendar = re.findall(r"\[document: viewing\.ics \(text/calendar, (\d+) bytes\)\]", confirmed)
        assert len(calendar) == 2
        assert confirmed == (
            f"\nDoorstep: Confirmed: Sam views {FLAT} on {when}. I've told them.\n> "
            f"\nDoorstep: [document: viewing.ics (text/calendar, {calendar[0]} bytes)]\n> "
            "\nDoorstep: Your upcoming viewings:"
            f"{IN}1. {when}, 14 Cardigan Road with Sam (confirmed){IN}[1] Viewing 1  [2] Menu\n> "
            f"{SAM}Your viewing is confirmed: {when} at {FLAT}, 1 person. "
            "I'll remind you the day before and an hour before.\n> "
            f"{SAM}[document: viewing.ics (text/calendar, {calendar[1]} bytes)]\n> "
        )
        assert await typed(chat, http, out, "/as Sam") == "(You are now Sam, buyer, on Telegram.)\n> "
        assert chat.me.name == "Sam"
        assert provider_failures(platform) == []
        [contact] = [
            row for row in await inbound_rows(platform) if row.message.get("contact_phone") is not None
        ]
        assert (contact.message["address"], contact.message["contact_phone"]) == ("4242", "447700900123")


HOUSE = "7 Weetwood Lane, Far Headingley, Leeds LS16 5NP"
TOM = "\n[to seller Tom on SMS] "
UNDER_TOM = "\n" + " " * len(TOM.strip("\n"))
SAM_WA = "\n[to buyer Sam on WhatsApp] "
UNDER_SAM_WA = "\n" + " " * len(SAM_WA.strip("\n"))
WA_MENU = (
    f"{IN}Options list: [1] Find a home  [2] My viewings  [3] My offers  [4] Messages  [5] Settings  [6] Help"
)


async def test_a_whatsapp_buyer_books_and_offers_and_the_demo_seller_answers_by_sms(tmp_path: Path) -> None:
    async with embedded_platform(tmp_path, free_port()) as platform, ClientSession() as http:
        out = StringIO()
        chat = terminal_chat(platform, "whatsapp", out)
        # Sam turns quiet hours off, so what Doorstep starts reaches them at once at any hour.
        for line in ("hi", "1", "1", "5", "3", "4", "menu", "1", "Far Headingley", "1"):
            await typed(chat, http, out, line)
        days = await typed(chat, http, out, "1")
        [day] = re.findall(r"\[1\] (\w{3} \d{1,2} \w{3})", days)
        [hour] = re.findall(r"\[1\] (\d\d:\d\d)", await typed(chat, http, out, "1"))
        await typed(chat, http, out, "1")
        await typed(chat, http, out, "1")
        booked = await printed(chat, http, out, "1", 3)
        [url] = re.findall(r"\(text/calendar\): (http://127\.0\.0\.1:\d+/calendar/[\w-]+\.ics)\]", booked)
        name = url.rsplit("/", 1)[1]
        when = f"{day}, {hour}"
        assert booked == (
            f"\nDoorstep: [document: {name} (text/calendar): {url}]"
            f"{IN}Your viewing is confirmed: {when} at {HOUSE}, 1 person. "
            "I'll remind you the day before and an hour before.\n"
            f"{IN}Add it to your calendar: {url}\n> "
            f"\nDoorstep: Choose an option:{WA_MENU}\n> "
            f"{TOM}New viewing booked: Sam, {when} at {HOUSE}, 1 person.\n"
            f"{UNDER_TOM}Add it to your calendar: {url}"
            f"{UNDER_TOM}[SMS: {114 + len(when) + len(url)} characters, 2 segments]\n> "
        )

        for line in ("1", "Far Headingley", "1", "2", "400k", "1", "4", "1"):
            await typed(chat, http, out, line)
        sent = await printed(chat, http, out, "1", 2)
        [deadline] = re.findall(r"until (\w{3} \d{1,2} \w{3}, \d\d:\d\d) to answer", sent)
        offer = (
            f"New offer from Sam on {HOUSE}:{UNDER_TOM}£400,000 (94.1% of the asking price of £425,000)"
            f"{UNDER_TOM}Buying position: first-time buyer{UNDER_TOM}Completion: flexible\n"
            f"{UNDER_TOM}Please answer by {deadline}.\n"
            f"{UNDER_TOM}1 Accept{UNDER_TOM}2 Reject{UNDER_TOM}3 Counter{UNDER_TOM}Reply 1-3"
        )
        assert sent.endswith(
            f"{TOM}{offer}{UNDER_TOM}[SMS: {233 + len(deadline)} characters, 2 segments]\n> "
        )

        assert await typed(chat, http, out, "/as tom") == "(You are now Tom, seller, on SMS.)\n> "
        accepted = await printed(chat, http, out, "1", 2)
        assert accepted.startswith(
            f"\nDoorstep: Offer accepted: Sam is buying {HOUSE} for £400,000, subject to contract. "
            f"The listing is now under offer.\n{IN}The buyer: Sam, +44 7700 900123\n"
        )
        assert accepted.endswith(
            f"{SAM_WA}Offer accepted! You are buying {HOUSE} for £400,000, subject to contract. "
            f"The home is now under offer to you.\n{UNDER_SAM_WA}"
            "The seller's side: Tom Barker, +44 7700 900202\n"
            f"{UNDER_SAM_WA}Next steps: instruct a solicitor or conveyancer and give them the seller's "
            "details; if you need a mortgage, send your lender the agreed price; book a survey.\n> "
        )
        assert provider_failures(platform) == []


def test_the_demo_prints_what_one_needs_to_use_it_without_the_terminal(tmp_path: Path) -> None:
    settings = demo_settings(tmp_path, 8080)
    secret = settings.telegram_webhook_secret
    assert secret is not None and len(secret.get_secret_value()) >= 24

    assert connection_notes(settings) == (
        "Telegram: POST http://127.0.0.1:8080/webhooks/telegram with the header "
        f"X-Telegram-Bot-Api-Secret-Token: {secret.get_secret_value()}\n"
        "  the bot's answers: GET http://127.0.0.1:8080/sim/telegram/sent?chat_id=CHAT_ID\n"
        "Twilio: account SID ACd00257e9d00257e9d00257e9d00257e9, auth token doorstep-demo-twilio-auth-token\n"
        "  SMS to +447700900001: POST http://127.0.0.1:8080/webhooks/twilio/sms "
        "(signed with the auth token)\n"
        "  WhatsApp to +447700900002: POST http://127.0.0.1:8080/webhooks/twilio/whatsapp (signed likewise)\n"
        "  the bot's messages: GET http://127.0.0.1:8080/sim/twilio/sent?to=NUMBER"
    )
    assert demo_settings(tmp_path, 8080).telegram_webhook_secret != secret


async def test_without_the_terminal_a_webhook_update_is_answered_and_readable_at_sent(tmp_path: Path) -> None:
    port = free_port()
    async with embedded_platform(tmp_path, port) as platform, ClientSession() as http:
        secret = platform.settings.telegram_webhook_secret
        assert secret is not None
        update = TelegramUser(user_id=777, first_name="Ada").says("hi")
        headers = {"X-Telegram-Bot-Api-Secret-Token": secret.get_secret_value()}
        base = f"http://127.0.0.1:{port}"
        async with http.post(f"{base}/webhooks/telegram", json=update, headers=headers) as response:
            assert response.status == 200
        sent: list[dict[str, object]] = []
        for _ in range(int(WAIT_SECONDS / POLL_SECONDS)):
            async with http.get(f"{base}/sim/telegram/sent", params={"chat_id": "777"}) as response:
                sent = await response.json()
            if sent:
                break
            await asyncio.sleep(POLL_SECONDS)
    [answer] = sent
    assert answer["method"] == "sendMessage"
    assert answer["params"]["text"] == (  # type: ignore[index]
        "Welcome to Doorstep! I help people buy and sell homes, book viewings and make offers, "
        "right here in chat.\n\nWhat brings you here?"
    )
