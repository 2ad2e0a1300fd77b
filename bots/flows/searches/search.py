"""Find a home: ask for an area, show up to five listings a page, open one with its photo."""

from __future__ import annotations

from typing import Any

from bots.dialog.flow import Flow, Step
from bots.dialog.routes import on, on_bare
from bots.dialog.turn import Turn
from bots.flows.common import menu_button
from bots.flows.listings.covers import cover_of
from bots.flows.routes import offers
from bots.flows.routes import searches as routes
from bots.flows.routes import viewings as viewings
from core.errors import DomainError, ListingNotAvailable
from core.listings.queries import get_listing_for_viewing
from core.searches.buyer_stakes import stakes_in
from core.searches.places import AreaQuery, parse_area
from core.searches.results import PAGE_SIZE, search_active

NAME = routes.SEARCH


async def start(turn: Turn) -> None:
    """Ask which city or area to search."""
    turn.ask("search.ask_area", choices=[turn.choice(routes.all_areas(), "all_areas"), menu_button(turn)])
    turn.go(NAME, "area")


async def on_area(turn: Turn, text: str) -> None:
    """Search the area typed; an unreadable answer says so and asks again."""
    area = parse_area(text)
    if area is None:
        turn.fail("search.bad_area")
        await start(turn)
        return
    await show_results(turn, _area_data(area), offset=0)


async def show_results(turn: Turn, area: dict[str, Any] | None, offset: int) -> None:
    """One page of results with a Details button per listing, or an offer to widen the search."""
    query = AreaQuery(**area) if area else None
    page = await search_active(turn.session, query, offset=offset)
    display = area["display"] if area else None
    if page.total == 0:
        choices = [
            turn.choice(routes.all_areas(), "all_areas"),
            turn.choice(routes.new(), "other_area"),
            menu_button(turn),
        ]
        turn.ask("search.no_results", area=display, choices=choices)
        turn.go(NAME, "area")
        return
    if not page.listings:
        await show_results(turn, area, offset=0)
        return
    first = offset + 1
    choices = [
        turn.choice(routes.details(listing.listing_key), "details", number=first + i, n=first + i)
        for i, listing in enumerate(page.listings)
    ]
    if offset > 0:
        choices.append(turn.choice(routes.previous(), "previous_results"))
    if page.has_more:
        choices.append(turn.choice(routes.more(), "more_results"))
    choices += [turn.choice(routes.new(), "new_search"), menu_button(turn)]
    turn.ask(
        "search.results",
        listings=page.listings,
        area=display,
        shown_from=first,
        shown_to=offset + len(page.listings),
        total=page.total,
        choices=choices,
    )
    turn.go(NAME, "results", area=area, offset=offset)


async def show_details(turn: Turn, listing_key: str) -> None:
    """A listing's details with its first photo and the person's own viewing or offer on it; a listing gone
    off the market says so."""
    data = turn.data if turn.state.flow == NAME else {}
    try:
        listing = await get_listing_for_viewing(turn.session, listing_key)
    except DomainError:
        turn.fail(ListingNotAvailable.message_key, on_screen=True)
        await show_results(turn, data.get("area"), data.get("offset", 0))
        return
    photo = cover_of(turn.channel, listing.media)
    choices = [
        turn.choice(viewings.book(listing_key), "book_viewing"),
        turn.choice(offers.start(listing_key), "make_offer"),
        turn.choice(routes.back(), "back_to_results"),
        menu_button(turn),
    ]
    stakes = await stakes_in(turn.session, turn.person.id, [listing.id], turn.now)
    turn.ask(
        "listing.details",
        l=listing,
        photo_url=photo,
        choices=choices,
        mine=stakes.get(listing.id),
        now=turn.now,
        tz=turn.person.timezone,
    )
    turn.go(NAME, "details", area=data.get("area"), offset=data.get("offset", 0), listing=listing_key)


async def more(turn: Turn) -> None:
    """The next page of results."""
    data = turn.data if turn.state.flow == NAME else {}
    await show_results(turn, data.get("area"), data.get("offset", 0) + PAGE_SIZE)


async def previous(turn: Turn) -> None:
    """The page of results before."""
    data = turn.data if turn.state.flow == NAME else {}
    await show_results(turn, data.get("area"), max(0, data.get("offset", 0) - PAGE_SIZE))


async def all_areas(turn: Turn) -> None:
    """Every home on the market, wherever it is."""
    await show_results(turn, None, 0)


async def otherwise(turn: Turn, _action: str, _arg: str | None) -> None:
    """A search choice no route takes (and New search): ask for an area."""
    await start(turn)


async def results_again(turn: Turn) -> None:
    """The page of results the person was on."""
    data = turn.data if turn.state.flow == NAME else {}
    await show_results(turn, data.get("area"), data.get("offset", 0))


async def details_again(turn: Turn) -> None:
    """The details of the home the person was looking at."""
    await show_details(turn, turn.data.get("listing", ""))


def _area_data(area: AreaQuery) -> dict[str, Any]:
    return {"display": area.display, "name_key": area.name_key, "postcode_key": area.postcode_key}


FLOW = Flow(
    name=NAME,
    start=start,
    on_choice=otherwise,
    routes=(
        on(routes.details, show_details),
        on_bare(routes.more, more),
        on_bare(routes.previous, previous),
        on_bare(routes.all_areas, all_areas),
        on_bare(routes.back, results_again),
        on_bare(routes.new, start),
    ),
    on_text={"area": on_area, "results": on_area, "details": on_area},
    steps=(Step("area", start), Step("results", results_again), Step("details", details_again)),
)
