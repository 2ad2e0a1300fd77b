"""The embedded mode: SQLite, in-process Redis and worker, stand-in Telegram and Twilio, a terminal chat."""

from __future__ import annotations

import asyncio
import logging
import secrets
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from aiohttp import web

from core.people.model import Channel
from doorstep.bootstrap import build_runtime, web_app
from doorstep.database import migrate, seed
from doorstep.seed_people import DEMO_PEOPLE, DemoPerson
from doorstep.settings import MEMORY_REDIS_URL, Settings, load_settings
from doorstep.simulator.telegram_api import TelegramApiEmulator
from doorstep.simulator.telegram_user import TelegramChat, TelegramUser
from doorstep.simulator.terminal import ChatChannel, Persona, PhoneTexts, TerminalChat
from doorstep.simulator.twilio_api import TwilioApiEmulator
from doorstep.simulator.twilio_user import TwilioChat, TwilioUser
from jobs import context
from jobs.worker import EmbeddedWorker

log = logging.getLogger(__name__)
DEMO_TOKEN = "100000001:DEMO-doorstep-embedded-bot-token"
DEMO_ACCOUNT_SID = "AC" + "d00257e9" * 4
DEMO_AUTH_TOKEN = "doorstep-demo-twilio-auth-token"
DEMO_SMS_FROM = "+447700900001"
DEMO_WHATSAPP_FROM = "+447700900002"
DEMO_PHONE = "+447700900123"
DEMO_TELEGRAM_ID = 4242
DEMO_NAME = "Sam"
SIMULATED_TELEGRAM = "/sim/telegram"
SIMULATED_TWILIO = "/sim/twilio"
CHANNELS = ("telegram", "sms", "whatsapp")
CHANNEL_NAMES = {"telegram": "Telegram", "sms": "SMS", "whatsapp": "WhatsApp"}
WORKER_STOP_SECONDS = 10.0


@dataclass(frozen=True)
class EmbeddedPlatform:
    """The running embedded platform: its settings and the stand-in providers it talks to."""

    settings: Settings
    telegram: TelegramApiEmulator
    twilio: TwilioApiEmulator
    listings_added: int


def demo_settings(data_dir: Path, port: int) -> Settings:
    """Settings of the embedded mode: only the connections differ from production."""
    base = f"http://127.0.0.1:{port}"
    return load_settings(
        {
            "DATABASE_URL": f"sqlite+aiosqlite:///{(data_dir / 'doorstep.db').resolve()}",
            "REDIS_URL": MEMORY_REDIS_URL,
            "PUBLIC_BASE_URL": base,
            "TELEGRAM_BOT_TOKEN": DEMO_TOKEN,
            "TELEGRAM_WEBHOOK_SECRET": secrets.token_urlsafe(24),
            "TELEGRAM_API_BASE_URL": base + SIMULATED_TELEGRAM,
            "TWILIO_ACCOUNT_SID": DEMO_ACCOUNT_SID,
            "TWILIO_AUTH_TOKEN": DEMO_AUTH_TOKEN,
            "TWILIO_SMS_FROM": DEMO_SMS_FROM,
            "TWILIO_WHATSAPP_FROM": DEMO_WHATSAPP_FROM,
            "TWILIO_API_BASE_URL": base + SIMULATED_TWILIO,
            "OTP_SECRET": secrets.token_hex(32),
        }
    )


@asynccontextmanager
async def embedded_platform(data_dir: Path, port: int) -> AsyncIterator[EmbeddedPlatform]:
    """Serve the platform and the stand-in providers on 127.0.0.1:`port` with a worker thread, then stop."""
    settings = demo_settings(data_dir, port)
    await asyncio.to_thread(migrate, settings.database_url)
    added = await seed(settings.database_url)
    runtime = build_runtime(settings)
    context.install(runtime)
    telegram = TelegramApiEmulator([DEMO_TOKEN])
    twilio = TwilioApiEmulator(DEMO_ACCOUNT_SID, DEMO_AUTH_TOKEN)
    app = web_app(runtime)
    app.add_subapp(SIMULATED_TELEGRAM, telegram.make_app())
    app.add_subapp(SIMULATED_TWILIO, twilio.make_app())
    runner = web.AppRunner(app)
    await runner.setup()
    worker = EmbeddedWorker(runtime.queues)
    try:
        await web.TCPSite(runner, "127.0.0.1", port).start()
        worker.start()
        yield EmbeddedPlatform(settings, telegram, twilio, added)
    finally:
        worker.stop()
        if worker.is_alive():
            await asyncio.to_thread(worker.join, WORKER_STOP_SECONDS)
        await runner.cleanup()


