"""Viewing hours for a listing, set in a few taps: days, hours, slot length, blocked dates, who confirms."""

from __future__ import annotations

from datetime import date, time, timedelta
from zoneinfo import ZoneInfo

from bots.dialog.flow import Flow, Step
from bots.dialog.routes import on
from bots.dialog.turn import Turn
from bots.flows.common import resume
from bots.flows.people import verify
from bots.flows.routes import listings as listing_routes
from bots.flows.routes import viewings as routes
from core.errors import DomainError
from core.viewings.availability import (
    DEFAULT_DAYS,
    DEFAULT_HOURS,
    SLOT_LENGTHS,
    clear_date,
    days_of,
    hours_by_window,
    hours_for,
    hours_of,
    managed_listing,
    set_date_hours,
    update_settings,
    weekly_rows,
)
from core.viewings.day_parsing import parse_day, parse_hours
from core.viewings.slots import Window

NAME = routes.HOURS
HOUR_PRESETS = (
    Window(time(10), time(16)),
    Window(time(9), time(17)),
    Window(time(10), time(14)),
    Window(time(17), time(20)),
)
DATES_SHOWN = 6


async def show(turn: Turn, listing_key: str, kind: str = "hours.show") -> None:
    """The listing's viewing hours as buyers will see them, with a button for each change."""
    if not turn.person.verified:
        await verify.start(turn, then=routes.hours(listing_key))
        return
    listing = await managed_listing(turn.session, turn.person, listing_key)
    hours = await hours_for(turn.session, listing, turn.now.astimezone(ZoneInfo(listing.time_zone)).date())
    settings = hours.settings
    key = listing.listing_key
    choices = [
        *([turn.choice(routes.use_suggested(key), "use_suggested")] if settings is None else []),
        turn.choice(routes.change_days(key), "change_days"),
        turn.choice(routes.change_hours(key), "change_hours"),
        turn.choice(routes.slot_length(key), "slot_length"),
        turn.choice(routes.block_date(key), "block_date"),
        turn.choice(
            routes.switch_mode(key), "confirm_each" if settings and settings.instant else "instant_booking"
        ),
        turn.choice(listing_routes.show(), "done"),
    ]
    turn.ask(
        kind,
        choices=choices,
        l=listing,
        settings=settings,
        weekly=hours_by_window(settings) or [(sorted(DEFAULT_DAYS), DEFAULT_HOURS)],
        overrides=hours.overrides,
        now=turn.now,
        tz=turn.person.timezone,
    )
    turn.go(NAME, "show", listing=key)


async def ask_days(turn: Turn, listing_key: str, chosen: set[int] | None = None) -> None:
    """Toggle weekdays on and off, then save."""
    if chosen is None:
        listing = await managed_listing(turn.session, turn.person, listing_key)
        settings = (await hours_for(turn.session, listing)).settings
        chosen = set(days_of(settings)) if settings else set(DEFAULT_DAYS)
    choices = [
        turn.choice(
            routes.toggle_day((listing_key, day)), "weekday_on" if day in chosen else "weekday_off", day=day
        )
        for day in range(7)
    ]
    turn.ask(
        "hours.ask_days",
        choices=[*choices, turn.choice(routes.save_days(listing_key), "save")],
        days=sorted(chosen),
    )
    turn.go(NAME, "days", listing=listing_key, days=sorted(chosen))


async def save_days(turn: Turn, listing_key: str) -> None:
    """Keep the chosen weekdays with the current hours; no day at all is refused."""
    days = turn.data.get("days", [])
    if not days:
        turn.fail("hours.no_days")
        await ask_days(turn, listing_key, set())
        return
    listing = await managed_listing(turn.session, turn.person, listing_key)
    window = hours_of((await hours_for(turn.session, listing)).settings) or DEFAULT_HOURS
    await update_settings(turn.session, turn.person, listing_key, turn.now, weekly=weekly_rows(days, window))
    await show(turn, listing_key, "hours.saved")


