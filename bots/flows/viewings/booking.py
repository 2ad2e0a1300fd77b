"""Book a viewing from a listing: a day, a time (held for five minutes), how many people, then confirm."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from bots.dialog.flow import Flow, Step
from bots.dialog.routes import on
from bots.dialog.turn import Turn
from bots.flows.common import listing_screen, menu_button, show_menu
from bots.flows.people import verify
from bots.flows.routes import viewings as routes
from bots.flows.viewings import slot_picker
from bots.flows.viewings.clash_warning import warned_of_clash
from bots.outbound.calendar_files import calendar_context
from core.errors import DomainError
from core.listings.model import Listing
from core.listings.queries import get_listing_for_viewing
from core.viewings.actions import hold, release_hold, submit
from core.viewings.model import Viewing, ViewingStatus
from core.viewings.queries import open_slots, settings_of
from core.viewings.rules import HOLD, NoViewingHours, SlotTaken

NAME = routes.BOOKING
MAX_VIEWER_BUTTONS = 6


async def start(turn: Turn, listing_key: str | None = None, page: int = 0) -> None:
    """The days with free slots for the listing; booking needs a proven phone first."""
    listing_key = listing_key or turn.data.get("listing")
    if listing_key is None:
        show_menu(turn)
        return
    if not turn.person.verified:
        await verify.start(turn, then=routes.book(listing_key))
        return
    try:
        listing = await get_listing_for_viewing(turn.session, listing_key)
        slots = await open_slots(turn.session, listing, turn.now)
        if not slots:
            raise NoViewingHours()
    except DomainError as error:
        turn.fail(error.message_key, **error.context)
        show_menu(turn)
        return
    slot_picker.ask_day(
        turn,
        "viewings.ask_day",
        slots,
        listing.time_zone,
        pick=routes.book_day,
        more=routes.book_days,
        page=page,
        after=[menu_button(turn)],
        l=listing,
    )
    turn.go(NAME, "day", listing=listing_key)


async def show_times(turn: Turn, day: date, page: int = 0) -> None:
    """The free times on one day."""
    listing_key = turn.data.get("listing")
    listing = await _listing(turn, listing_key)
    if listing is None:
        return
    slots = slot_picker.by_day(await open_slots(turn.session, listing, turn.now), listing.time_zone).get(day)
    if not slots:
        await start(turn, listing.listing_key)
        return
    slot_picker.ask_time(
        turn,
        "viewings.ask_time",
        slots,
        listing.time_zone,
        at=lambda start_at: routes.book_at((listing.listing_key, start_at)),
        later=routes.book_later,
        day=day,
        page=page,
        after=[turn.choice(routes.book(listing.listing_key), "other_day"), menu_button(turn)],
        l=listing,
    )
    turn.go(NAME, "time", listing=listing.listing_key)


async def take_time(turn: Turn, listing_key: str, start_at: datetime, *, anyway: bool = False) -> None:
    """Hold the chosen time and ask how many people will come; a taken time offers the nearest free ones.

    A time that clashes with another of the buyer's viewings is held only once they say "Book anyway".
    """
    if not turn.person.verified:
        await verify.start(turn, then=routes.book(listing_key))
        return
    try:
        if not anyway and await _warned_of_clash(turn, listing_key, start_at):
            return
        viewing = await hold(turn.session, turn.person, listing_key, start_at, turn.now)
    except SlotTaken as taken:
        _offer_nearest(turn, await get_listing_for_viewing(turn.session, listing_key), taken)
        turn.go(NAME, "time", listing=listing_key)
        return
    except DomainError as error:
        turn.fail(error.message_key, **error.context)
        show_menu(turn)
        return
    listing = await get_listing_for_viewing(turn.session, listing_key)
    settings = await settings_of(turn.session, listing)
    most = min(settings.max_viewers, MAX_VIEWER_BUTTONS)
    choices = [turn.choice(routes.viewers((viewing.id, n)), "viewers", n=n) for n in range(1, most + 1)]
    turn.ask(
        "viewings.ask_viewers",
        choices=[*choices, turn.choice(routes.drop_booking(viewing.id), "cancel")],
        l=listing,
        v=viewing,
        tz=turn.person.timezone,
        most=most,
    )
    turn.go(NAME, "viewers", listing=listing_key, viewing=viewing.id)


async def _warned_of_clash(turn: Turn, listing_key: str, start_at: datetime) -> bool:
    """Ask "Book anyway?" when the time clashes with another of the buyer's viewings; True if asked."""
    listing = await get_listing_for_viewing(turn.session, listing_key)
    length = timedelta(minutes=(await settings_of(turn.session, listing)).slot_minutes)
    day = start_at.astimezone(ZoneInfo(listing.time_zone)).date()
    asked = await warned_of_clash(
        turn,
        start_at,
        length,
        anyway=routes.book_anyway((listing_key, start_at)),
        another=routes.book_day(day),
    )
    if asked:
        turn.go(NAME, "clash", listing=listing_key)
    return asked


