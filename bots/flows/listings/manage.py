"""Managing one listing: its flow, with a new price and each detail changed as the form asks it."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from bots.dialog.flow import Flow, Step
from bots.dialog.routes import on, on_bare
from bots.dialog.turn import Turn
from bots.flows.common import show_menu
from bots.flows.listings.new_photos import ask_photos, on_photo, on_photos_text, photos_done
from bots.flows.listings.questions import ANSWERS, Buttons, ask, buttons_beside_a_number, read_answer
from bots.flows.listings.screen import (
    NAME,
    ask_sold,
    back_button,
    managed,
    move,
    open_listing,
    show,
    sold_unpriced,
)
from bots.flows.routes import listings as routes
from core.answers import AnswerKind
from core.errors import DomainError
from core.listings.actions import change_details, reprice
from core.listings.form import SUB_TYPES, BadAnswer, read_price
from core.listings.model import Listing, StandardStatus

DETAIL_STEPS = (
    "property_sub_type",
    "bedrooms_total",
    "bathrooms_total_integer",
    "living_area",
    "public_remarks",
)


_BUTTONS = Buttons(routes.skip_detail, routes.detail_sub_type)


_SHORT_SUB_TYPES = {name: short for short, name in SUB_TYPES.items()}


async def ask_price(turn: Turn, listing_key: str) -> None:
    """The asking price now, and what it should be."""
    listing = await managed(turn, listing_key)
    if listing is not None:
        back = buttons_beside_a_number(turn, AnswerKind.NUMBER, [back_button(turn, listing_key)])
        turn.ask("listings.ask_new_price", l=listing, choices=back)
        turn.go(NAME, "price", listing=listing_key)


async def ask_details(turn: Turn, listing_key: str) -> None:
    """Which detail to change, each a button."""
    choices = [turn.choice(routes.field((listing_key, step)), f"change_{step}") for step in DETAIL_STEPS]
    turn.ask("listings.ask_detail", choices=[*choices, back_button(turn, listing_key)])
    turn.go(NAME, "details", listing=listing_key)


async def ask_field(turn: Turn, key_and_step: tuple[str, str]) -> None:
    """Ask for one detail, as the new-listing form does."""
    listing_key, step = key_and_step
    listing = await managed(turn, listing_key)
    if listing is None or step not in DETAIL_STEPS:
        return
    ask(turn, step, _BUTTONS, [back_button(turn, listing_key)], sub_type=_short(listing))
    turn.go(NAME, step, listing=listing_key)


async def on_text(turn: Turn, text: str) -> None:
    """A new price or detail typed: saved, and the listing shown; else what was wrong and the question."""
    step, listing_key = turn.state.step, turn.data.get("listing", "")
    listing = await managed(turn, listing_key)
    if listing is None:
        return
    try:
        if step == "price":
            listing = await reprice(turn.session, turn.person, listing_key, read_price(text), turn.now)
            turn.say("listings.repriced", l=listing)
        elif step == "sold":
            await move(turn, listing_key, StandardStatus.CLOSED, read_price(text))
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
