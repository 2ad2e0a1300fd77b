"""Matching what a person sent against the choices offered: a tap's token, a number, or a label."""

from __future__ import annotations

import base64
import hashlib
import unicodedata
from collections.abc import Mapping, Sequence

from bots.messages import Choice

TOKEN_PREFIX = "c"
RECENT_LIMIT = 60
YES_WORDS = frozenset({"y", "yes", "yeah", "yep", "ok", "okay"})
NO_WORDS = frozenset({"n", "no", "nope"})


def choice_token(choice_id: str) -> str:
    """A short opaque token for a choice id (fits Telegram's 64-byte callback_data with room to spare)."""
    digest = hashlib.blake2b(choice_id.encode(), digest_size=8).digest()
    return TOKEN_PREFIX + base64.b32encode(digest).decode().rstrip("=").lower()


def match_text(text: str, offered: Sequence[Choice]) -> Choice | None:
    """The offered choice a typed reply names: its position, its label in any case, or Y/N to a yes/no."""
    visible = "".join(ch for ch in text if unicodedata.category(ch) != "Cf")  # drop RTL/LTR marks
    cleaned = " ".join(visible.strip().split()).rstrip(".").casefold()
    if cleaned.isdigit() and 1 <= int(cleaned) <= len(offered):
        return offered[int(cleaned) - 1]
    for choice in offered:
        if choice.label.casefold() == cleaned:
            return choice
    answer = "yes" if cleaned in YES_WORDS else "no" if cleaned in NO_WORDS else None
    if answer is not None:
        return next((choice for choice in offered if choice.id.endswith(f":{answer}")), None)
    return None


def remember(recent: Mapping[str, str], choices: Sequence[Choice]) -> dict[str, str]:
    """Add the tokens of newly offered choices to the recent map, keeping only the newest entries."""
    merged = {token: cid for token, cid in recent.items() if cid not in {c.id for c in choices}}
    merged.update({choice_token(c.id): c.id for c in choices})
    return dict(list(merged.items())[-RECENT_LIMIT:])
