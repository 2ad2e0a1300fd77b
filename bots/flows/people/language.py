"""Switching the language the bot speaks: the `language` word, or a button in onboarding and settings."""

from __future__ import annotations

from bots.dialog.flow import Flow
from bots.dialog.routes import on
from bots.dialog.turn import Turn
from bots.flows.common import show_menu
from bots.flows.people import onboarding
from bots.flows.people.languages import LANGUAGE_NAMES, language_choice
from bots.flows.routes import people as routes

NAME = routes.LANGUAGE


async def start(turn: Turn) -> None:
    """Ask which language to speak, each named in itself."""
    codes = [code for code in LANGUAGE_NAMES if code in turn.texts.locales]
    turn.ask("language.ask", choices=[language_choice(code) for code in codes])
    turn.go(NAME, "pick")


async def switch(turn: Turn, code: str) -> None:
    """Switch to the language picked and say so in it; then onboarding for a newcomer, else the menu."""
    if code not in LANGUAGE_NAMES or code not in turn.texts.locales:
        await start(turn)
        return
    turn.person.locale = code
    turn.say("language.changed", language=LANGUAGE_NAMES[code])
    if turn.person.onboarded_at is None:
        await onboarding.start(turn)
    else:
        show_menu(turn)


async def otherwise(turn: Turn, _action: str, _arg: str | None) -> None:
    """A language choice no route takes: the question again."""
    await start(turn)


FLOW = Flow(
    name=NAME,
    start=start,
    on_choice=otherwise,
    routes=(on(routes.set_language, switch),),
    words={"language": start},
)
