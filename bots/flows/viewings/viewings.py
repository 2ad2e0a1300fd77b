"""My viewings: both sides see what is coming; hosts answer requests; either side moves or cancels."""

from __future__ import annotations

from bots.dialog.flow import Flow, Step
from bots.dialog.routes import on, on_bare
from bots.dialog.turn import Turn
from bots.flows.common import name_of
from bots.flows.routes import viewings as routes
from bots.flows.viewings.new_times import (
    on_day,
    on_later,
    on_more_days,
    on_move,
    on_move_anyway,
    on_move_to,
    on_offer_time,
    on_propose,
    on_take,
    send_proposals,
)
from bots.flows.viewings.screens import NAME, detail_again, show, start
from bots.outbound.calendar_files import calendar_context
from core.answers import AnswerKind
from core.errors import DomainError
from core.listings.dealings import listing_of
from core.listings.model import Side
from core.listings.rules import is_managed
from core.viewings.actions import cancel, confirm, decline, record_outcome
from core.viewings.queries import get_viewing
from core.viewings.rules import (
    SlotTaken,
)

_REASONS = {
    Side.BUYER: ("reason_cant_make", "reason_found_home"),
    Side.SELLER: ("reason_unavailable", "reason_under_offer"),
}


async def confirm_request(turn: Turn, viewing_id: int) -> None:
    """A host confirms a request; requests for the same time are declined."""
    session, now = turn.session, turn.now
    viewing, *_ = await confirm(session, turn.person, viewing_id, now)
    listing = await listing_of(session, viewing)
    turn.say(
        "viewings.confirmed_host",
        l=listing,
        v=viewing,
        buyer=await name_of(turn, viewing.buyer_id),
        tz=turn.person.timezone,
        **calendar_context(viewing, listing, turn.setup.public_base_url),
    )
    await start(turn)


async def decline_request(turn: Turn, viewing_id: int) -> None:
    """A host declines a request; the buyer may book another time."""
    viewing = await decline(turn.session, turn.person, viewing_id, turn.now)
    listing = await listing_of(turn.session, viewing)
    turn.say("viewings.declined_host", l=listing, v=viewing, tz=turn.person.timezone)
    await start(turn)


async def ask_reason(turn: Turn, viewing_id: int) -> None:
    """Why cancel? A tap or a few words; the other side is told."""
    _, side = await get_viewing(turn.session, turn.person, viewing_id)
    choices = [turn.choice(routes.why((viewing_id, key)), key) for key in _REASONS[side]]
    turn.ask(
        "viewings.ask_reason",
        choices=[*choices, turn.choice(routes.open_(viewing_id), "keep_viewing")],
    )
    turn.go(NAME, "reason", viewing=viewing_id)


async def on_reason_text(turn: Turn, text: str) -> None:
    """A typed reason cancels the viewing being asked about."""
    viewing_id = turn.data.get("viewing")
    if viewing_id is None:
        await start(turn)
        return
    await cancel_with(turn, int(viewing_id), text)


async def cancel_with(turn: Turn, viewing_id: int, reason: str | None) -> None:
    """Cancel and tell the other side why; a buyer whose viewing the host cancelled may book again."""
    viewing, _ = await cancel(turn.session, turn.person, viewing_id, reason, turn.now)
    listing = await listing_of(turn.session, viewing)
    turn.say(
        "viewings.cancelled_self", l=listing, v=viewing, tz=turn.person.timezone, managed=is_managed(listing)
    )
    await start(turn)


async def outcome(turn: Turn, viewing_id: int, completed: bool) -> None:
    """After the time, the host records whether the buyer came."""
    viewing = await record_outcome(turn.session, turn.person, viewing_id, completed, turn.now)
    turn.say("viewings.outcome", completed=completed, buyer=await name_of(turn, viewing.buyer_id))
    await start(turn)


async def _none_suit(turn: Turn, viewing_id: int) -> None:
    await cancel_with(turn, viewing_id, turn.texts.label("none_suit", locale=turn.locale))


async def _why(turn: Turn, viewing_reason: tuple[int, str]) -> None:
    viewing_id, key = viewing_reason
    await cancel_with(turn, viewing_id, turn.texts.label(key, locale=turn.locale) if key else None)


async def _completed(turn: Turn, viewing_id: int) -> None:
    await outcome(turn, viewing_id, completed=True)


async def _no_show(turn: Turn, viewing_id: int) -> None:
    await outcome(turn, viewing_id, completed=False)


async def otherwise(turn: Turn, _action: str, _arg: str | None) -> None:
    """A viewings choice no route takes (and My viewings itself): the list."""
    await start(turn)


async def refused(turn: Turn, error: DomainError) -> None:
    """A refusal is explained over the list (a time someone took meanwhile, said apart), nothing changes."""
    if isinstance(error, SlotTaken):
        turn.say("viewings.time_taken")
    else:
        turn.fail(error.message_key, on_screen=True, **error.context)
    await start(turn)


FLOW = Flow(
    name=NAME,
    start=start,
    on_choice=otherwise,
    routes=(
        on_bare(routes.mine, start),
        on(routes.open_, show),
        on(routes.confirm, confirm_request),
        on(routes.decline, decline_request),
        on(routes.propose, on_propose),
        on(routes.move, on_move),
        on(routes.offer_time, on_offer_time),
        on(routes.send_proposals, send_proposals),
        on(routes.move_to, on_move_to),
        on(routes.move_anyway, on_move_anyway),
        on(routes.take, on_take),
        on(routes.none_suit, _none_suit),
        on(routes.cancel, ask_reason),
        on(routes.why, _why),
        on(routes.completed, _completed),
        on(routes.no_show, _no_show),
        on(routes.pick_day, on_day),
        on(routes.pick_later, on_later),
        on(routes.more_days, on_more_days),
    ),
    on_refused=refused,
    on_text={"reason": on_reason_text},
    answers={"reason": AnswerKind.PROSE},
    steps=(
        Step("list", start),
        Step("detail", detail_again),
        *(Step(step, detail_again, "detail") for step in ("move", "propose", "reason")),
    ),
)
