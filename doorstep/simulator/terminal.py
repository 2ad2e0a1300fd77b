"""Chat with the bot from a terminal on any channel: typed lines go in, the bot's messages are printed."""

from __future__ import annotations

import asyncio
import html
import re
import sys
from dataclasses import dataclass
from typing import Any, Protocol, TextIO

from aiohttp import ClientSession

from doorstep.simulator.telegram_api import ApiCall
from doorstep.simulator.telegram_user import TelegramUser

_TAG = re.compile(r"<[^>]+>")
HELP = "Type a message and press Enter. Type a button's number to tap it. Ctrl-D or /quit ends the demo."
REPLY_TIMEOUT = 10.0
QUIET_SECONDS = 1.5
POLL_SECONDS = 0.05
INDENT = " " * len("Doorstep: ")


@dataclass(frozen=True)
class Option:
    """A button or list item the bot offered: its title, its data, and where it was offered."""

    title: str
    data: str
    where: int | str = ""  # the Telegram message id, or "button" / "list" on WhatsApp


@dataclass(frozen=True)
class Shown:
    """One bot message as the terminal prints it: text, then its options numbered from 1."""

    text: str
    options: tuple[Option, ...] = ()

    def render(self) -> str:
        """The message as printed, options as "[1] Title  [2] Title" under the text."""
        lines = self.text.split("\n")
        if self.options:
            lines.append("  ".join(f"[{n}] {option.title}" for n, option in enumerate(self.options, 1)))
        first, *rest = lines
        return "\nDoorstep: " + "\n".join([first, *(INDENT + line if line else "" for line in rest)]) + "\n> "


class ChatChannel(Protocol):
    """One channel as the terminal user sees it: how lines reach the bot and how its messages look."""

    opening: str

    def shown(self, call: Any) -> Shown | None:
        """The message in an emulator call when it is addressed to our user, else None."""
        ...

    async def send(self, http: ClientSession, text: str, option: Option | None) -> str | None:
        """Post a typed line, or the tap of `option`, to the webhook; an error text when it is refused."""
        ...


class TelegramChat:
    """The terminal user as a Telegram user: updates to /webhooks/telegram, sendMessage/sendPhoto back."""

    opening = "/start"

    def __init__(self, user: TelegramUser, webhook_url: str, secret: str) -> None:
        self._user, self._url, self._secret = user, webhook_url, secret
        self._messages = 0

    def shown(self, call: ApiCall) -> Shown | None:
        """A sendMessage or sendPhoto to our chat, with its inline keyboard as options."""
        params = call.params
        if call.method not in ("sendMessage", "sendPhoto") or params.get("chat_id") != self._user.user_id:
            return None
        self._messages += 1
        photo = [f"[photo: {params['photo']}]"] if call.method == "sendPhoto" else []
        text = html.unescape(_TAG.sub("", str(params.get("text") or params.get("caption") or "")))
        keyboard = (params.get("reply_markup") or {}).get("inline_keyboard") or []
        options = tuple(
            Option(button["text"], button["callback_data"], self._messages)
            for row in keyboard
            for button in row
        )
        return Shown("\n".join([*photo, text]), options)

    async def send(self, http: ClientSession, text: str, option: Option | None) -> str | None:
        """Post a message update, or a callback query for a tapped button."""
        if option is None:
            update = self._user.says(text)
        else:
            update = self._user.taps(option.data, int(option.where))
        headers = {"X-Telegram-Bot-Api-Secret-Token": self._secret}
        async with http.post(self._url, json=update, headers=headers) as response:
            if response.status == 200:
                return None
            return f"webhook answered {response.status}: {await response.text()}"


class PhoneTexts:
    """Texts the bot sends to the demo user's phone while they chat elsewhere (a one-time code)."""

    def __init__(self, phone: str, out: TextIO) -> None:
        self._phone, self._out = phone, out

    def show(self, call: Any) -> None:
        """Emulator listener: print an SMS to the phone, marked as arriving there."""
        params = getattr(call, "params", {})
        if getattr(call, "failed_status", None) is None and params.get("To") == self._phone:
            self._out.write(f"\n[text to {self._phone}] {params.get('Body', '')}\n> ")
            self._out.flush()


class TerminalChat:
    """Prints what the bot sends to one user and turns typed lines into that channel's webhook requests."""

    def __init__(self, channel: ChatChannel, out: TextIO = sys.stdout, lines: TextIO = sys.stdin) -> None:
        self._channel, self._out, self._in = channel, out, lines
        self._options: tuple[Option, ...] = ()
        self._shown, self._last_shown_at = 0, 0.0

    def show(self, call: Any) -> None:
        """Emulator listener: print a message addressed to our user and remember its options."""
        shown = self._channel.shown(call)
        if shown is None:
            return
        if shown.options:
            self._options = shown.options
        self._shown, self._last_shown_at = self._shown + 1, asyncio.get_running_loop().time()
        self._out.write(shown.render())
        self._out.flush()

    async def run(self) -> None:
        """Open the chat, then read lines until end of input, waiting for the bot's answer to each."""
        self._out.write(HELP + "\n")
        async with ClientSession() as http:
            await self.enter(http, self._channel.opening)
            while True:
                line = await asyncio.to_thread(self._in.readline)
                if not line or line.strip() == "/quit":
                    return
                if line.strip():
                    await self.enter(http, line.strip())

    async def enter(self, http: ClientSession, line: str) -> None:
        """Send a line and wait, bounded, for the bot to answer, so that the next line sees its options."""
        seen = self._shown
        if await self.send(http, line):
            await self._settle(seen)

    async def send(self, http: ClientSession, line: str) -> bool:
        """Send one typed line, a number tapping that option; False (and the error printed) if refused."""
        number = int(line) if line.isdigit() else 0
        option = self._options[number - 1] if 1 <= number <= len(self._options) else None
        error = await self._channel.send(http, line, option)
        if error is not None:
            self._out.write(f"({error})\n")
        return error is None

    async def _settle(self, seen: int) -> None:
        """Wait until a reply is printed and the bot has been quiet a moment, or REPLY_TIMEOUT passed."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + REPLY_TIMEOUT
        while loop.time() < deadline:
            if self._shown > seen and loop.time() - self._last_shown_at >= QUIET_SECONDS:
                return
            await asyncio.sleep(POLL_SECONDS)
