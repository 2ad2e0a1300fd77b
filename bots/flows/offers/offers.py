"""My offers and Offers on my listings: status and time left, one-tap answers, counters and withdrawals."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from bots.dialog.flow import Flow, Step
from bots.dialog.routes import on, on_bare
from bots.dialog.turn import Turn
from bots.flows.common import menu_button, name_of, resume, show_menu
from bots.flows.offers.make_offer import ask_if_meant
from bots.flows.offers.notices import answer_buttons, contacts, offer_context
from bots.flows.routes import offers as routes
from bots.flows.routes import searches as search
from bots.messages import Choice
from core.answers import AnswerKind
from core.errors import DomainError
from core.listings.dealings import listing_of
from core.listings.model import Listing
from core.offers.actions import accept, counter, reject, withdraw
from core.offers.model import Offer, OfferSide, OfferStatus
from core.offers.queries import chain_of, ending_of, get_offer, latest_of, negotiations_of
from core.offers.rules import (
    BadAmount,
    BelowMinimum,
    SameAmount,
    TooHigh,
    amount_from_text,
    answering_side,
    check_amount,
    check_open,
    is_open,
    message_for,
    minimum_amount,
    needs_confirmation,
)
from core.offers.steps import Actor

NAME = routes.OFFERS
SHOWN = 8


async def start(turn: Turn) -> None:
    """Offers on the person's listings first, then their own offers, each a tap away."""
    buying, selling = await negotiations_of(turn.session, turn.person)
    if not buying and not selling:
        turn.say("menu.no_offers")
        show_menu(turn)
        return
    selling = selling[:SHOWN]
    buying = buying[: SHOWN - len(selling)]
    shown = [*selling, *buying]
    items = [_item(turn, n.offer, n.listing, n.buyer_name) for n in shown]
    turn.ask(
        "offers.mine",
        choices=[
            *[turn.choice(routes.open_(n.offer.id), "offer_n", n=i) for i, n in enumerate(shown, start=1)],
            menu_button(turn),
        ],
        selling=items[: len(selling)],
        buying=items[len(selling) :],
    )
    turn.go(NAME, "list")


async def show(turn: Turn, offer_id: int) -> None:
    """One negotiation: its history, where it stands, and what this person can do now."""
    offer, side = await get_offer(turn.session, turn.person, offer_id)
    if offer.status == OfferStatus.SUPERSEDED:
        offer = await latest_of(turn.session, offer)
    # Every offer of a negotiation, counters too, is on the same buyer's behalf.
    buyer = await name_of(turn, offer.buyer_id)
    history = [_step(turn, step, buyer) for step in await chain_of(turn.session, offer)]
    turn.ask(
        "offers.detail",
        choices=[*_actions(turn, offer, side), turn.choice(routes.mine(), "my_offers"), menu_button(turn)],
        history=history,
        ending=await ending_of(turn.session, offer),
        **_item(turn, offer, await listing_of(turn.session, offer), buyer),
    )
    turn.go(NAME, "detail", offer=offer.id)


def _actions(turn: Turn, offer: Offer, side: OfferSide) -> list[Choice]:
    if not is_open(offer, turn.now):
        return []
    answers = [turn.choice(b.choice_id, b.label_key) for b in answer_buttons(offer)]
    if side == OfferSide.BUYER:
        withdraw_choice = turn.choice(routes.withdraw(offer.id), "withdraw_offer")
        return [*answers, withdraw_choice] if answering_side(offer) == side else [withdraw_choice]
    return answers if answering_side(offer) == side else []


async def accept_offer(turn: Turn, offer_id: int) -> None:
    """Accept with one tap; the other side hears of it at once, and the other offers on the home close."""
    settled = await accept(turn.session, Actor(turn.person, turn.channel), offer_id, turn.now)
    offer, listing, side = settled.offer, settled.listing, settled.side
    show_menu(
        turn,
        "offers.agreed",
        **offer_context(offer, listing),
        side=side,
        buyer=await name_of(turn, offer.buyer_id),
        contacts=await contacts(turn.session, offer, listing, side),
    )


