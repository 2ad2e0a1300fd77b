"""My viewings: both sides see what is coming; hosts answer requests; either side moves or cancels."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from bots.dialog.flow import Flow, Step
from bots.dialog.routes import on, on_bare
from bots.dialog.turn import Turn
from bots.flows.common import menu_button, name_of, show_menu
from bots.flows.routes import viewings as routes
from bots.flows.viewings import slot_picker
from bots.flows.viewings.clash_warning import warned_of_clash
from bots.flows.viewings.notices import answer_buttons
from bots.messages import Choice
from bots.outbound.calendar_files import calendar_context
from core.answers import AnswerKind
from core.errors import DomainError, Forbidden
from core.listings.dealings import listing_of
from core.listings.model import Listing, Side
from core.listings.rules import is_managed
from core.viewings.actions import cancel, confirm, decline, propose, record_outcome, reschedule, take_proposal
from core.viewings.model import Viewing, ViewingStatus
from core.viewings.queries import get_viewing, open_slots, viewings_of
from core.viewings.rules import (
    MAX_PROPOSALS,
    SlotTaken,
    check_answerable,
    check_movable,
    proposed_starts,
    viewing_side,
)

NAME = routes.VIEWINGS
UPCOMING_SHOWN = 8
PAST_SHOWN = 3
_REASONS = {
    Side.BUYER: ("reason_cant_make", "reason_found_home"),
    Side.SELLER: ("reason_unavailable", "reason_under_offer"),
}


async def start(turn: Turn) -> None:
    """Upcoming viewings (as buyer and as host) and the last few past or called-off ones, each a tap away."""
    rows = await viewings_of(turn.session, turn.person)
    upcoming = [r for r in rows if r.viewing.open and r.viewing.ends_at > turn.now][:UPCOMING_SHOWN]
    past = [r for r in rows if r not in upcoming and r.viewing.status != ViewingStatus.RESCHEDULED]
    past = past[-PAST_SHOWN:]
    if not upcoming and not past:
        turn.say("menu.no_viewings")
        show_menu(turn)
        return
    shown = [*upcoming, *past]
    items = [
        _item(turn, r.viewing, r.listing, viewing_side(turn.person, r.viewing, r.listing), r.buyer_name)
        for r in shown
    ]
    choices = [turn.choice(routes.open_(r.viewing.id), "viewing", n=n) for n, r in enumerate(shown, start=1)]
    turn.ask(
        "viewings.mine",
        choices=[*choices, menu_button(turn)],
        upcoming=items[: len(upcoming)],
        past=items[len(upcoming) :],
        tz=turn.person.timezone,
    )
    turn.go(NAME, "list")


async def show(turn: Turn, viewing_id: int) -> None:
    """One viewing with what this person can do about it now."""
    viewing, side = await get_viewing(turn.session, turn.person, viewing_id)
    listing = await listing_of(turn.session, viewing)
    turn.ask(
        "viewings.detail",
        choices=[
            *_actions(turn, viewing, listing, side),
            turn.choice(routes.mine(), "my_viewings"),
            menu_button(turn),
        ],
        **_item(turn, viewing, listing, side, await name_of(turn, viewing.buyer_id)),
        tz=turn.person.timezone,
    )
    turn.go(NAME, "detail", viewing=viewing.id)


def _actions(turn: Turn, viewing: Viewing, listing: Listing, side: Side) -> list[Choice]:
    upcoming = viewing.starts_at > turn.now
    vid = viewing.id
    if side == Side.SELLER and viewing.status == ViewingStatus.PENDING and upcoming:
        return [turn.choice(b.choice_id, b.label_key) for b in answer_buttons(viewing)]
    if side == Side.BUYER and viewing.status == ViewingStatus.PROPOSED:
        return [
            *[
                slot_picker.when_choice(
                    turn,
                    start,
                    listing.time_zone,
                    choice_id=routes.take((vid, start)),
                )
                for start in proposed_starts(viewing)
            ],
            turn.choice(routes.none_suit(vid), "none_suit"),
        ]
    if viewing.status in (ViewingStatus.PENDING, ViewingStatus.CONFIRMED) and upcoming:
        return [
            turn.choice(routes.move(vid), "reschedule"),
            turn.choice(routes.cancel(vid), "cancel_viewing"),
        ]
    if side == Side.SELLER and viewing.status == ViewingStatus.CONFIRMED and not upcoming:
        return [
            turn.choice(routes.completed(vid), "completed"),
            turn.choice(routes.no_show(vid), "no_show"),
        ]
    return []


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


async def pick_day(turn: Turn, viewing_id: int, purpose: str, page: int = 0) -> None:
    """Days with free slots, to move a viewing to or to propose to its buyer."""
    viewing, side = await get_viewing(turn.session, turn.person, viewing_id)
    if purpose == "move":
        check_movable(viewing, turn.now)
    elif side != Side.SELLER:
        raise Forbidden("errors.forbidden.confirm_viewing")
    else:
        check_answerable(viewing, turn.now)
    listing = await listing_of(turn.session, viewing)
    slots = await open_slots(turn.session, listing, turn.now, ignore=viewing.id)
    data = turn.data if turn.state.flow == NAME and turn.data.get("viewing") == viewing_id else {}
    picked = list(data.get("picked", [])) if purpose == "propose" else []
    slots = [slot for slot in slots if slot_picker.slot_code(slot.start) not in picked]
    if not slots:
        turn.fail("viewings.no_hours", on_screen=True)
        await show(turn, viewing_id)
        return
    slot_picker.ask_day(
        turn,
        f"viewings.ask_{purpose}_day",
        slots,
        listing.time_zone,
        pick=routes.pick_day,
        more=routes.more_days,
        page=page,
        after=[turn.choice(routes.open_(viewing_id), "back"), menu_button(turn)],
        l=listing,
        v=viewing,
        tz=turn.person.timezone,
    )
    turn.go(NAME, purpose, viewing=viewing_id, picked=picked)


async def pick_time(turn: Turn, day: date, page: int = 0) -> None:
    """Free times on one day, for the move or proposal under way."""
    data = turn.data
    viewing_id, purpose = data.get("viewing"), turn.state.step
    if viewing_id is None or purpose not in ("move", "propose"):
        await start(turn)
        return
    viewing, _ = await get_viewing(turn.session, turn.person, viewing_id)
    listing = await listing_of(turn.session, viewing)
    slots = slot_picker.by_day(
        await open_slots(turn.session, listing, turn.now, ignore=viewing.id), listing.time_zone
    )
    picked = data.get("picked", [])
    time_route, day_route = (
        (routes.move_to, routes.move) if purpose == "move" else (routes.offer_time, routes.propose)
    )
    day_slots = [slot for slot in slots.get(day, []) if slot_picker.slot_code(slot.start) not in picked]
    if not day_slots:
        await pick_day(turn, viewing_id, purpose)
        return
    slot_picker.ask_time(
        turn,
        "viewings.ask_time",
        day_slots,
        listing.time_zone,
        at=lambda start_at: time_route((viewing_id, start_at)),
        later=routes.pick_later,
        day=day,
        page=page,
        after=[turn.choice(day_route(viewing_id), "other_day"), menu_button(turn)],
        l=listing,
    )
    turn.go(NAME, purpose, **{**data, "viewing": viewing_id})


async def move(turn: Turn, viewing_id: int, start_at: datetime, *, anyway: bool = False) -> None:
    """Move a viewing; the other side hears of it (a buyer's move goes back to the host to confirm).

    A buyer moving to a time that clashes with another of their viewings is asked first.
    """
    if not anyway and await _move_clashes(turn, viewing_id, start_at):
        return
    old, new, _ = await reschedule(turn.session, turn.person, viewing_id, start_at, turn.now)
    listing = await listing_of(turn.session, new)
    confirmed = new.status == ViewingStatus.CONFIRMED
    turn.say(
        "viewings.moved_self",
        l=listing,
        v=new,
        old=old,
        confirmed=confirmed,
        tz=turn.person.timezone,
        **calendar_context(new, listing, turn.setup.public_base_url, send=confirmed),
    )
    await start(turn)


async def _move_clashes(turn: Turn, viewing_id: int, start_at: datetime) -> bool:
    """Ask "Book anyway?" when a buyer's move clashes with another of their viewings; True if asked."""
    viewing, side = await get_viewing(turn.session, turn.person, viewing_id)
    if side != Side.BUYER:
        return False
    listing = await listing_of(turn.session, viewing)
    day = start_at.astimezone(ZoneInfo(listing.time_zone)).date()
    asked = await warned_of_clash(
        turn,
        start_at,
        viewing.ends_at - viewing.starts_at,
        anyway=routes.move_anyway((viewing_id, start_at)),
        another=routes.pick_day(day),
        ignore=viewing.id,
    )
    if asked:
        turn.go(NAME, "move", viewing=viewing_id)
    return asked


async def add_proposal(turn: Turn, viewing_id: int, start_at: datetime) -> None:
    """A host picks a time to propose; after the third, or when they say so, the buyer gets them."""
    data = turn.data
    picked = [*data.get("picked", []), slot_picker.slot_code(start_at)][:MAX_PROPOSALS]
    turn.go(NAME, "propose", viewing=viewing_id, picked=picked)
    if len(picked) >= MAX_PROPOSALS:
        await send_proposals(turn, viewing_id)
        return
    viewing, _ = await get_viewing(turn.session, turn.person, viewing_id)
    listing = await listing_of(turn.session, viewing)
    starts = [slot_picker.parse_slot_code(code) for code in picked]
    turn.ask(
        "viewings.proposing",
        choices=[
            turn.choice(routes.send_proposals(viewing_id), "send_proposals"),
            turn.choice(routes.propose(viewing_id), "add_time"),
            menu_button(turn),
        ],
        l=listing,
        starts=starts,
        tz=turn.person.timezone,
    )


async def send_proposals(turn: Turn, viewing_id: int) -> None:
    """Send the proposed times to the buyer as buttons."""
    codes = turn.data.get("picked", []) if turn.data.get("viewing") == viewing_id else []
    starts = [start for start in map(slot_picker.parse_slot_code, codes) if start is not None]
    viewing = await propose(turn.session, turn.person, viewing_id, starts, turn.now)
    listing = await listing_of(turn.session, viewing)
    chosen = proposed_starts(viewing)
    turn.say("viewings.proposals_sent", l=listing, starts=chosen, tz=turn.person.timezone)
    await start(turn)


async def take(turn: Turn, viewing_id: int, start_at: datetime) -> None:
    """The buyer takes one of the proposed times: confirmed for both sides."""
    viewing = await take_proposal(turn.session, turn.person, viewing_id, start_at, turn.now)
    listing = await listing_of(turn.session, viewing)
    show_menu(
        turn,
        "viewings.confirmed",
        l=listing,
        v=viewing,
        tz=turn.person.timezone,
        **calendar_context(viewing, listing, turn.setup.public_base_url),
    )


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


async def _pick_time(turn: Turn, day: date) -> None:
    await pick_time(turn, day)


async def _later(turn: Turn, day_page: tuple[date, int]) -> None:
    await pick_time(turn, *day_page)


async def _propose(turn: Turn, viewing_id: int) -> None:
    await pick_day(turn, viewing_id, "propose")


async def _move(turn: Turn, viewing_id: int) -> None:
    await pick_day(turn, viewing_id, "move")


async def _add_proposal(turn: Turn, viewing_start: tuple[int, datetime]) -> None:
    await add_proposal(turn, *viewing_start)


async def _move_to(turn: Turn, viewing_start: tuple[int, datetime]) -> None:
    await move(turn, *viewing_start)


async def _move_anyway(turn: Turn, viewing_start: tuple[int, datetime]) -> None:
    await move(turn, *viewing_start, anyway=True)


async def _take(turn: Turn, viewing_start: tuple[int, datetime]) -> None:
    await take(turn, *viewing_start)


async def _none_suit(turn: Turn, viewing_id: int) -> None:
    await cancel_with(turn, viewing_id, turn.texts.label("none_suit", locale=turn.locale))


async def _why(turn: Turn, viewing_reason: tuple[int, str]) -> None:
    viewing_id, key = viewing_reason
    await cancel_with(turn, viewing_id, turn.texts.label(key, locale=turn.locale) if key else None)


async def _completed(turn: Turn, viewing_id: int) -> None:
    await outcome(turn, viewing_id, completed=True)


async def _no_show(turn: Turn, viewing_id: int) -> None:
    await outcome(turn, viewing_id, completed=False)


async def _more_days(turn: Turn, _page: int) -> None:
    """More dates under a move or proposal: the list, as its page number reads as a viewing's."""
    await start(turn)


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


def _item(turn: Turn, viewing: Viewing, listing: Listing, side: Side, buyer: str) -> dict[str, Any]:
    """What a list line or detail shows about a viewing, from this person's side."""
    return {
        "v": viewing,
        "l": listing,
        "side": side,
        "buyer": buyer,
        "upcoming": viewing.starts_at > turn.now,
        "proposals": proposed_starts(viewing),
    }


async def _detail_again(turn: Turn) -> None:
    viewing_id = turn.data.get("viewing")
    await (show(turn, int(viewing_id)) if viewing_id is not None else start(turn))


FLOW = Flow(
    name=NAME,
    start=start,
    on_choice=otherwise,
    routes=(
        on_bare(routes.mine, start),
        on(routes.open_, show),
        on(routes.confirm, confirm_request),
        on(routes.decline, decline_request),
        on(routes.propose, _propose),
        on(routes.move, _move),
        on(routes.offer_time, _add_proposal),
        on(routes.send_proposals, send_proposals),
        on(routes.move_to, _move_to),
        on(routes.move_anyway, _move_anyway),
        on(routes.take, _take),
        on(routes.none_suit, _none_suit),
        on(routes.cancel, ask_reason),
        on(routes.why, _why),
        on(routes.completed, _completed),
        on(routes.no_show, _no_show),
        on(routes.pick_day, _pick_time),
        on(routes.pick_later, _later),
        on(routes.more_days, _more_days),
    ),
    on_refused=refused,
    on_text={"reason": on_reason_text},
    answers={"reason": AnswerKind.PROSE},
    steps=(
        Step("list", start),
        Step("detail", _detail_again),
        *(Step(step, _detail_again, "detail") for step in ("move", "propose", "reason")),
    ),
)
