"""One of a seller's listings: its screen, and changing its price, details, photos and place on the market."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from bots.dialog.flow import Flow, Step
from bots.dialog.routes import on, on_bare
from bots.dialog.turn import Turn
from bots.flows.common import menu_button, resume, show_menu
from bots.flows.listings import photo_intake
from bots.flows.listings.covers import cover_of
from bots.flows.listings.questions import ANSWERS, Buttons, ask, read_answer
from bots.flows.routes import listings as routes
from bots.flows.routes import viewings
from bots.messages import Choice
from core.answers import AnswerKind
from core.errors import DomainError, StatusChangeRefused
from core.listings.actions import change_details, reprice, set_listing_status
from core.listings.authz import Action, authorize_listing
from core.listings.form import SUB_TYPES, BadAnswer, read_price
from core.listings.model import Listing, StandardStatus
from core.listings.photos import Photo, replace_photos
from core.listings.queries import listing_by_key
from core.listings.rules import EDITABLE_STATUSES, moves_from

NAME = routes.MANAGE
# The details a seller may change after publishing, as the form asks them.
DETAIL_STEPS = (
    "property_sub_type",
    "bedrooms_total",
    "bathrooms_total_integer",
    "living_area",
    "public_remarks",
)
_BUTTONS = Buttons(routes.skip_detail, routes.detail_sub_type)
_SHORT_SUB_TYPES = {name: short for short, name in SUB_TYPES.items()}
_DONE = {
    StandardStatus.WITHDRAWN: "listings.withdrawn",
    StandardStatus.ACTIVE: "listings.relisted",
    StandardStatus.CLOSED: "listings.sold",
}


async def open_listing(turn: Turn, listing_key: str) -> None:
    """The listing as its seller sees it, with what they may do to it now."""
    listing = await _managed(turn, listing_key)
    if listing is None:
        return
    show(turn, listing)


def show(turn: Turn, listing: Listing) -> None:
    """The listing's screen: price (and the first one), status, facts, photos, and its buttons."""
    key = listing.listing_key
    choices = []
    if listing.standard_status in EDITABLE_STATUSES:
        choices += [
            turn.choice(routes.price(key), "change_price"),
            turn.choice(routes.details(key), "edit_details"),
            turn.choice(routes.photos(key), "change_photos"),
        ]
    if listing.standard_status == StandardStatus.ACTIVE:
        choices.append(turn.choice(viewings.hours(key), "hours"))
    moves = moves_from(listing.standard_status)
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
    await _move(turn, listing_key, StandardStatus.WITHDRAWN)


async def relist(turn: Turn, listing_key: str) -> None:
    """Put the listing back on the market."""
    await _move(turn, listing_key, StandardStatus.ACTIVE)


