"""The languages the bot speaks, each named in itself, and the buttons that switch to one."""

from __future__ import annotations

from bots.dialog.turn import Turn
from bots.flows.routes import people as routes
from bots.messages import Choice

# Each language is named in itself, so that someone who cannot read the current one still finds theirs.
LANGUAGE_NAMES = {"en": "English", "ar": "العربية"}


def language_choice(code: str) -> Choice:
    """The button that switches to `code`."""
    return Choice(routes.set_language(code), LANGUAGE_NAMES[code])


def other_language(turn: Turn) -> Choice:
    """A button for the first supported language other than the person's."""
    others = [code for code in LANGUAGE_NAMES if code in turn.texts.locales and code != turn.locale]
    return language_choice(others[0] if others else turn.locale)
