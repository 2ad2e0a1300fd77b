"""A pretend Telegram user: the Updates Telegram would post for them, and their chat in the terminal."""

from __future__ import annotations

import html
import itertools
import re
import time
from dataclasses import dataclass, field
from typing import Any

from aiohttp import ClientSession

from doorstep.simulator.telegram_api import ApiCall
from doorstep.simulator.terminal import Option, Shown

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
KEYBOARD_LABEL = "Keyboard"
_TAG = re.compile(r"<[^>]+>")
_SENT_TO_CHAT = ("sendMessage", "sendPhoto", "sendDocument")
# Telegram numbers updates per bot, not per chat: every user of the one demo bot shares this sequence.
_BOT_UPDATE_IDS = itertools.count(int(time.time()) % 10**6)


@dataclass
class TelegramUser:
    """One person in a private chat with the bot; each call returns the next Update as a dict."""

    user_id: int
    first_name: str
    language_code: str = "en"
    _update_ids: itertools.count[int] = field(default_factory=lambda: _BOT_UPDATE_IDS)
    _message_ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    def _user(self) -> dict[str, Any]:
        return {
            "id": self.user_id,
            "is_bot": False,
            "first_name": self.first_name,
            "language_code": self.language_code,
        }

    def _chat(self) -> dict[str, Any]:
        return {"id": self.user_id, "type": "private", "first_name": self.first_name}

    def _message_update(self, **content: Any) -> dict[str, Any]:
        """The update for a new message from this user with `content` (its text, contact, entities)."""
        message = {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": self._chat(),
            "from": self._user(),
            **content,
        }
        return {"update_id": next(self._update_ids), "message": message}

    def says(self, text: str) -> dict[str, Any]:
        """The update for a text message (commands such as /start included)."""
        if not text.startswith("/"):
            return self._message_update(text=text)
        command = {"type": "bot_command", "offset": 0, "length": len(text.split()[0])}
        return self._message_update(text=text, entities=[command])

    def shares_contact(self, phone_number: str) -> dict[str, Any]:
        """The update for tapping a "share my number" keyboard button: their own contact card."""
        contact = {"phone_number": phone_number, "first_name": self.first_name, "user_id": self.user_id}
        return self._message_update(contact=contact)

    def taps(self, callback_data: str, message_id: int) -> dict[str, Any]:
        """The update for tapping an inline button under the bot's message `message_id`."""
        bot_message = {
            "message_id": message_id,
            "date": int(time.time()),
            "chat": self._chat(),
            "from": {"id": 1, "is_bot": True, "first_name": "Doorstep"},
            "text": "…",
        }
        query = {
            "id": f"{self.user_id}{next(self._message_ids)}",
            "from": self._user(),
            "message": bot_message,
            "chat_instance": str(self.user_id),
            "data": callback_data,
        }
        return {"update_id": next(self._update_ids), "callback_query": query}


class TelegramChat:
    """One Telegram user at the terminal: updates to /webhooks/telegram, the bot's messages to them shown."""

    opening = "/start"

    def __init__(self, user: TelegramUser, webhook_url: str, secret: str, phone: str | None = None) -> None:
        self._user, self._url, self._secret, self._phone = user, webhook_url, secret, phone
        self._messages = 0

    def shown(self, call: Any) -> Shown | None:
        """A message, photo or document sent to this chat, with its inline or reply keyboard as options."""
        if not isinstance(call, ApiCall) or call.method not in _SENT_TO_CHAT:
            return None
        params = call.params
        if params.get("chat_id") != self._user.user_id:
            return None
        self._messages += 1
        text = html.unescape(_TAG.sub("", str(params.get("text") or params.get("caption") or "")))
        parts = [*_attachment(call.method, params), *([text] if text else [])]
        markup = params.get("reply_markup") or {}
        if "keyboard" in markup:
            options = tuple(_keyboard_option(button) for row in markup["keyboard"] for button in row)
            return Shown("\n".join(parts), options, KEYBOARD_LABEL)
        options = tuple(
            Option(button["text"], button["callback_data"], self._messages)
            for row in markup.get("inline_keyboard") or []
            for button in row
        )
        return Shown("\n".join(parts), options)

    async def send(self, http: ClientSession, text: str, option: Option | None) -> str | None:
        """Post a message update, a callback query for a tapped button, or the shared contact."""
        if option is None or option.where == "keyboard":
            update = self._user.says(option.title if option else text)
        elif option.where == "contact":
            update = self._user.shares_contact((self._phone or "").lstrip("+"))
        else:
            update = self._user.taps(option.data, int(option.where))
        async with http.post(self._url, json=update, headers={SECRET_HEADER: self._secret}) as response:
            if response.status == 200:
                return None
            return f"webhook answered {response.status}: {await response.text()}"


def _attachment(method: str, params: dict[str, Any]) -> list[str]:
    """The photo or document line of a sendPhoto or sendDocument, as Telegram's chat shows the file."""
    if method == "sendPhoto":
        return [f"[photo: {params['photo']}]"]
    if method != "sendDocument":
        return []
    document = params.get("document")
    if not isinstance(document, dict):
        return [f"[document: {document}]"]
    size = document.get("size")
    details = [document.get("content_type") or "", f"{size:,} bytes" if isinstance(size, int) else ""]
    return [f"[document: {document.get('file_name') or 'file'} ({', '.join(d for d in details if d)})]"]


def _keyboard_option(button: dict[str, Any]) -> Option:
    """A reply keyboard button: one that shares the contact, or one that sends its own text."""
    if button.get("request_contact"):
        return Option(f"{button['text']} (sends your number)", "", "contact")
    return Option(str(button["text"]), "", "keyboard")
