"""The main menu flow: where every conversation starts and returns."""

from __future__ import annotations

from bots.dialog.turn import Flow, Turn
from bots.flows import offers, search, viewings
from bots.flows.common import MENU_FLOW, show_menu

_EMPTY_SECTIONS = {"messages": "menu.no_messages"}


async def start(turn: Turn) -> None:
    """Show the main menu."""
    show_menu(turn)


async def welcome(turn: Turn) -> None:
    """Greet the person by name and show the main menu."""
    show_menu(turn, "welcome", name=turn.person.display_name)


async def help_(turn: Turn) -> None:
    """Explain what the bot does and the words that work anywhere."""
    show_menu(turn, "help")


async def on_choice(turn: Turn, action: str, _arg: str | None) -> None:
    """Act on a main-menu button."""
    if action == "find":
        await search.FLOW.start(turn)
    elif action == "viewings":
        await viewings.start(turn)
    elif action == "offers":
        await offers.start(turn)
    elif action in _EMPTY_SECTIONS:
        turn.say(_EMPTY_SECTIONS[action])
        show_menu(turn)
    elif action == "help":
        await help_(turn)
    else:
        show_menu(turn)


FLOW = Flow(name=MENU_FLOW, start=start, on_choice=on_choice)
