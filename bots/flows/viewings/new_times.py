"""Another time for a viewing: a buyer or host moving it, or a host proposing times to the buyer."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from bots.dialog.turn import Turn
from bots.flows.common import menu_button, show_menu
from bots.flows.routes import viewings as routes
from bots.flows.viewings import slot_picker
from bots.flows.viewings.clash_warning import warned_of_clash
from bots.flows.viewings.screens import NAME, show, start
from bots.outbound.calendar_files import calendar_context
from core.errors import Forbidden
from core.listings.dealings import listing_of
from core.listings.model import Side
from core.viewings.actions import propose, reschedule, take_proposal
from core.viewings.model import ViewingStatus
from core.viewings.queries import get_viewing, open_slots
from core.viewings.rules import (
    MAX_PROPOSALS,
    check_answerable,
    check_movable,
    proposed_starts,
)


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


async def on_day(turn: Turn, day: date) -> None:
    """A day picked: its free times."""
    await pick_time(turn, day)


async def on_later(turn: Turn, day_page: tuple[date, int]) -> None:
    """Later times on the day being picked from."""
    await pick_time(turn, *day_page)


async def on_propose(turn: Turn, viewing_id: int) -> None:
    """A host starts proposing other times: the days with free slots."""
    await pick_day(turn, viewing_id, "propose")


async def on_move(turn: Turn, viewing_id: int) -> None:
    """Moving a viewing: the days with free slots."""
    await pick_day(turn, viewing_id, "move")


async def on_offer_time(turn: Turn, viewing_start: tuple[int, datetime]) -> None:
    """A time to propose picked."""
    await add_proposal(turn, *viewing_start)


async def on_move_to(turn: Turn, viewing_start: tuple[int, datetime]) -> None:
    """A time to move to picked."""
    await move(turn, *viewing_start)


async def on_move_anyway(turn: Turn, viewing_start: tuple[int, datetime]) -> None:
    """Moving there despite the clash."""
    await move(turn, *viewing_start, anyway=True)


async def on_take(turn: Turn, viewing_start: tuple[int, datetime]) -> None:
    """The buyer takes a proposed time."""
    await take(turn, *viewing_start)


async def on_more_days(turn: Turn, _page: int) -> None:
    """More dates under a move or proposal: the list, as its page number reads as a viewing's."""
    await start(turn)