def terminal_chat(platform: EmbeddedPlatform, channel: str, out: TextIO = sys.stdout) -> TerminalChat:
    """A terminal chat as the demo user on `channel`, who can switch to being a demo seller or broker."""
    if channel not in CHANNELS:
        raise ValueError(f"unknown channel {channel!r}; choose one of {', '.join(CHANNELS)}")
    sam = Persona(DEMO_NAME.lower(), DEMO_NAME, "buyer", CHANNEL_NAMES[channel], _chat(platform, channel))
    hosts = [
        Persona(p.key, p.first_name, p.role, CHANNEL_NAMES[p.channel], _host_chat(platform, p))
        for p in DEMO_PEOPLE
    ]
    chat = TerminalChat([sam, *hosts], out)
    platform.telegram.add_listener(chat.show)
    platform.twilio.add_listener(chat.show)
    if channel == "telegram":
        platform.twilio.add_listener(PhoneTexts(DEMO_PHONE, out).show)
    return chat


def _chat(platform: EmbeddedPlatform, channel: str) -> ChatChannel:
    """The demo user's own chat on `channel`, under their phone number on SMS and WhatsApp."""
    if channel == "telegram":
        user = TelegramUser(user_id=DEMO_TELEGRAM_ID, first_name=DEMO_NAME)
        return _telegram_chat(platform, user, DEMO_PHONE)
    return _twilio_chat(platform, DEMO_PHONE, DEMO_NAME, whatsapp=channel == "whatsapp")


def _host_chat(platform: EmbeddedPlatform, person: DemoPerson) -> ChatChannel:
    """A demo seller's or broker's chat, on the channel the seed gave them."""
    if person.channel == Channel.TELEGRAM:
        user = TelegramUser(user_id=int(person.address), first_name=person.first_name)
        return _telegram_chat(platform, user, person.phone)
    whatsapp = person.channel == Channel.WHATSAPP
    return _twilio_chat(platform, person.phone, person.first_name, whatsapp=whatsapp)


def _telegram_chat(platform: EmbeddedPlatform, user: TelegramUser, phone: str) -> TelegramChat:
    settings = platform.settings
    secret = settings.telegram_webhook_secret
    assert secret is not None
    url = f"{settings.public_base_url}/webhooks/telegram"
    return TelegramChat(user, url, secret.get_secret_value(), phone)


def _twilio_chat(platform: EmbeddedPlatform, phone: str, name: str, *, whatsapp: bool) -> TwilioChat:
    user = TwilioUser(
        phone=phone,
        bot_number=DEMO_WHATSAPP_FROM if whatsapp else DEMO_SMS_FROM,
        whatsapp=whatsapp,
        account_sid=DEMO_ACCOUNT_SID,
        auth_token=DEMO_AUTH_TOKEN,
        public_base_url=platform.settings.public_base_url,
        profile_name=name,
    )
    return TwilioChat(user, platform.twilio)


def connection_notes(settings: Settings) -> str:
    """What one needs to talk to the demo without the terminal: URLs, the webhook secret, Twilio's keys."""
    base = settings.public_base_url
    secret = settings.telegram_webhook_secret
    assert secret is not None
    return "\n".join(
        [
            f"Telegram: POST {base}/webhooks/telegram with the header "
            f"X-Telegram-Bot-Api-Secret-Token: {secret.get_secret_value()}",
            f"  the bot's answers: GET {base}{SIMULATED_TELEGRAM}/sent?chat_id=CHAT_ID",
            f"Twilio: account SID {DEMO_ACCOUNT_SID}, auth token {DEMO_AUTH_TOKEN}",
            f"  SMS to {DEMO_SMS_FROM}: POST {base}/webhooks/twilio/sms (signed with the auth token)",
            f"  WhatsApp to {DEMO_WHATSAPP_FROM}: POST {base}/webhooks/twilio/whatsapp (signed likewise)",
            f"  the bot's messages: GET {base}{SIMULATED_TWILIO}/sent?to=NUMBER",
        ]
    )


async def run_demo(data_dir: Path, port: int, *, chat: bool, channel: str = "telegram") -> None:
    """Serve the platform on 127.0.0.1:`port`; with `chat`, talk to it on `channel` until Ctrl-D."""
    async with embedded_platform(data_dir, port) as platform:
        print(
            f"Doorstep is running on {platform.settings.public_base_url}, data in {data_dir} "
            f"({platform.listings_added} listings added)."
        )
        print(connection_notes(platform.settings), flush=True)
        if chat:
            print(f"You are chatting on {channel}.")
            await terminal_chat(platform, channel).run()
        else:
            await asyncio.Event().wait()
