"""Before a buyer books or moves to a time near another of their viewings: "Book this one anyway?"."""

from __future__ import annotations

from datetime import datetime, timedelta

from bots.dialog.turn import Turn
from bots.flows.common import menu_button
from core.viewings.clashes import TRAVEL_MARGIN, buyer_clash


async def warned_of_clash(
    turn: Turn,
    start: datetime,
    length: timedelta,
    *,
    anyway: str,
    another: str,
    ignore: int | None = None,
) -> bool:
    """Ask before `start` when it clashes with another of the buyer's viewings (not `ignore`); True if asked.

    `anyway` is the choice that goes ahead regardless, `another` the one that picks another time.
    """
    clash = await buyer_clash(turn.session, turn.person.id, start, start + length, turn.now, ignore=ignore)
    if clash is None:
        return False
    turn.ask(
        "viewings.clash",
        choices=[
            turn.choice(anyway, "book_anyway"),
            turn.choice(another, "pick_another_time"),
            menu_button(turn),
        ],
        l=clash.listing,
        v=clash.viewing,
        margin=TRAVEL_MARGIN,
        tz=turn.person.timezone,
    )
    return True
