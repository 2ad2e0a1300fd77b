"""The main menu flow: where every conversation starts and returns."""

from __future__ import annotations

from bots.dialog.turn import Flow, Turn
from bots.flows.common import MENU_FLOW, show_menu
from bots.flows.offers import offers
from bots.flows.searches import search
from bots.flows.viewings import viewings
from core.people.model import Role

_EMPTY_SECTIONS = {"messages": "menu.no_messages"}


async def start(turn: Turn) -> None:
    """Show the main menu."""
    show_menu(turn)


async def welcome(turn: Turn) -> None:
    """Greet the person by name and show the main menu."""
    show_menu(turn, "welcome", name=turn.person.display_name)


async def help_(turn: Turn) -> None:
    """Explain what the bot does for this person's roles, and the words that work anywhere."""
    person = turn.person
    show_menu(
        turn,
        "help",
        as_buyer=person.has_role(Role.BUYER),
        as_seller=person.has_role(Role.SELLER),
        as_broker=person.has_role(Role.BROKER),
    )


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
