"""Chat with the bot from a terminal as one of several people: typed lines go in, every message is printed."""

from __future__ import annotations

import asyncio
import sys
from dataclasses import dataclass, field
from typing import Any, Protocol, TextIO

from aiohttp import ClientSession

HELP = (
    "Type a message and press Enter. Type a button's number to tap it. "
    "/as NAME chats as someone else (/as alone lists who). Ctrl-D or /quit ends the demo."
)
REPLY_TIMEOUT = 10.0
QUIET_SECONDS = 1.5
POLL_SECONDS = 0.05
BOT_HEADER = "Doorstep: "
INDENT = " " * len(BOT_HEADER)
SWITCH = "/as"


@dataclass(frozen=True)
class Option:
    """A button or list item the bot offered: its title, its data, and where it was offered.

    `where` is the Telegram message id of an inline button, "contact" or "keyboard" for a Telegram reply
    keyboard button, or "button" / "list" on WhatsApp.
    """

    title: str
    data: str
    where: int | str = ""


@dataclass(frozen=True)
class Shown:
    """One bot message as the terminal prints it: its parts, then its options numbered from 1.

    `options_label` names where the options sit when it is not plain buttons (a WhatsApp list's button,
    Telegram's reply keyboard); `note` is a last line about the message itself (an SMS's segments).
    """

    text: str
    options: tuple[Option, ...] = ()
    options_label: str = ""
    note: str = ""

    def render(self, header: str = BOT_HEADER) -> str:
        """The message as printed under `header`, options as "[1] Title  [2] Title" under the text."""
        lines = self.text.split("\n")
        if self.options:
            numbered = "  ".join(f"[{n}] {option.title}" for n, option in enumerate(self.options, 1))
            lines.append(f"{self.options_label}: {numbered}" if self.options_label else numbered)
        if self.note:
            lines.append(self.note)
        first, *rest = lines
        indent = " " * len(header)
        return "\n" + header + "\n".join([first, *(indent + line if line else "" for line in rest)]) + "\n> "


class ChatChannel(Protocol):
    """One channel as one terminal person sees it: how lines reach the bot and how its messages look."""

    opening: str

    def shown(self, call: Any) -> Shown | None:
        """The message in an emulator call when it is addressed to this person, else None."""
        ...

    async def send(self, http: ClientSession, text: str, option: Option | None) -> str | None:
        """Post a typed line, or the tap of `option`, to the webhook; an error text when it is refused."""
        ...


@dataclass
class Persona:
    """Someone the terminal user can be: a short key for /as, a name and role, and their chat channel."""

    key: str
    name: str
    role: str
    channel_name: str
    channel: ChatChannel
    options: tuple[Option, ...] = field(default=())

    @property
    def header(self) -> str:
        """How a message to this person is marked while the terminal user is someone else."""
        return f"[to {self.role} {self.name} on {self.channel_name}] "


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
    """Prints what the bot sends to each person and turns typed lines into the current person's requests."""

    def __init__(self, people: list[Persona], out: TextIO = sys.stdout, lines: TextIO = sys.stdin) -> None:
        self._people, self._out, self._in = people, out, lines
        self._me = people[0]
        self._shown, self._last_shown_at = 0, 0.0

    @property
    def me(self) -> Persona:
        """The person the terminal user is now."""
        return self._me

    def show(self, call: Any) -> None:
        """Emulator listener: print a message to any of the people, marked when not to the current one."""
        for person in self._people:
            shown = person.channel.shown(call)
            if shown is None:
                continue
            if shown.options:
                person.options = shown.options
            self._shown, self._last_shown_at = self._shown + 1, asyncio.get_running_loop().time()
            self._out.write(shown.render(BOT_HEADER if person is self._me else person.header))
            self._out.flush()

    async def run(self) -> None:
        """Open the chat, then read lines until end of input, waiting for the bot's answer to each."""
        self._out.write(HELP + "\n")
        async with ClientSession() as http:
            await self.enter(http, self._me.channel.opening)
            while True:
                line = await asyncio.to_thread(self._in.readline)
                if not line or line.strip() == "/quit":
                    return
                if line.strip():
                    await self.enter(http, line.strip())

    async def enter(self, http: ClientSession, line: str) -> None:
        """Send a line and wait, bounded, for the bot to answer, so that the next line sees its options."""
        seen = self._shown
        if not self._switch(line) and await self.send(http, line):
            await self._settle(seen)

    async def send(self, http: ClientSession, line: str) -> bool:
        """Send one typed line as the current person, a number tapping that option; False if refused.

        `/as NAME` switches person instead and sends nothing.
        """
        if self._switch(line):
            return True
        number = int(line) if line.isdigit() else 0
        options = self._me.options
        option = options[number - 1] if 1 <= number <= len(options) else None
        error = await self._me.channel.send(http, line, option)
        if error is not None:
            self._out.write(f"({error})\n")
        return error is None

    def _switch(self, line: str) -> bool:
        """Handle `/as NAME`: become that person, or list who one can be; False for any other line."""
        command, _, name = line.partition(" ")
        if command.lower() != SWITCH:
            return False
        wanted = name.strip().lower()
        found = next((p for p in self._people if wanted in (p.key, p.name.lower())), None)
        if found is None:
            who = ", ".join(f"{p.key} ({p.role} {p.name} on {p.channel_name})" for p in self._people)
            self._out.write(f"(/as NAME: you can be {who})\n> ")
        else:
            self._me = found
            self._out.write(f"(You are now {found.name}, {found.role}, on {found.channel_name}.)\n> ")
        self._out.flush()
        return True

    async def _settle(self, seen: int) -> None:
        """Wait until a reply is printed and the bot has been quiet a moment, or REPLY_TIMEOUT passed."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + REPLY_TIMEOUT
        while loop.time() < deadline:
            if self._shown > seen and loop.time() - self._last_shown_at >= QUIET_SECONDS:
                return
            await asyncio.sleep(POLL_SECONDS)