async def show_summary(turn: Turn, viewing_id: int, viewers: int) -> None:
    """What will be booked, with Confirm; the slot stays held while they read it."""
    listing = await _listing(turn, turn.data.get("listing"))
    if listing is None:
        return
    settings = await settings_of(turn.session, listing)
    choices = [
        turn.choice(routes.confirm_booking((viewing_id, viewers)), "confirm"),
        turn.choice(routes.book(listing.listing_key), "change_time"),
        turn.choice(routes.drop_booking(viewing_id), "cancel"),
    ]
    held = await turn.session.get(Viewing, viewing_id)
    turn.ask(
        "viewings.summary",
        choices=choices,
        l=listing,
        v=held,
        viewers=viewers,
        tz=turn.person.timezone,
        instant=settings.instant,
        hold=HOLD,
    )
    turn.go(NAME, "summary", listing=listing.listing_key, viewing=viewing_id)


async def send(turn: Turn, viewing_id: int, viewers: int) -> None:
    """Book it: confirmed at once in instant mode, else a request the seller answers with one tap."""
    try:
        viewing = await submit(turn.session, turn.person, viewing_id, viewers, turn.now)
    except SlotTaken as taken:
        listing = await _listing(turn, turn.data.get("listing"))
        if listing is not None:
            _offer_nearest(turn, listing, taken)
        return
    except DomainError as error:
        turn.fail(error.message_key, **error.context)
        show_menu(turn)
        return
    listing = await turn.session.get_one(Listing, viewing.listing_id)
    confirmed = viewing.status == ViewingStatus.CONFIRMED
    show_menu(
        turn,
        "viewings.confirmed" if confirmed else "viewings.requested",
        l=listing,
        v=viewing,
        tz=turn.person.timezone,
        **calendar_context(viewing, listing, turn.setup.public_base_url, send=confirmed),
    )


async def drop(turn: Turn, viewing_id: int) -> None:
    """Let the held time go and return to the menu."""
    await release_hold(turn.session, turn.person, viewing_id, turn.now)
    show_menu(turn, "cancelled")


async def _book(turn: Turn, listing_key: str) -> None:
    await start(turn, listing_key)


async def _more_days(turn: Turn, page: int) -> None:
    await start(turn, page=page)


async def _day(turn: Turn, day: date) -> None:
    await show_times(turn, day)


async def _later(turn: Turn, day_page: tuple[date, int]) -> None:
    await show_times(turn, *day_page)


async def _at(turn: Turn, key_start: tuple[str, datetime]) -> None:
    await take_time(turn, *key_start)


async def _anyway(turn: Turn, key_start: tuple[str, datetime]) -> None:
    await take_time(turn, *key_start, anyway=True)


async def _viewers(turn: Turn, viewing_count: tuple[int, int]) -> None:
    await show_summary(turn, *viewing_count)


async def _confirm(turn: Turn, viewing_count: tuple[int, int]) -> None:
    await send(turn, *viewing_count)


async def otherwise(turn: Turn, _action: str, _arg: str | None) -> None:
    """A booking choice no route takes: the menu."""
    show_menu(turn)


def _offer_nearest(turn: Turn, listing: Listing, taken: SlotTaken) -> None:
    """Someone else has that time now: offer the nearest free ones, each booking in one tap."""
    key = listing.listing_key
    offered = slot_picker.nearest_choices(
        turn, listing, taken.alternatives, at=lambda start_at: routes.book_at((key, start_at))
    )
    turn.ask(
        "viewings.slot_taken",
        choices=[*offered, menu_button(turn)],
        alternatives=[slot.start for slot in taken.alternatives],
        l=listing,
        tz=turn.person.timezone,
    )


async def _listing(turn: Turn, listing_key: str | None) -> Listing | None:
    """The listing being booked, or the menu with an explanation when it is gone."""
    if listing_key is None:
        show_menu(turn)
        return None
    try:
        return await get_listing_for_viewing(turn.session, listing_key)
    except DomainError as error:
        turn.fail(error.message_key, **error.context)
        show_menu(turn)
        return None


async def _days_again(turn: Turn) -> None:
    """The days to pick from again, letting go of a time held meanwhile."""
    viewing_id = turn.data.get("viewing")
    if viewing_id is not None:
        await release_hold(turn.session, turn.person, int(viewing_id), turn.now)
    await start(turn, turn.data.get("listing"))


FLOW = Flow(
    name=NAME,
    start=start,
    on_choice=otherwise,
    routes=(
        on(routes.book, _book),
        on(routes.book_days, _more_days),
        on(routes.book_day, _day),
        on(routes.book_later, _later),
        on(routes.book_at, _at),
        on(routes.book_anyway, _anyway),
        on(routes.viewers, _viewers),
        on(routes.confirm_booking, _confirm),
        on(routes.drop_booking, drop),
    ),
    steps=(
        Step("day", _days_again),
        Step("time", _days_again),
        Step("viewers", _days_again, "day"),
        Step("clash", _days_again, "day"),
        Step("summary", _days_again, "day"),
    ),
    origin=listing_screen,
)
