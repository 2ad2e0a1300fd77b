"""One of a seller's listings: its screen with what may be done to it now, and its moves on the market
(pause, relist, sold)."""

from __future__ import annotations

from decimal import Decimal

from bots.dialog.turn import Turn
from bots.flows.common import menu_button, resume, show_menu
from bots.flows.listings.covers import cover_of
from bots.flows.routes import listings as routes
from bots.flows.routes import viewings
from bots.messages import Choice
from core.errors import DomainError, StatusChangeRefused
from core.listings.actions import set_listing_status
from core.listings.authz import Action, authorize_listing
from core.listings.model import Listing, StandardStatus
from core.listings.queries import listing_by_key
from core.listings.rules import EDITABLE_STATUSES, is_editable, moves_of

NAME = routes.MANAGE
# The details a seller may change after publishing, as the form asks them.


_DONE = {
    StandardStatus.WITHDRAWN: "listings.withdrawn",
    StandardStatus.ACTIVE: "listings.relisted",
    StandardStatus.CLOSED: "listings.sold",
}


async def open_listing(turn: Turn, listing_key: str) -> None:
    """The listing as its seller sees it, with what they may do to it now."""
    listing = await managed(turn, listing_key)
    if listing is None:
        return
    show(turn, listing)


def show(turn: Turn, listing: Listing) -> None:
    """The listing's screen: price (and the first one), status, facts, photos, and its buttons."""
    key = listing.listing_key
    choices = []
    if is_editable(listing):
        choices += [
            turn.choice(routes.price(key), "change_price"),
            turn.choice(routes.details(key), "edit_details"),
            turn.choice(routes.photos(key), "change_photos"),
        ]
    if listing.standard_status == StandardStatus.ACTIVE:
        choices.append(turn.choice(viewings.hours(key), "hours"))
    moves = moves_of(listing)
    if StandardStatus.WITHDRAWN in moves:
        choices.append(turn.choice(routes.withdraw(key), "pause"))
    if StandardStatus.ACTIVE in moves:
        choices.append(turn.choice(routes.relist(key), "relist_one"))
    if StandardStatus.CLOSED in moves:
        choices.append(turn.choice(routes.sold(key), "mark_sold"))
    if may_invite(turn, listing):
        choices.append(turn.choice(routes.invite(key), "invite_seller"))
    choices += [turn.choice(routes.show(), "my_listings"), menu_button(turn)]
    turn.ask("listings.one", l=listing, photo_url=cover_of(turn.channel, listing.media), choices=choices)
    turn.go(NAME, "show", listing=key)


def may_invite(turn: Turn, listing: Listing) -> bool:
    """A broker may invite the seller of a home of theirs that has none, while it may still change."""
    return (
        listing.broker_id == turn.person.id
        and listing.seller_id is None
        and listing.standard_status in EDITABLE_STATUSES
    )


async def withdraw(turn: Turn, listing_key: str) -> None:
    """Take the listing off the market: its offers close, its viewings to come are cancelled, all told."""
    await move(turn, listing_key, StandardStatus.WITHDRAWN)


async def relist(turn: Turn, listing_key: str) -> None:
    """Put the listing back on the market."""
    await move(turn, listing_key, StandardStatus.ACTIVE)


async def move(
    turn: Turn, listing_key: str, status: StandardStatus, close_price: Decimal | None = None
) -> None:
    """A move on the market, said done with the listing shown; a move the listing can't make is said above
    it, and someone who may not move it is shown their own listings."""
    try:
        listing = await set_listing_status(
            turn.session, turn.person, listing_key, status, turn.now, close_price=close_price
        )
    except StatusChangeRefused as error:
        turn.fail(error.message_key, on_screen=True)
        await open_listing(turn, listing_key)
    except DomainError as error:
        turn.fail(error.message_key, on_screen=True)
        await resume(turn, routes.show())
    else:
        turn.say(_DONE[status], l=listing)
        show(turn, listing)


async def ask_sold(turn: Turn, listing_key: str) -> None:
    """Marking sold asks the price it sold for (or none); the question is the last chance to go back."""
    listing = await managed(turn, listing_key)
    if listing is not None:
        unpriced = turn.choice(routes.sold_unpriced(), "sold_unpriced")
        turn.ask("listings.ask_sold", l=listing, choices=[unpriced, back_button(turn, listing_key)])
        turn.go(NAME, "sold", listing=listing_key)


async def sold_unpriced(turn: Turn) -> None:
    """Sold, without saying the price."""
    listing_key = turn.data.get("listing", "") if turn.state.flow == NAME else ""
    if turn.state.step != "sold":
        await open_listing(turn, listing_key)
        return
    await move(turn, listing_key, StandardStatus.CLOSED)


def back_button(turn: Turn, listing_key: str) -> Choice:
    return turn.choice(routes.open_(listing_key), "back")


async def managed(turn: Turn, listing_key: str) -> Listing | None:
    """The listing, when the person manages it; else why not, and My listings' menu."""
    try:
        listing = await listing_by_key(turn.session, listing_key)
        authorize_listing(turn.person, listing, Action.EDIT_LISTING)
    except DomainError as error:
        turn.fail(error.message_key)
        show_menu(turn)
        return None
    return listing
