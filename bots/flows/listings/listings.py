"""My listings: what a seller or broker has on Doorstep, taken off the market or put back with one tap."""

from __future__ import annotations

from bots.dialog.turn import Flow, Turn
from bots.flows.common import menu_button, show_menu
from bots.flows.people import verify
from core.errors import DomainError
from core.listings.actions import set_listing_status
from core.listings.model import StandardStatus
from core.listings.queries import listings_managed_by
from core.listings.rules import SELLER_STATUS_MOVES
from core.people.model import Role

NAME = "listings"
_MOVES = {"withdraw": StandardStatus.WITHDRAWN, "relist": StandardStatus.ACTIVE}
_ACTIONS = {status: action for action, status in _MOVES.items()}
_DONE = {"withdraw": "listings.withdrawn", "relist": "listings.relisted"}


async def start(turn: Turn) -> None:
    """List the person's listings with their status; managing them needs a proven phone first."""
    if not turn.person.verified:
        await verify.start(turn, then=f"{NAME}:show")
        return
    listings = await listings_managed_by(turn.session, turn.person)
    if not listings:
        show_menu(turn, "listings.none", as_broker=turn.person.has_role(Role.BROKER))
        return
    choices = []
    for n, listing in enumerate(listings, start=1):
        if listing.standard_status == StandardStatus.ACTIVE:
            choices.append(turn.choice(f"hours:show:{listing.listing_key}", "viewing_hours", n=n))
        move = SELLER_STATUS_MOVES.get(listing.standard_status)
        if move is not None:
            action = _ACTIONS[move]
            choices.append(turn.choice(f"{NAME}:{action}:{listing.listing_key}", action, n=n))
    turn.ask("listings.mine", listings=listings, choices=[*choices, menu_button(turn)])
    turn.go(NAME, "show")


async def on_choice(turn: Turn, action: str, arg: str | None) -> None:
    """Take a listing off the market (its live offers close, their buyers told) or put it back."""
    if action in _MOVES and arg:
        try:
            listing = await set_listing_status(turn.session, turn.person, arg, _MOVES[action], turn.now)
        except DomainError as error:
            turn.fail(error.message_key, on_screen=True)
        else:
            turn.say(_DONE[action], l=listing)
    await start(turn)


FLOW = Flow(name=NAME, start=start, on_choice=on_choice)
