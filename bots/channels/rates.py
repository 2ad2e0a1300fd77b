"""Each provider's documented sending limits, as token-bucket rates the outbound throttle holds them to."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Final

TELEGRAM_BOT_RATE: Final = 30.0
TELEGRAM_CHAT_RATE: Final = 1.0
SMS_BURST_SEGMENTS: Final = 4
"""An SMS sender's bucket holds 4 segments: acquire's cost is the segment count and can never exceed the
burst, so the burst is the longest SMS a sender can ever send; 4 leaves room over fit_sms's default 2."""


@dataclass(frozen=True)
class Rate:
    """A token bucket: refills `per_second` tokens each second, holding at most `burst`."""

    per_second: float
    burst: int

    def __post_init__(self) -> None:
        if self.per_second <= 0 or self.burst < 1:
            raise ValueError(f"a rate needs per_second > 0 and burst >= 1, not {self}")


def telegram_bot_bucket(bot_id: int) -> str:
    """The bucket of everything a bot sends; pause it when Telegram answers 429."""
    return f"telegram:bot:{bot_id}"


def telegram_buckets(bot_id: int, chat_id: str) -> list[tuple[str, Rate]]:
    """Telegram's documented limits: 30 messages a second per bot, and 1 a second to any one chat."""
    return [
        (telegram_bot_bucket(bot_id), Rate(TELEGRAM_BOT_RATE, int(TELEGRAM_BOT_RATE))),
        (f"telegram:chat:{bot_id}:{chat_id}", Rate(TELEGRAM_CHAT_RATE, 1)),
    ]


def twilio_buckets(
    sender: str, channel: str, sms_rate: float = 1.0, whatsapp_rate: float = 10.0
) -> list[tuple[str, Rate]]:
    """A Twilio sender's bucket: SMS counted in segments (1 a second), WhatsApp in messages (10 a second)."""
    if channel == "sms":
        return [(f"twilio:sms:{sender}", Rate(sms_rate, max(SMS_BURST_SEGMENTS, math.ceil(sms_rate))))]
    if channel == "whatsapp":
        return [(f"twilio:whatsapp:{sender}", Rate(whatsapp_rate, max(1, math.ceil(whatsapp_rate))))]
    raise ValueError(f"no Twilio rate for channel {channel!r}")
