"""Opt-out words: STOP and friends silence a channel until START, as carriers require of SMS."""

from __future__ import annotations

from bots.dialog.registry import Flows
from bots.dialog.turn import Turn
from core.people.model import Channel

SMS_STOP_WORDS = frozenset({"stop", "stopall", "unsubscribe", "cancel", "end", "quit"})
STOP_WORDS = frozenset({"stop", "stopall", "unsubscribe"})
START_WORDS = frozenset({"start", "yes", "unstop"})
HELP_WORDS = frozenset({"help", "info"})


def keyword(text: str | None) -> str:
    """A one-word message as a keyword: "Stop." and " STOP " are both "stop"."""
    return (text or "").strip().strip(".!").casefold()


async def handle_subscription_words(turn: Turn, flows: Flows) -> bool:
    """Act on opt-out, opt-in and (on SMS) help words; True when the message is fully answered.

    Help is the help of whichever flow the word opens; opting back in shows the main menu.
    """
    word, identity, sms = keyword(turn.inbound.text), turn.identity, turn.channel == Channel.SMS
    if word in (SMS_STOP_WORDS if sms else STOP_WORDS):
        if identity.opted_out_at is None:
            identity.opted_out_at = turn.now
            turn.say("optout.confirmed")
        return True
    if identity.opted_out_at is not None:
        if sms and word in HELP_WORDS:
            # Carriers require a HELP answer even to an unsubscribed number: the help text, nothing else.
            turn.say("optout.help")
            return True
        if sms and word not in START_WORDS:
            return True
        identity.opted_out_at = None
        if word in START_WORDS:
            flows.home.show(turn, "optin.confirmed")
            return True
        return False
    helps = flows.word("help")
    if sms and word in HELP_WORDS and helps is not None:
        await helps[1](turn)
        return True
    return False