async def ask_hours(turn: Turn, listing_key: str) -> None:
    """Common hours as buttons, or typed ("10-16")."""
    choices = [
        turn.choice(routes.set_hours((listing_key, w)), "window", start=w.start, end=w.end)
        for w in HOUR_PRESETS
    ]
    turn.ask("hours.ask_hours", choices=[*choices, turn.choice(routes.hours(listing_key), "back")])
    turn.go(NAME, "hours", listing=listing_key)


async def on_hours_text(turn: Turn, text: str) -> None:
    """Typed hours; unreadable ones are asked again with an example."""
    window = parse_hours(text)
    listing_key = turn.data.get("listing")
    if listing_key is None:
        return
    if window is None:
        turn.fail("hours.bad_hours")
        await ask_hours(turn, listing_key)
        return
    await save_hours(turn, listing_key, window)


async def save_hours(turn: Turn, listing_key: str, window: Window) -> None:
    """The same hours on every chosen weekday."""
    listing = await managed_listing(turn.session, turn.person, listing_key)
    settings = (await hours_for(turn.session, listing)).settings
    days = days_of(settings) or DEFAULT_DAYS
    await update_settings(turn.session, turn.person, listing_key, turn.now, weekly=weekly_rows(days, window))
    await show(turn, listing_key, "hours.saved")


async def ask_slot(turn: Turn, listing_key: str) -> None:
    """How long each viewing lasts."""
    choices = [turn.choice(routes.set_slot((listing_key, m)), "minutes", n=m) for m in SLOT_LENGTHS]
    turn.ask("hours.ask_slot", choices=[*choices, turn.choice(routes.hours(listing_key), "back")])
    turn.go(NAME, "slot", listing=listing_key)


async def ask_date(turn: Turn, listing_key: str) -> None:
    """Which date to block (the next viewing days as buttons), or a typed date with other hours."""
    listing = await managed_listing(turn.session, turn.person, listing_key)
    hours = await hours_for(turn.session, listing)
    today = turn.now.astimezone(ZoneInfo(listing.time_zone)).date()
    days = days_of(hours.settings) or DEFAULT_DAYS
    blocked = {o.day for o in hours.overrides if not o.windows}
    upcoming = [
        day
        for day in (today + timedelta(days=n) for n in range(1, 60))
        if day.weekday() in days and day not in blocked
    ][:DATES_SHOWN]
    choices = [
        turn.choice(
            routes.block_day((listing_key, day)),
            "date",
            text=turn.texts.date(day, locale=turn.locale),
        )
        for day in upcoming
    ]
    reopen = [
        turn.choice(
            routes.reopen_day((listing_key, o.day)),
            "reopen",
            text=turn.texts.date(o.day, locale=turn.locale),
        )
        for o in hours.overrides
        if o.day >= today
    ][:2]
    turn.ask("hours.ask_date", choices=[*choices, *reopen, turn.choice(routes.hours(listing_key), "back")])
    turn.go(NAME, "date", listing=listing_key)


async def on_date_text(turn: Turn, text: str) -> None:
    """ "5 Dec" blocks the date; "5 Dec 12-15" gives it other hours; anything else is asked again."""
    listing_key = turn.data.get("listing")
    if listing_key is None:
        return
    listing = await managed_listing(turn.session, turn.person, listing_key)
    today = turn.now.astimezone(ZoneInfo(listing.time_zone)).date()
    day, window = _date_and_hours(text, today)
    if day is None or day < today:
        turn.fail("hours.bad_date")
        await ask_date(turn, listing_key)
        return
    await set_date_hours(turn.session, turn.person, listing_key, day, [window] if window else [])
    await show(turn, listing_key, "hours.saved")


