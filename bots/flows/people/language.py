"""Switching the language the bot speaks: the `language` word, or a button in onboarding and settings."""

from __future__ import annotations

from bots.dialog.turn import Flow, Turn
from bots.messages import Choice

NAME = "language"
# Each language is named in itself, so that someone who cannot read the current one still finds theirs.
LANGUAGE_NAMES = {"en": "English", "ar": "العربية"}


def language_choice(code: str) -> Choice:
    """The button that switches to `code`."""
    return Choice(f"{NAME}:set:{code}", LANGUAGE_NAMES[code])


def other_language(turn: Turn) -> Choice:
    """A button for the first supported language other than the person's."""
    others = [code for code in LANGUAGE_NAMES if code in turn.texts.locales and code != turn.locale]
    return language_choice(others[0] if others else turn.locale)


async def start(turn: Turn) -> None:
    """Ask which language to speak, each named in itself."""
    codes = [code for code in LANGUAGE_NAMES if code in turn.texts.locales]
    turn.ask("language.ask", choices=[language_choice(code) for code in codes])
    turn.go(NAME, "pick")


async def on_choice(turn: Turn, action: str, arg: str | None) -> None:
    """Switch to the language picked and say so in it; then onboarding for a newcomer, else the menu."""
    from bots.flows.common import show_menu
    from bots.flows.people import onboarding

    if action != "set" or arg not in LANGUAGE_NAMES or arg not in turn.texts.locales:
        await start(turn)
        return
    turn.person.locale = arg
    turn.say("language.changed", language=LANGUAGE_NAMES[arg])
    if turn.person.onboarded_at is None:
        await onboarding.start(turn)
    else:
        show_menu(turn)


FLOW = Flow(name=NAME, start=start, on_choice=on_choice)
