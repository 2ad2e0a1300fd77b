"""My offers and Offers on my listings: status and time left, one-tap answers, counters and withdrawals."""

from __future__ import annotations

from typing import Any

from bots.dialog.turn import Flow, Step, Turn
from bots.flows.common import menu_button, name_of, show_menu
from bots.messages import Choice
from bots.offer_notices import (
    agreed_notices,
    answer_buttons,
    contacts,
    new_offer_button,
    offer_context,
    to_buyer,
    to_other_side,
)
from core.answers import AnswerKind
from core.errors import DomainError
from core.models import Listing, Offer, OfferSide, OfferStatus
from core.offers import (
    Actor,
    BadAmount,
    BelowMinimum,
    accept,
    amount_from_text,
    answering_side,
    chain_of,
    check_open,
    counter,
    get_offer,
    is_open,
    latest_of,
    listing_of,
    minimum_amount,
    negotiations_of,
    reject,
    withdraw,
)

NAME = "offers"
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
    items = [await _item(turn, offer) for offer in shown]
    turn.ask(
        "offers.mine",
        choices=[
            *[turn.choice(f"{NAME}:open:{o.id}", "offer_n", n=n) for n, o in enumerate(shown, start=1)],
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
    history = [await _step(turn, step) for step in await chain_of(turn.session, offer)]
    turn.ask(
        "offers.detail",
        choices=[*_actions(turn, offer, side), turn.choice(f"{NAME}:show", "my_offers"), menu_button(turn)],
        history=history,
        **await _item(turn, offer),
    )
    turn.go(NAME, "detail", offer=offer.id)


def _actions(turn: Turn, offer: Offer, side: OfferSide) -> list[Choice]:
    if not is_open(offer, turn.now):
        return []
    answers = [turn.choice(b.choice_id, b.label_key) for b in answer_buttons(offer)]
    if side == OfferSide.BUYER:
        withdraw_choice = turn.choice(f"{NAME}:withdraw:{offer.id}", "withdraw_offer")
        return [*answers, withdraw_choice] if answering_side(offer) == side else [withdraw_choice]
    return answers if answering_side(offer) == side else []


async def answer(turn: Turn, action: str, offer_id: int) -> None:
    """Accept or reject with one tap; the other side hears of it at once."""
    actor = Actor(turn.person, turn.channel)
    if action == "accept":
        settled = await accept(turn.session, actor, offer_id, turn.now)
        offer, listing, side = settled.offer, settled.listing, settled.side
        show_menu(
            turn,
            "offers.agreed",
            **offer_context(offer, listing),
            side=side,
            buyer=await name_of(turn, offer.buyer_id),
            contacts=await contacts(turn.session, offer, listing, side),
        )
        for notice in await agreed_notices(turn.session, offer, listing, side):
            turn.notify(notice)
        for closed in settled.closed:
            turn.notify(to_buyer(closed, listing, "offers.under_offer"))
        return
    settled = await reject(turn.session, actor, offer_id, turn.now)
    offer, listing, side = settled.offer, settled.listing, settled.side
    turn.say(
        "offers.rejected_self",
        **offer_context(offer, listing),
        side=side,
        buyer=await name_of(turn, offer.buyer_id),
    )
    again = (new_offer_button(listing),) if side == OfferSide.SELLER else ()
    for notice in await to_other_side(turn.session, offer, listing, side, "offers.rejected", buttons=again):
        turn.notify(notice)
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
        choices=[turn.choice(f"{NAME}:open:{offer.id}", "back"), menu_button(turn)],
        **offer_context(offer, listing),
        side=side,
        minimum=minimum_amount(listing),
        buyer="",
    )
    turn.go(NAME, "counter", offer=offer.id)


async def on_counter_text(turn: Turn, text: str) -> None:
    """The counter amount typed: the other side gets it with Accept / Reject / Counter."""
    offer_id = turn.data.get("offer")
    if offer_id is None:
        await start(turn)
        return
    offer, side = await get_offer(turn.session, turn.person, int(offer_id))
    listing = await listing_of(turn.session, offer)
    try:
        amount = amount_from_text(listing, text)
        settled = await counter(turn.session, Actor(turn.person, turn.channel), offer.id, amount, turn.now)
    except (BadAmount, BelowMinimum) as error:
        turn.fail(error.message_key, **error.context)
        _ask_counter(turn, offer, listing, side)
        return
    reply = settled.offer
    turn.say(
        "offers.counter_sent",
        **offer_context(reply, listing),
        side=side,
        buyer=await name_of(turn, reply.buyer_id),
        tz=turn.person.timezone,
    )
    for notice in await to_other_side(
        turn.session, reply, listing, side, "offers.countered", buttons=answer_buttons(reply)
    ):
        turn.notify(notice)
    await start(turn)


async def take_back(turn: Turn, offer_id: int) -> None:
    """The buyer withdraws; the seller's side is told."""
    settled = await withdraw(turn.session, Actor(turn.person, turn.channel), offer_id, turn.now)
    offer, listing = settled.offer, settled.listing
    turn.say("offers.withdrawn_self", **offer_context(offer, listing))
    for notice in await to_other_side(turn.session, offer, listing, OfferSide.BUYER, "offers.withdrawn"):
        turn.notify(notice)
    show_menu(turn)


async def on_choice(turn: Turn, action: str, arg: str | None) -> None:
    """Act on an offers button; a refusal is explained and nothing changes."""
    offer_id = int(arg) if arg and arg.isdigit() else None
    try:
        if offer_id is None:
            await start(turn)
        elif action == "open":
            await show(turn, offer_id)
        elif action in ("accept", "reject"):
            await answer(turn, action, offer_id)
        elif action == "counter":
            await ask_counter(turn, offer_id)
        elif action == "withdraw":
            await take_back(turn, offer_id)
        else:
            await start(turn)
    except DomainError as error:
        turn.fail(error.message_key, on_screen=True, **error.context)
        await start(turn)


async def _item(turn: Turn, offer: Offer) -> dict[str, Any]:
    """One negotiation as lists and details show it."""
    listing = await listing_of(turn.session, offer)
    return {
        **offer_context(offer, listing),
        "side": OfferSide.BUYER if offer.buyer_id == turn.person.id else OfferSide.SELLER,
        "buyer": await name_of(turn, offer.buyer_id),
        "left": offer.expires_at - turn.now,
        "tz": turn.person.timezone,
    }


async def _step(turn: Turn, offer: Offer) -> dict[str, Any]:
    """One offer of a negotiation's history: who put which amount, when."""
    return {"o": offer, "buyer": await name_of(turn, offer.buyer_id), "tz": turn.person.timezone}


async def _detail_again(turn: Turn) -> None:
    offer_id = turn.data.get("offer")
    await (show(turn, int(offer_id)) if offer_id is not None else start(turn))


FLOW = Flow(
    name=NAME,
    start=start,
    on_choice=on_choice,
    on_text={"counter": on_counter_text},
    answers={"counter": AnswerKind.NUMBER},
    steps=(Step("list", start), Step("detail", _detail_again), Step("counter", _detail_again)),
)
