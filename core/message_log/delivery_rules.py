"""Rules every delivery obeys: opt-outs, unreachable addresses, and WhatsApp's 24-hour window."""

from __future__ import annotations

from datetime import datetime, timedelta

WHATSAPP_WINDOW = timedelta(hours=24)
# The only answers an unsubscribed address still gets: the confirmation of STOP, and the reply to HELP.
SENT_WHEN_OPTED_OUT = frozenset({"optout.confirmed", "optout.help"})


def refusal(
    kind: str, opted_out_at: datetime | None, unreachable_at: datetime | None, unreachable_reason: str | None
) -> str | None:
    """Why a message of `kind` must not go to this address, or None when it may."""
    if opted_out_at is not None and kind not in SENT_WHEN_OPTED_OUT:
        return "the recipient opted out (STOP) on this channel"
    if unreachable_at is not None:
        return f"recipient unreachable: {unreachable_reason}"
    return None


def whatsapp_window_open(last_inbound_at: datetime | None, now: datetime) -> bool:
    """True while free-form WhatsApp messages are allowed: within 24 hours of the person's last message."""
    return last_inbound_at is not None and now - last_inbound_at < WHATSAPP_WINDOW


UNREACHABLE_CODES = frozenset({"21211", "21612", "21614", "30005", "30006", "63003", "63024"})
OPTED_OUT_CODES = frozenset({"21610"})
_PROVIDER_STATUS = {
    "accepted": "sent",
    "queued": "sent",
    "sending": "sent",
    "sent": "sent",
    "delivered": "delivered",
    "read": "read",
    "undelivered": "undeliverable",
    "failed": "failed",
}
_RANK = {"pending": 0, "sending": 1, "sent": 2, "delivered": 3, "read": 4, "undeliverable": 5, "failed": 5}


def advance(current: str, reported: str) -> str | None:
    """The outbox status a provider's report moves a row to, or None when it would move it backwards."""
    target = _PROVIDER_STATUS.get(reported.lower())
    if target is None or _RANK[target] <= _RANK.get(current, 0):
        return None
    if _RANK[current] >= _RANK["delivered"] and target in ("failed", "undeliverable"):
        return None
    return target