async def reject_offer(turn: Turn, offer_id: int) -> None:
    """Reject with one tap; the other side hears of it at once."""
    settled = await reject(turn.session, Actor(turn.person, turn.channel), offer_id, turn.now)
    offer, listing, side = settled.offer, settled.listing, settled.side
    turn.say(
        "offers.rejected_self",
        **offer_context(offer, listing),
        side=side,
        buyer=await name_of(turn, offer.buyer_id),
    )
    await start(turn)


async def ask_counter(turn: Turn, offer_id: int) -> None:
    """What amount to answer with; checked now so that a closed offer is refused before any typing."""
    offer, side = await get_offer(turn.session, turn.person, offer_id)
    check_open(offer, turn.now)
    if answering_side(offer) != side:
        await show(turn, offer_id)
        return
    listing = await listing_of(turn.session, offer)
    _ask_counter(turn, offer, listing, side)


def _ask_counter(turn: Turn, offer: Offer, listing: Listing, side: OfferSide) -> None:
    turn.ask(
        "offers.ask_counter",
        choices=[turn.choice(routes.open_(offer.id), "back"), menu_button(turn)],
        **offer_context(offer, listing),
        side=side,
        minimum=minimum_amount(listing),
        buyer="",
    )
    turn.go(NAME, "counter", offer=offer.id)


async def on_counter_text(turn: Turn, text: str) -> None:
    """The counter amount typed; one far above the asking price is asked about before it goes."""
    offer_id = turn.data.get("offer")
    if offer_id is None:
        await start(turn)
        return
    offer, side = await get_offer(turn.session, turn.person, int(offer_id))
    listing = await listing_of(turn.session, offer)
    try:
        amount = check_amount(listing, amount_from_text(listing, text), buyer=side == OfferSide.BUYER)
    except (BadAmount, BelowMinimum, TooHigh) as error:
        turn.fail(error.message_key, **error.context)
        _ask_counter(turn, offer, listing, side)
        return
    if needs_confirmation(amount, listing):
        yes, no = routes.counter_high((offer.id, routes.YES)), routes.counter_high((offer.id, routes.NO))
        ask_if_meant(turn, listing, amount, yes=yes, no=no)
        turn.go(NAME, "counter_high", offer=offer.id, amount=str(amount))
        return
    try:
        await send_counter(turn, offer, amount)
    except DomainError as error:
        turn.fail(error.message_key, **error.context)
        await start(turn)


async def on_counter_high(turn: Turn, reply: tuple[int, str]) -> None:
    """Yes sends the counter asked about; anything else asks for the amount again."""
    data, (offer_id, answer) = turn.data, reply
    if answer == routes.YES and turn.state.step == "counter_high" and data.get("offer") == offer_id:
        offer, _ = await get_offer(turn.session, turn.person, offer_id)
        await send_counter(turn, offer, Decimal(data["amount"]))
        return
    await ask_counter(turn, offer_id)


async def send_counter(turn: Turn, offer: Offer, amount: Decimal) -> None:
    """Counter the offer with `amount`: the other side gets it with Accept / Reject / Counter."""
    try:
        settled = await counter(turn.session, Actor(turn.person, turn.channel), offer.id, amount, turn.now)
    except SameAmount as error:
        turn.fail(error.message_key, **error.context)
        await show(turn, offer.id)
        return
    listing, side = settled.listing, settled.side
    reply = settled.offer
    turn.say(
        "offers.counter_sent",
        **offer_context(reply, listing),
        side=side,
        buyer=await name_of(turn, reply.buyer_id),
        tz=turn.person.timezone,
    )
    await start(turn)


