"""A pretend Telegram user: builds the Update payloads Telegram would post for their messages and taps."""

from __future__ import annotations

import itertools
import time
from dataclasses import dataclass, field
from typing import Any


@dataclass
class TelegramUser:
    """One person in a private chat with the bot; each call returns the next Update as a dict."""

    user_id: int
    first_name: str
    language_code: str = "en"
    _update_ids: itertools.count[int] = field(
        default_factory=lambda: itertools.count(int(time.time()) % 10**6)
    )
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

    def says(self, text: str) -> dict[str, Any]:
        """The update for a text message (commands such as /start included)."""
        message: dict[str, Any] = {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": self._chat(),
            "from": self._user(),
            "text": text,
        }
        if text.startswith("/"):
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
        return {"update_id": next(self._update_ids), "message": message}

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
