"""My listings: the homes a seller or broker has on Doorstep, a page at a time, and Add a home."""

from __future__ import annotations

from bots.dialog.flow import Flow
from bots.dialog.routes import on, on_bare
from bots.dialog.turn import Turn
from bots.flows.common import menu_button
from bots.flows.listings import screen
from bots.flows.people import verify
from bots.flows.routes import listings as routes
from core.listings.drafts import draft_of
from core.listings.queries import count_managed_by, listings_managed_by
from core.people.model import Role

NAME = routes.LISTINGS
# Listings on one page: with Add a home, Previous, More and Menu, a WhatsApp list's ten rows.
PAGE_SIZE = 6


async def start(turn: Turn) -> None:
    """The first page of the person's listings."""
    await show_page(turn, 0)


async def show_page(turn: Turn, offset: int) -> None:
    """A page of listings with their status, Manage for each, and Add a home; listing needs a proven phone."""
    if not turn.person.verified:
        await verify.start(turn, then=routes.show())
        return
    total = await count_managed_by(turn.session, turn.person)
    offset = max(0, min(offset, (total - 1) // PAGE_SIZE * PAGE_SIZE)) if total else 0
    listings = await listings_managed_by(turn.session, turn.person, offset=offset, limit=PAGE_SIZE)
    has_draft = await draft_of(turn.session, turn.person.id) is not None
    choices = [
        turn.choice(routes.open_(listing.listing_key), "manage", n=n)
        for n, listing in enumerate(listings, start=offset + 1)
    ]
    choices.append(turn.choice(routes.add(), "continue_draft" if has_draft else "add_home"))
    if offset > 0:
        choices.append(turn.choice(routes.page(offset - PAGE_SIZE), "previous_listings"))
    if offset + PAGE_SIZE < total:
        choices.append(turn.choice(routes.page(offset + PAGE_SIZE), "more_listings"))
    turn.ask(
        "listings.mine" if listings else "listings.none",
        listings=listings,
        first=offset + 1,
        total=total,
        has_draft=has_draft,
        as_broker=turn.person.has_role(Role.BROKER),
        choices=[*choices, menu_button(turn)],
    )
    turn.go(NAME, "show", offset=offset)


async def page(turn: Turn, offset: int) -> None:
    """Another page of listings."""
    await show_page(turn, offset)


async def otherwise(turn: Turn, _action: str, _arg: str | None) -> None:
    """A choice no route takes (and My listings itself): the list where it was."""
    await show_page(turn, turn.data.get("offset", 0) if turn.state.flow == NAME else 0)


FLOW = Flow(
    name=NAME,
    start=start,
    on_choice=otherwise,
    routes=(
        on_bare(routes.show, start),
        on(routes.page, page),
        on(routes.withdraw, screen.withdraw),
        on(routes.relist, screen.relist),
    ),
)
