"""Make an offer from a listing: amount, buying position, completion date, a message, then send it."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from decimal import Decimal

from bots.dialog.flow import Flow, Step
from bots.dialog.routes import on, on_bare
from bots.dialog.turn import Turn
from bots.flows.common import listing_screen, menu_button, resume, show_menu
from bots.flows.offers.completion import (
    FLEXIBLE,
    ask_completion,
    completion_of,
    months_ahead,
    on_completion,
    set_completion,
    today_for,
)
from bots.flows.offers.notices import offer_context
from bots.flows.people import verify
from bots.flows.routes import offers as routes
from bots.flows.routes import searches as search
from core.answers import AnswerKind
from core.errors import DomainError
from core.listings.dealings import listing_of
from core.listings.model import Listing
from core.listings.rules import is_managed
from core.offers.actions import Terms, can_offer, make_offer
from core.offers.model import BuyingPosition
from core.offers.rules import (
    MESSAGE_LIMIT,
    ActiveOfferExists,
    BadAmount,
    BelowMinimum,
    TooHigh,
    amount_from_text,
    check_amount,
    minimum_amount,
    needs_confirmation,
    share_of_asking,
)
from core.offers.steps import Actor

NAME = routes.OFFER
SEARCH = search.SEARCH


async def start(turn: Turn, listing_key: str | None = None) -> None:
    """Ask for the amount, after checking that this buyer may offer on the listing now."""
    listing_key = listing_key or turn.data.get("listing")
    if listing_key is None:
        show_menu(turn)
        return
    if not turn.person.verified:
        await verify.start(turn, then=routes.start(listing_key))
        return
    listing = await _listing(turn, listing_key)
    if listing is not None:
        ask_amount(turn, listing)


def already_offering(turn: Turn, error: ActiveOfferExists, listing_key: str) -> None:
    """Name the offer in the way, with Withdraw it: a detour that, once confirmed, goes on with the offer on
    `listing_key`."""
    turn.ask(
        error.message_key,
        choices=[
            turn.choice(routes.withdraw(error.existing.id), "withdraw_it"),
            turn.choice(routes.open_(error.existing.id), "see_offer"),
            menu_button(turn),
        ],
        tz=turn.person.timezone,
        **error.context,
    )
    turn.go(routes.OFFERS, "detail", offer=error.existing.id, listing=listing_key)
    turn.detour(routes.OFFERS, routes.start(listing_key))


def ask_amount(turn: Turn, listing: Listing) -> None:
    """How much, with the asking price and the lowest offer the seller considers."""
    turn.ask(
        "offers.ask_amount",
        choices=[turn.choice(routes.drop(), "cancel")],
        l=listing,
        minimum=minimum_amount(listing),
        percent=listing.minimum_offer_percent,
    )
    turn.go(NAME, "amount", listing=listing.listing_key, origin=_origin(turn))


async def on_amount(turn: Turn, text: str) -> None:
    """Read the amount typed; nonsense or too little is explained and asked again."""
    listing = await _listing(turn)
    if listing is None:
        return
    try:
        amount = check_amount(listing, amount_from_text(listing, text), buyer=True)
    except (BadAmount, BelowMinimum, TooHigh) as error:
        turn.fail(error.message_key, **error.context)
        ask_amount(turn, listing)
        return
    if needs_confirmation(amount, listing):
        ask_if_meant(turn, listing, amount, yes=routes.high(routes.YES), no=routes.high(routes.NO))
        turn.go(NAME, "high", **{**turn.data, "amount": str(amount)})
        return
    turn.go(NAME, "position", **{**turn.data, "amount": str(amount)})
    ask_position(turn, listing, amount)


def ask_if_meant(turn: Turn, listing: Listing, amount: Decimal, *, yes: str, no: str) -> None:
    """An amount far above the asking price: is that right? Yes, or change it."""
    turn.ask(
        "offers.confirm_high",
        choices=[turn.choice(yes, "yes"), turn.choice(no, "change_amount")],
        l=listing,
        amount=amount,
        share=share_of_asking(amount, listing),
    )


async def on_high(turn: Turn, answer: str | None) -> None:
    """Yes goes on with the amount asked about; anything else asks for the amount again."""
    listing = await _listing(turn)
    if listing is None:
        return
    if answer == "yes" and turn.state.step == "high" and "amount" in turn.data:
        amount = Decimal(turn.data["amount"])
        turn.go(NAME, "position", **turn.data)
        ask_position(turn, listing, amount)
        return
    ask_amount(turn, listing)


def ask_position(turn: Turn, listing: Listing, amount: Decimal) -> None:
    """The amount as a share of the asking price, and the buyer's position as buttons."""
    choices = [turn.choice(routes.position(p), f"position_{p}") for p in BuyingPosition]
    turn.ask(
        "offers.ask_position",
        choices=[*choices, turn.choice(routes.drop(), "cancel")],
        l=listing,
        amount=amount,
        share=share_of_asking(amount, listing),
    )


async def on_message(turn: Turn, text: str) -> None:
    """The buyer's message to the seller, shown back as typed; the seller's copy hides contact details."""
    await show_summary(turn, text.strip()[:MESSAGE_LIMIT] or None)


async def show_summary(turn: Turn, message: str | None) -> None:
    """Everything the offer says, with Send."""
    listing = await _listing(turn)
    if listing is None:
        return
    data = {**turn.data, "message": message}
    amount = Decimal(data["amount"])
    turn.ask(
        "offers.summary",
        choices=[
            turn.choice(routes.send(), "send_offer"),
            turn.choice(routes.start(listing.listing_key), "change_amount"),
            turn.choice(routes.drop(), "cancel"),
        ],
        l=listing,
        amount=amount,
        share=share_of_asking(amount, listing),
        position=data.get("position"),
        completion=completion_of(data),
        message=message,
        hours=listing.offer_expiry_hours,
        managed=is_managed(listing),
    )
    turn.go(NAME, "summary", **data)


