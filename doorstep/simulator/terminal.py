"""Chat with the bot from a terminal: you are a Telegram user; the bot's messages are printed."""

from __future__ import annotations

import asyncio
import html
import re
import sys
from typing import Any, TextIO

from aiohttp import ClientSession

from doorstep.simulator.telegram_api import ApiCall
from doorstep.simulator.telegram_user import TelegramUser

_TAG = re.compile(r"<[^>]+>")
HELP = "Type a message and press Enter. Type a button's number to tap it. Ctrl-D or /quit ends the demo."


class TerminalChat:
    """Prints what the bot sends to one chat and turns typed lines into webhook updates."""

    def __init__(self, user: TelegramUser, webhook_url: str, secret: str, out: TextIO = sys.stdout) -> None:
        self._user, self._url, self._secret, self._out = user, webhook_url, secret, out
        self._buttons: list[tuple[str, str, int]] = []

    def show(self, call: ApiCall) -> None:
        """Listener for the Telegram emulator: print a message addressed to our user."""
        params = call.params
        if call.method not in ("sendMessage", "sendPhoto") or params.get("chat_id") != self._user.user_id:
            return
        lines = []
        if call.method == "sendPhoto":
            lines.append(f"[photo: {params.get('photo')}]")
        lines.append(html.unescape(_TAG.sub("", str(params.get("text") or params.get("caption") or ""))))
        keyboard = (params.get("reply_markup") or {}).get("inline_keyboard") or []
        buttons = [button for row in keyboard for button in row]
        if buttons:
            message_id = len(self._buttons) + 1
            self._buttons = [(b["text"], b["callback_data"], message_id) for b in buttons]
            lines.append("  ".join(f"[{n}] {b['text']}" for n, b in enumerate(buttons, 1)))
        self._out.write("\nDoorstep: " + "\n          ".join("\n".join(lines).split("\n")) + "\n> ")
        self._out.flush()

    async def run(self) -> None:
        """Read lines until end of input, posting each as a message or a button tap."""
        self._out.write(HELP + "\n")
        async with ClientSession() as http:
            await self._post(http, self._user.says("/start"))
            while True:
                line = await asyncio.to_thread(sys.stdin.readline)
                if not line or line.strip() == "/quit":
                    return
                if line.strip():
                    await self._post(http, self._update_for(line.strip()))

    def _update_for(self, text: str) -> dict[str, Any]:
        if text.isdigit() and 1 <= int(text) <= len(self._buttons):
            _label, data, message_id = self._buttons[int(text) - 1]
            return self._user.taps(data, message_id)
        return self._user.says(text)

    async def _post(self, http: ClientSession, update: dict[str, Any]) -> None:
        headers = {"X-Telegram-Bot-Api-Secret-Token": self._secret}
        async with http.post(self._url, json=update, headers=headers) as response:
            if response.status != 200:
                self._out.write(f"(webhook answered {response.status}: {await response.text()})\n")
