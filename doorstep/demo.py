"""The embedded mode: SQLite, in-process Redis and worker, a stand-in Telegram, and a terminal chat."""

from __future__ import annotations

import asyncio
import logging
import secrets
from pathlib import Path

from aiohttp import web

from doorstep.bootstrap import build_runtime, web_app
from doorstep.database import migrate, seed
from doorstep.settings import MEMORY_REDIS_URL, Settings, load_settings
from doorstep.simulator.telegram_api import TelegramApiEmulator
from doorstep.simulator.telegram_user import TelegramUser
from doorstep.simulator.terminal import TerminalChat
from jobs import context
from jobs.worker import EmbeddedWorker

log = logging.getLogger(__name__)
DEMO_TOKEN = "100000001:DEMO-doorstep-embedded-bot-token"
SIMULATED_TELEGRAM = "/sim/telegram"


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
        }
    )


async def run_demo(data_dir: Path, port: int, *, chat: bool) -> None:
    """Serve the platform on 127.0.0.1:`port`; with `chat`, talk to it from this terminal until Ctrl-D."""
    settings = demo_settings(data_dir, port)
    await asyncio.to_thread(migrate, settings.database_url)
    added = await seed(settings.database_url)
    runtime = build_runtime(settings)
    context.install(runtime)
    emulator = TelegramApiEmulator([DEMO_TOKEN])
    app = web_app(runtime)
    app.add_subapp(SIMULATED_TELEGRAM, emulator.make_app())
    runner = web.AppRunner(app)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    worker = EmbeddedWorker(runtime.queues)
    worker.start()
    print(f"Doorstep is running on {settings.public_base_url}, data in {data_dir} ({added} listings added).")
    try:
        if chat:
            terminal = TerminalChat(
                TelegramUser(user_id=4242, first_name="Sam"),
                f"{settings.public_base_url}/webhooks/telegram",
                settings.telegram_webhook_secret.get_secret_value(),
            )
            emulator.add_listener(terminal.show)
            await terminal.run()
        else:
            await asyncio.Event().wait()
    finally:
        worker.stop()
        await runner.cleanup()