async def send(turn: Turn) -> None:
    """Make the offer; it reaches the seller (and broker) at once with Accept / Reject / Counter."""
    data = turn.data
    if turn.state.step != "summary" or "amount" not in data:
        await start(turn)
        return
    terms = Terms(Decimal(data["amount"]), data.get("position"), completion_of(data), data.get("message"))
    try:
        offer, _ = await make_offer(
            turn.session, Actor(turn.person, turn.channel), data["listing"], terms, turn.now
        )
    except ActiveOfferExists as error:
        already_offering(turn, error, data["listing"])
        return
    except DomainError as error:
        turn.fail(error.message_key, **error.context)
        show_menu(turn)
        return
    listing = await listing_of(turn.session, offer)
    show_menu(turn, "offers.sent", **offer_context(offer, listing), tz=turn.person.timezone)


async def _start(turn: Turn, listing_key: str) -> None:
    await start(turn, listing_key)


def _in_form(handler: Callable[[Turn, str], Awaitable[None]]) -> Callable[[Turn, str], Awaitable[None]]:
    """A form button does its work while the form is open; after that it drops the form."""

    async def guarded(turn: Turn, arg: str) -> None:
        await (handler(turn, arg) if turn.state.flow == NAME else drop(turn))

    return guarded


def _in_form_bare(handler: Callable[[Turn], Awaitable[None]]) -> Callable[[Turn], Awaitable[None]]:
    """As `_in_form`, for a button without an argument."""

    async def guarded(turn: Turn) -> None:
        await (handler(turn) if turn.state.flow == NAME else drop(turn))

    return guarded


async def pick_position(turn: Turn, position: str) -> None:
    """The buyer's position, then when they would complete."""
    if position not in tuple(BuyingPosition):
        await start(turn)
        return
    turn.go(NAME, "completion", **{**turn.data, "position": position})
    ask_completion(turn)


async def pick_when(turn: Turn, when: str) -> None:
    """Completion a few months ahead, or flexible."""
    if when == FLEXIBLE:
        set_completion(turn, None)
    elif when.isdigit():
        set_completion(turn, months_ahead(today_for(turn), int(when)))
    else:
        await start(turn)


async def _skip(turn: Turn) -> None:
    await show_summary(turn, None)


async def otherwise(turn: Turn, _action: str, _arg: str | None) -> None:
    """A form choice no route takes: the amount again while the form is open, else the form is dropped."""
    await (start(turn) if turn.state.flow == NAME else drop(turn))


async def drop(turn: Turn) -> None:
    """Cancel (the button or the word): nothing is sent, and the home's details are shown again."""
    data = turn.data if turn.state.flow == NAME else {}
    listing_key = data.get("listing")
    if listing_key is None:
        show_menu(turn, "cancelled")
        return
    turn.say("offers.dropped")
    turn.go(SEARCH, "details", **(data.get("origin") or {}), listing=listing_key)
    await resume(turn, search.details(listing_key))


def _origin(turn: Turn) -> dict[str, object] | None:
    """The search results the offer was started from, so that Cancel returns to the home with them."""
    if turn.state.flow == SEARCH:
        return {"area": turn.data.get("area"), "offset": turn.data.get("offset", 0)}
    return turn.data.get("origin") if turn.state.flow == NAME else None


async def _listing(turn: Turn, listing_key: str | None = None) -> Listing | None:
    """The listing being offered on, when the buyer may offer on it now; else why not, and the menu."""
    listing_key = listing_key or turn.data.get("listing", "")
    try:
        return await can_offer(turn.session, turn.person, listing_key, turn.now)
    except ActiveOfferExists as error:
        already_offering(turn, error, listing_key)
    except DomainError as error:
        turn.fail(error.message_key, **error.context)
        show_menu(turn)
    return None


async def _position_again(turn: Turn) -> None:
    listing = await _listing(turn)
    if listing is not None:
        turn.go(NAME, "position", **turn.data)
        ask_position(turn, listing, Decimal(turn.data["amount"]))


async def _completion_again(turn: Turn) -> None:
    ask_completion(turn)


async def _message_again(turn: Turn) -> None:
    set_completion(turn, completion_of(turn.data))


async def _summary_again(turn: Turn) -> None:
    await show_summary(turn, turn.data.get("message"))


FLOW = Flow(
    name=NAME,
    start=start,
    on_choice=otherwise,
    routes=(
        on(routes.start, _start),
        on_bare(routes.drop, drop),
        on(routes.position, _in_form(pick_position)),
        on(routes.when, _in_form(pick_when)),
        on(routes.high, _in_form(on_high)),
        on_bare(routes.skip, _in_form_bare(_skip)),
        on_bare(routes.send, _in_form_bare(send)),
    ),
    on_text={"amount": on_amount, "high": on_amount, "completion": on_completion, "message": on_message},
    answers={"amount": AnswerKind.NUMBER, "high": AnswerKind.NUMBER, "message": AnswerKind.PROSE},
    steps=(
        Step("amount", start),
        Step("position", _position_again),
        Step("completion", _completion_again),
        Step("message", _message_again),
        Step("summary", _summary_again),
        Step("high", start, back_to="amount"),
    ),
    origin=listing_screen,
    on_cancel=drop,
)