async def ask_withdraw(turn: Turn, offer_id: int) -> None:
    """Withdraw your £270,000 offer on 14 Cardigan Road? Yes, withdraw / Keep it."""
    offer, _ = await get_offer(turn.session, turn.person, offer_id)
    latest = await latest_of(turn.session, offer)
    check_open(latest, turn.now)
    data = turn.data if turn.state.flow == NAME and turn.data.get("offer") == offer_id else {}
    turn.ask(
        "offers.confirm_withdraw",
        choices=[
            turn.choice(routes.withdraw_answer((offer_id, routes.YES)), "yes_withdraw"),
            turn.choice(routes.withdraw_answer((offer_id, routes.NO)), "keep_offer"),
        ],
        **offer_context(latest, await listing_of(turn.session, latest)),
    )
    turn.go(NAME, "withdraw", on_detour=bool(data), **{**data, "offer": offer_id})


async def on_withdraw(turn: Turn, reply: tuple[int, str]) -> None:
    """Yes withdraws (and ends the detour that asked for it), Keep it goes back to where the person came
    from."""
    offer_id, answer = reply
    data = turn.data if turn.state.flow == NAME and turn.data.get("offer") == offer_id else {}
    if answer == routes.YES:
        await take_back(turn, offer_id, turn.end_detour() if data else None)
    elif data.get("listing"):
        await resume(turn, search.details(data["listing"]))
    else:
        await show(turn, offer_id)


async def take_back(turn: Turn, offer_id: int, then: str | None) -> None:
    """The buyer withdraws; the seller's side is told; on to the new offer, or the history with it."""
    settled = await withdraw(turn.session, Actor(turn.person, turn.channel), offer_id, turn.now)
    offer, listing = settled.offer, settled.listing
    turn.say("offers.withdrawn_self", **offer_context(offer, listing))
    if then is not None:
        await resume(turn, then)
    else:
        await show(turn, offer.id)


async def otherwise(turn: Turn, _action: str, _arg: str | None) -> None:
    """An offers choice no route takes (and My offers itself): the list."""
    await start(turn)


async def refused(turn: Turn, error: DomainError) -> None:
    """A refusal is explained over the list, and nothing changes."""
    turn.fail(error.message_key, on_screen=True, **error.context)
    await start(turn)


def _item(turn: Turn, offer: Offer, listing: Listing, buyer: str) -> dict[str, Any]:
    """One negotiation as lists and details show it."""
    side = OfferSide.BUYER if offer.buyer_id == turn.person.id else OfferSide.SELLER
    return {
        **offer_context(offer, listing),
        "side": side,
        "message": message_for(offer, side),
        "buyer": buyer,
        "left": offer.expires_at - turn.now,
        "tz": turn.person.timezone,
    }


def _step(turn: Turn, offer: Offer, buyer: str) -> dict[str, Any]:
    """One offer of a negotiation's history: who put which amount, when."""
    return {"o": offer, "buyer": buyer, "tz": turn.person.timezone}


async def _detail_again(turn: Turn) -> None:
    offer_id = turn.data.get("offer")
    await (show(turn, int(offer_id)) if offer_id is not None else start(turn))


FLOW = Flow(
    name=NAME,
    start=start,
    on_choice=otherwise,
    routes=(
        on_bare(routes.mine, start),
        on(routes.open_, show),
        on(routes.accept, accept_offer),
        on(routes.reject, reject_offer),
        on(routes.counter, ask_counter),
        on(routes.counter_high, on_counter_high),
        on(routes.withdraw, ask_withdraw),
        on(routes.withdraw_answer, on_withdraw),
    ),
    on_refused=refused,
    on_text={"counter": on_counter_text, "counter_high": on_counter_text},
    answers={"counter": AnswerKind.NUMBER, "counter_high": AnswerKind.NUMBER},
    steps=(
        Step("list", start),
        Step("detail", _detail_again),
        Step("counter", _detail_again),
        Step("counter_high", _detail_again, back_to="detail"),
    ),
)