async def _move(
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


async def ask_price(turn: Turn, listing_key: str) -> None:
    """The asking price now, and what it should be."""
    listing = await _managed(turn, listing_key)
    if listing is not None:
        turn.ask("listings.ask_new_price", l=listing, choices=[_back(turn, listing_key)])
        turn.go(NAME, "price", listing=listing_key)


async def ask_details(turn: Turn, listing_key: str) -> None:
    """Which detail to change, each a button."""
    choices = [turn.choice(routes.field((listing_key, step)), f"change_{step}") for step in DETAIL_STEPS]
    turn.ask("listings.ask_detail", choices=[*choices, _back(turn, listing_key)])
    turn.go(NAME, "details", listing=listing_key)


async def ask_field(turn: Turn, key_and_step: tuple[str, str]) -> None:
    """Ask for one detail, as the new-listing form does."""
    listing_key, step = key_and_step
    listing = await _managed(turn, listing_key)
    if listing is None or step not in DETAIL_STEPS:
        return
    ask(turn, step, _BUTTONS, [_back(turn, listing_key)], sub_type=_short(listing))
    turn.go(NAME, step, listing=listing_key)


async def on_text(turn: Turn, text: str) -> None:
    """A new price or detail typed: saved, and the listing shown; else what was wrong and the question."""
    step, listing_key = turn.state.step, turn.data.get("listing", "")
    listing = await _managed(turn, listing_key)
    if listing is None:
        return
    try:
        if step == "price":
            listing = await reprice(turn.session, turn.person, listing_key, read_price(text), turn.now)
            turn.say("listings.repriced", l=listing)
        elif step == "sold":
            await _move(turn, listing_key, StandardStatus.CLOSED, read_price(text))
            return
        else:
            values = _as_columns(read_answer(step, text, {"property_sub_type": _short(listing)}))
            listing = await change_details(turn.session, turn.person, listing_key, turn.now, **values)
            turn.say("listings.details_saved", l=listing)
    except BadAnswer as error:
        turn.fail(error.message_key, **error.context)
        await _ask_again(turn, listing_key, step)
        return
    except DomainError as error:
        turn.fail(error.message_key, on_screen=True)
    show(turn, listing)


async def _ask_again(turn: Turn, listing_key: str, step: str) -> None:
    if step == "price":
        await ask_price(turn, listing_key)
    elif step == "sold":
        await ask_sold(turn, listing_key)
    else:
        await ask_field(turn, (listing_key, step))


def _short(listing: Listing) -> str | None:
    return _SHORT_SUB_TYPES.get(listing.property_sub_type or "")


def _as_columns(values: dict[str, Any]) -> dict[str, Any]:
    """A form answer as the listing's columns: the sub-type's full name, an area as a number in m²."""
    if "property_sub_type" in values:
        return {"property_sub_type": SUB_TYPES[values["property_sub_type"]]}
    if "living_area" in values:
        area = values["living_area"]
        return {"living_area": Decimal(area) if area else None, "living_area_units": "sqm" if area else None}
    return values


async def pick_sub_type(turn: Turn, name: str) -> None:
    """A sub-type button: read as if typed."""
    if turn.state.flow != NAME or turn.state.step != "property_sub_type":
        await otherwise(turn, "", None)
        return
    await on_text(turn, name)


async def skip(turn: Turn) -> None:
    """Skip on a detail that may be left out (floor area, description): it is cleared."""
    step, listing_key = turn.state.step, turn.data.get("listing", "")
    if turn.state.flow != NAME or step not in ("living_area", "public_remarks"):
        await open_listing(turn, listing_key)
        return
    value = {"living_area": None, "living_area_units": None} if step == "living_area" else {step: None}
    listing = await change_details(turn.session, turn.person, listing_key, turn.now, **value)
    turn.say("listings.details_saved", l=listing)
    show(turn, listing)


async def ask_sold(turn: Turn, listing_key: str) -> None:
    """Marking sold asks the price it sold for (or none); the question is the last chance to go back."""
    listing = await _managed(turn, listing_key)
    if listing is not None:
        unpriced = turn.choice(routes.sold_unpriced(), "sold_unpriced")
        turn.ask("listings.ask_sold", l=listing, choices=[unpriced, _back(turn, listing_key)])
        turn.go(NAME, "sold", listing=listing_key)


async def sold_unpriced(turn: Turn) -> None:
    """Sold, without saying the price."""
    listing_key = turn.data.get("listing", "") if turn.state.flow == NAME else ""
    if turn.state.step != "sold":
        await open_listing(turn, listing_key)
        return
    await _move(turn, listing_key, StandardStatus.CLOSED)


async def ask_photos(turn: Turn, listing_key: str) -> None:
    """New photos replace the listing's, in the order sent; Done saves them."""
    listing = await _managed(turn, listing_key)
    if listing is None:
        return
    photo_intake.ask_photos(turn, 0, routes.new_photos_done(), [_back(turn, listing_key)])
    turn.go(NAME, "photos", listing=listing_key, photos=[])


async def on_photo(turn: Turn) -> None:
    """A new photo: kept aside (in the dialog state) until Done."""
    data = turn.data
    listing_key, sent = data.get("listing", ""), list(data.get("photos") or [])
    photos = await photo_intake.take(turn, len(sent))
    back = [_back(turn, listing_key)]
    if photos is None:
        photo_intake.ask_photos(turn, len(sent), routes.new_photos_done(), back)
        return
    sent += [photo.to_json() for photo in photos]
    photo_intake.ask_photos(turn, len(sent), routes.new_photos_done(), back, kind="photo_added")
    turn.go(NAME, "photos", listing=listing_key, photos=sent)


async def photos_done(turn: Turn) -> None:
    """Done: the new photos replace the old ones; with none sent, nothing changes."""
    data = turn.data if turn.state.flow == NAME else {}
    listing_key, sent = data.get("listing", ""), data.get("photos") or []
    if not sent:
        await open_listing(turn, listing_key)
        return
    photos = [Photo.from_json(item) for item in sent]
    listing = await replace_photos(turn.session, turn.person, listing_key, photos, turn.now)
    turn.say("listings.photos_saved", l=listing, count=len(photos))
    show(turn, listing)


async def on_photos_text(turn: Turn, text: str) -> None:
    """ "done" ends the new photos; other words are told that photos are wanted."""
    if photo_intake.means_done(text):
        await photos_done(turn)
        return
    turn.fail("listings.form.photos_expected")
    await ask_photos(turn, turn.data.get("listing", ""))


def _back(turn: Turn, listing_key: str) -> Choice:
    return turn.choice(routes.open_(listing_key), "back")


async def _managed(turn: Turn, listing_key: str) -> Listing | None:
    """The listing, when the person manages it; else why not, and My listings' menu."""
    try:
        listing = await listing_by_key(turn.session, listing_key)
        authorize_listing(turn.person, listing, Action.EDIT_LISTING)
    except DomainError as error:
        turn.fail(error.message_key)
        show_menu(turn)
        return None
    return listing


async def otherwise(turn: Turn, _action: str, _arg: str | None) -> None:
    """A choice no route takes: the listing again, or the menu."""
    listing_key = turn.data.get("listing") if turn.state.flow == NAME else None
    await (open_listing(turn, listing_key) if listing_key else _menu(turn))


async def _menu(turn: Turn) -> None:
    show_menu(turn)


async def _screen(turn: Turn) -> None:
    await otherwise(turn, "", None)


FLOW = Flow(
    name=NAME,
    start=_screen,
    on_choice=otherwise,
    routes=(
        on(routes.open_, open_listing),
        on(routes.price, ask_price),
        on(routes.details, ask_details),
        on(routes.field, ask_field),
        on(routes.photos, ask_photos),
        on_bare(routes.new_photos_done, photos_done),
        on(routes.sold, ask_sold),
        on_bare(routes.sold_unpriced, sold_unpriced),
        on_bare(routes.skip_detail, skip),
        on(routes.detail_sub_type, pick_sub_type),
    ),
    on_text={
        **{step: on_text for step in ("price", "sold", *DETAIL_STEPS)},
        "photos": on_photos_text,
    },
    on_media={"photos": on_photo},
    answers={
        **{step: ANSWERS[step] for step in DETAIL_STEPS},
        "price": AnswerKind.NUMBER,
        "sold": AnswerKind.NUMBER,
    },
    steps=(
        Step("show", _screen),
        *(
            Step(step, _screen, back_to="show")
            for step in ("price", "sold", "details", "photos", *DETAIL_STEPS)
        ),
    ),
    on_cancel=_screen,
)
