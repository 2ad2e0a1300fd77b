"""Pieces every flow uses: the main menu and its choices."""

from __future__ import annotations

from typing import Any

from bots.dialog.turn import Turn
from bots.messages import Choice

MENU_FLOW = "menu"


def menu_choices(turn: Turn) -> list[Choice]:
    """The main menu: Find a home, My viewings, My offers, Messages, Help."""
    return [
        turn.choice("menu:find", "find_home"),
        turn.choice("menu:viewings", "my_viewings"),
        turn.choice("menu:offers", "my_offers"),
        turn.choice("menu:messages", "messages"),
        turn.choice("menu:help", "help"),
    ]


def show_menu(turn: Turn, kind: str = "menu", **context: Any) -> None:
    """Ask what the person wants to do, with the main menu, and wait there."""
    turn.ask(kind, choices=menu_choices(turn), **context)
    turn.go(MENU_FLOW, "main")


def menu_button(turn: Turn) -> Choice:
    """A single "Menu" choice to put under other questions."""
    return turn.choice("menu:show", "menu")
