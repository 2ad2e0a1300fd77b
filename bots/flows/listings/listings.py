"""My listings: what a seller or broker has on Doorstep, taken off the market or put back with one tap."""

from __future__ import annotations

from bots.dialog.flow import Flow
from bots.dialog.routes import on, on_bare
from bots.dialog.turn import Turn
from bots.flows.common import menu_button, show_menu
from bots.flows.people import verify
from bots.flows.routes import listings as routes
from bots.flows.routes import viewings as viewings
from core.errors import DomainError
from core.listings.actions import set_listing_status
from core.listings.model import StandardStatus
from core.listings.queries import listings_managed_by
from core.listings.rules import moves_from
from core.people.model import Role

NAME = routes.LISTINGS
_MOVES = {routes.withdraw: StandardStatus.WITHDRAWN, routes.relist: StandardStatus.ACTIVE}
_ROUTES = {status: route for route, status in _MOVES.items()}
_DONE = {StandardStatus.WITHDRAWN: "listings.withdrawn", StandardStatus.ACTIVE: "listings.relisted"}


async def start(turn: Turn) -> None:
    """List the person's listings with their status; managing them needs a proven phone first."""
    if not turn.person.verified:
        await verify.start(turn, then=routes.show())
        return
    listings = await listings_managed_by(turn.session, turn.person)
    if not listings:
        show_menu(turn, "listings.none", as_broker=turn.person.has_role(Role.BROKER))
        return
    choices = []
    for n, listing in enumerate(listings, start=1):
        if listing.standard_status == StandardStatus.ACTIVE:
            choices.append(turn.choice(viewings.hours(listing.listing_key), "viewing_hours", n=n))
        for move in moves_from(listing.standard_status):
            if move in _ROUTES:
                route = _ROUTES[move]
                choices.append(turn.choice(route(listing.listing_key), route.action, n=n))
    turn.ask("listings.mine", listings=listings, choices=[*choices, menu_button(turn)])
    turn.go(NAME, "show")


async def _move(turn: Turn, listing_key: str, status: StandardStatus) -> None:
    """Take a listing off the market (its live offers close, their buyers told) or put it back."""
    try:
        listing = await set_listing_status(turn.session, turn.person, listing_key, status, turn.now)
    except DomainError as error:
        turn.fail(error.message_key, on_screen=True)
    else:
        turn.say(_DONE[status], l=listing)
    await start(turn)


async def withdraw(turn: Turn, listing_key: str) -> None:
    """Take a listing off the market."""
    await _move(turn, listing_key, StandardStatus.WITHDRAWN)


async def relist(turn: Turn, listing_key: str) -> None:
    """Put a listing back on the market."""
    await _move(turn, listing_key, StandardStatus.ACTIVE)


async def otherwise(turn: Turn, _action: str, _arg: str | None) -> None:
    """A choice no route takes (and My listings itself): the list."""
    await start(turn)


FLOW = Flow(
    name=NAME,
    start=start,
    on_choice=otherwise,
    routes=(on_bare(routes.show, start), on(routes.withdraw, withdraw), on(routes.relist, relist)),
)
