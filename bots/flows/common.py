"""Pieces every flow uses: the main menu, its choices, and picking up where a detour started."""

from __future__ import annotations

from typing import Any

from bots.dialog.registry import HOME_FLOW
from bots.dialog.turn import Turn
from bots.flows.routes import listings as listings
from bots.flows.routes import menu as menu_routes
from bots.flows.routes import people as people
from bots.flows.routes import searches as search
from bots.messages import Choice
from core.people.model import Person, Role

MENU_FLOW = HOME_FLOW


def menu_choices(turn: Turn) -> list[Choice]:
    """The main menu; sellers and brokers see their listings first."""
    person = turn.person
    manages = person.has_role(Role.SELLER) or person.has_role(Role.BROKER)
    return [
        *([turn.choice(listings.show(), "my_listings")] if manages else []),
        turn.choice(menu_routes.find(), "find_home"),
        turn.choice(menu_routes.viewings(), "my_viewings"),
        turn.choice(menu_routes.offers(), "my_offers"),
        turn.choice(menu_routes.messages(), "messages"),
        turn.choice(people.settings(), "settings"),
        turn.choice(menu_routes.help_(), "help"),
    ]


def show_menu(turn: Turn, kind: str = "menu", **context: Any) -> None:
    """Ask what the person wants to do, with the main menu, and wait there."""
    turn.ask(kind, choices=menu_choices(turn), **context)
    turn.go(MENU_FLOW, "main")


def menu_button(turn: Turn) -> Choice:
    """A single "Menu" choice to put under other questions."""
    return turn.choice(menu_routes.show(), "menu")


async def resume(turn: Turn, choice_id: str | None) -> None:
    """Carry on with what the person was doing before a detour (a choice id), or show the menu."""
    if choice_id is None or not await turn.run_choice(choice_id):
        show_menu(turn)


async def listing_screen(turn: Turn) -> None:
    """The details of the home the current flow is about: where booking and offering start from."""
    key = turn.data.get("listing")
    await resume(turn, search.details(key) if key else None)


async def name_of(turn: Turn, person_id: int) -> str:
    """The name someone goes by, to show the other side of a viewing or offer ("" if they gave none)."""
    person = await turn.session.get(Person, person_id)
    return (person.display_name if person else None) or ""
