"""The main menu flow: where every conversation starts and returns."""

from __future__ import annotations

from bots.dialog.flow import Flow
from bots.dialog.routes import on_bare
from bots.dialog.turn import Turn
from bots.flows.common import MENU_FLOW, show_menu
from bots.flows.offers import offers
from bots.flows.routes import menu as routes
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


async def _empty_section(turn: Turn) -> None:
    """A section with nothing in it yet says so, over the menu."""
    turn.say(_EMPTY_SECTIONS["messages"])
    show_menu(turn)


async def otherwise(turn: Turn, _action: str, _arg: str | None) -> None:
    """A main-menu choice no route takes: the menu again."""
    show_menu(turn)


FLOW = Flow(
    name=MENU_FLOW,
    start=start,
    on_choice=otherwise,
    routes=(
        on_bare(routes.find, search.start),
        on_bare(routes.viewings, viewings.start),
        on_bare(routes.offers, offers.start),
        on_bare(routes.messages, _empty_section),
        on_bare(routes.help_, help_),
        on_bare(routes.show, start),
    ),
    words={"start": welcome, "help": help_, "menu": start},
)