def _date_and_hours(text: str, today: date) -> tuple[date | None, Window | None]:
    """A date alone, or a date followed by hours ("5 Dec 12-15")."""
    words = text.split()
    for cut in range(len(words) - 1, 0, -1):
        window = parse_hours(" ".join(words[cut:]))
        day = parse_day(" ".join(words[:cut]), today)
        if window is not None and day is not None:
            return day, window
    return parse_day(text, today), None


async def use_suggested(turn: Turn, key: str) -> None:
    """Take the suggested hours as they are."""
    await update_settings(turn.session, turn.person, key, turn.now)
    await show(turn, key, "hours.saved")


async def toggle_day(turn: Turn, key_day: tuple[str, int]) -> None:
    """Switch a weekday on or off among those being chosen."""
    key, day = key_day
    days = set(turn.data.get("days", [])) if turn.data.get("listing") == key else set()
    await ask_days(turn, key, days ^ {day})


async def set_hours(turn: Turn, key_window: tuple[str, Window]) -> None:
    """Hours from a preset button."""
    await save_hours(turn, *key_window)


async def set_slot(turn: Turn, key_minutes: tuple[str, int]) -> None:
    """How long each viewing lasts, from a button; a length not offered shows the hours again."""
    key, minutes = key_minutes
    if minutes in SLOT_LENGTHS:
        await update_settings(turn.session, turn.person, key, turn.now, slot_minutes=minutes)
        await show(turn, key, "hours.saved")
    else:
        await show(turn, key)


async def block_day(turn: Turn, key_day: tuple[str, date]) -> None:
    """No viewings on a date."""
    key, day = key_day
    await set_date_hours(turn.session, turn.person, key, day, [])
    await show(turn, key, "hours.saved")


async def reopen_day(turn: Turn, key_day: tuple[str, date]) -> None:
    """A blocked date (or one with other hours) back to the usual hours."""
    key, day = key_day
    await clear_date(turn.session, turn.person, key, day)
    await show(turn, key, "hours.saved")


async def switch_mode(turn: Turn, key: str) -> None:
    """Instant booking on or off."""
    listing = await managed_listing(turn.session, turn.person, key)
    settings = (await hours_for(turn.session, listing)).settings
    await update_settings(
        turn.session, turn.person, key, turn.now, instant=not (settings and settings.instant)
    )
    await show(turn, key, "hours.saved")


async def _show(turn: Turn, key: str) -> None:
    await show(turn, key)


async def otherwise(turn: Turn, _action: str, arg: str | None) -> None:
    """An hours choice no route takes: the listing's hours, or without one, where the flow starts."""
    key = (arg or "").partition("@")[0]
    await (show(turn, key) if key else start(turn))


async def refused(turn: Turn, error: DomainError) -> None:
    """A refusal is explained, and nothing changes."""
    turn.fail(error.message_key, **error.context)


async def start(turn: Turn) -> None:
    """Back to the hours of the listing being set up, or to My listings."""
    listing_key = turn.data.get("listing")
    await (show(turn, listing_key) if listing_key else _my_listings(turn))


async def _my_listings(turn: Turn) -> None:
    await resume(turn, listing_routes.show())


FLOW = Flow(
    name=NAME,
    start=start,
    on_choice=otherwise,
    routes=(
        on(routes.hours, _show),
        on(routes.use_suggested, use_suggested),
        on(routes.change_days, ask_days),
        on(routes.toggle_day, toggle_day),
        on(routes.save_days, save_days),
        on(routes.change_hours, ask_hours),
        on(routes.set_hours, set_hours),
        on(routes.slot_length, ask_slot),
        on(routes.set_slot, set_slot),
        on(routes.block_date, ask_date),
        on(routes.block_day, block_day),
        on(routes.reopen_day, reopen_day),
        on(routes.switch_mode, switch_mode),
    ),
    on_refused=refused,
    on_text={"hours": on_hours_text, "date": on_date_text},
    steps=(
        Step("show", start),
        *(Step(step, start, "show") for step in ("days", "hours", "slot", "date")),
    ),
    origin=_my_listings,
)
