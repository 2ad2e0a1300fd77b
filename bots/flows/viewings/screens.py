"""My viewings: a person's viewings as buyer and as host, and one viewing with what they can do now."""

from __future__ import annotations

from typing import Any

from bots.dialog.turn import Turn
from bots.flows.common import menu_button, name_of, show_menu
from bots.flows.routes import viewings as routes
from bots.flows.viewings import slot_picker
from bots.flows.viewings.notices import answer_buttons
from bots.messages import Choice
from core.listings.dealings import listing_of
from core.listings.model import Listing, Side
from core.viewings.model import Viewing, ViewingStatus
from core.viewings.queries import get_viewing, viewings_of
from core.viewings.rules import (
    proposed_starts,
    viewing_side,
)

NAME = routes.VIEWINGS
UPCOMING_SHOWN = 8
PAST_SHOWN = 3


async def start(turn: Turn) -> None:
    """Upcoming viewings (as buyer and as host) and the last few past or called-off ones, each a tap away."""
    rows = await viewings_of(turn.session, turn.person)
    upcoming = [r for r in rows if r.viewing.open and r.viewing.ends_at > turn.now][:UPCOMING_SHOWN]
    past = [r for r in rows if r not in upcoming and r.viewing.status != ViewingStatus.RESCHEDULED]
    past = past[-PAST_SHOWN:]
    if not upcoming and not past:
        turn.say("menu.no_viewings")
        show_menu(turn)
        return
    shown = [*upcoming, *past]
    items = [
        _item(turn, r.viewing, r.listing, viewing_side(turn.person, r.viewing, r.listing), r.buyer_name)
        for r in shown
    ]
    choices = [turn.choice(routes.open_(r.viewing.id), "viewing", n=n) for n, r in enumerate(shown, start=1)]
    turn.ask(
        "viewings.mine",
        choices=[*choices, menu_button(turn)],
        upcoming=items[: len(upcoming)],
        past=items[len(upcoming) :],
        tz=turn.person.timezone,
    )
    turn.go(NAME, "list")


async def show(turn: Turn, viewing_id: int) -> None:
    """One viewing with what this person can do about it now."""
    viewing, side = await get_viewing(turn.session, turn.person, viewing_id)
    listing = await listing_of(turn.session, viewing)
    turn.ask(
        "viewings.detail",
        choices=[
            *_actions(turn, viewing, listing, side),
            turn.choice(routes.mine(), "my_viewings"),
            menu_button(turn),
        ],
        **_item(turn, viewing, listing, side, await name_of(turn, viewing.buyer_id)),
        tz=turn.person.timezone,
    )
    turn.go(NAME, "detail", viewing=viewing.id)


def _actions(turn: Turn, viewing: Viewing, listing: Listing, side: Side) -> list[Choice]:
    upcoming = viewing.starts_at > turn.now
    vid = viewing.id
    if side == Side.SELLER and viewing.status == ViewingStatus.PENDING and upcoming:
        return [turn.choice(b.choice_id, b.label_key) for b in answer_buttons(viewing)]
    if side == Side.BUYER and viewing.status == ViewingStatus.PROPOSED:
        return [
            *[
                slot_picker.when_choice(
                    turn,
                    start,
                    listing.time_zone,
                    choice_id=routes.take((vid, start)),
                )
                for start in proposed_starts(viewing)
            ],
            turn.choice(routes.none_suit(vid), "none_suit"),
        ]
    if viewing.status in (ViewingStatus.PENDING, ViewingStatus.CONFIRMED) and upcoming:
        return [
            turn.choice(routes.move(vid), "reschedule"),
            turn.choice(routes.cancel(vid), "cancel_viewing"),
        ]
    if side == Side.SELLER and viewing.status == ViewingStatus.CONFIRMED and not upcoming:
        return [
            turn.choice(routes.completed(vid), "completed"),
            turn.choice(routes.no_show(vid), "no_show"),
        ]
    return []


def _item(turn: Turn, viewing: Viewing, listing: Listing, side: Side, buyer: str) -> dict[str, Any]:
    """What a list line or detail shows about a viewing, from this person's side."""
    return {
        "v": viewing,
        "l": listing,
        "side": side,
        "buyer": buyer,
        "upcoming": viewing.starts_at > turn.now,
        "proposals": proposed_starts(viewing),
    }


async def detail_again(turn: Turn) -> None:
    """The viewing the current step is about, or the list when it names none."""
    viewing_id = turn.data.get("viewing")
    await (show(turn, int(viewing_id)) if viewing_id is not None else start(turn))
