"""Viewing hours for a listing, set in a few taps: days, hours, slot length, blocked dates, who confirms."""

from __future__ import annotations

from datetime import date, time, timedelta
from zoneinfo import ZoneInfo

from bots.dialog.turn import Flow, Step, Turn
from bots.flows.common import resume
from bots.flows.people import verify
from core.errors import DomainError
from core.viewings.availability import (
    DEFAULT_DAYS,
    DEFAULT_HOURS,
    SLOT_LENGTHS,
    clear_date,
    days_of,
    hours_for,
    hours_of,
    managed_listing,
    set_date_hours,
    update_settings,
    weekly_rows,
)
from core.viewings.day_parsing import parse_day, parse_hours
from core.viewings.slots import Window

NAME = "hours"
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
        await verify.start(turn, then=f"{NAME}:show:{listing_key}")
        return
    listing = await managed_listing(turn.session, turn.person, listing_key)
    hours = await hours_for(turn.session, listing, turn.now.astimezone(ZoneInfo(listing.time_zone)).date())
    settings = hours.settings
    key = listing.listing_key
    choices = [
        *([turn.choice(f"{NAME}:use:{key}", "use_suggested")] if settings is None else []),
        turn.choice(f"{NAME}:days:{key}", "change_days"),
        turn.choice(f"{NAME}:hours:{key}", "change_hours"),
        turn.choice(f"{NAME}:slot:{key}", "slot_length"),
        turn.choice(f"{NAME}:block:{key}", "block_date"),
        turn.choice(
            f"{NAME}:mode:{key}", "confirm_each" if settings and settings.instant else "instant_booking"
        ),
        turn.choice("listings:show", "done"),
    ]
    turn.ask(
        kind,
        choices=choices,
        l=listing,
        settings=settings,
        days=sorted(days_of(settings) if settings else DEFAULT_DAYS),
        window=hours_of(settings) or DEFAULT_HOURS,
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
            f"{NAME}:toggle:{listing_key}@{day}", "weekday_on" if day in chosen else "weekday_off", day=day
        )
        for day in range(7)
    ]
    turn.ask(
        "hours.ask_days",
        choices=[*choices, turn.choice(f"{NAME}:savedays:{listing_key}", "save")],
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
        turn.choice(
            f"{NAME}:sethours:{listing_key}@{w.start:%H:%M}-{w.end:%H:%M}", "window", start=w.start, end=w.end
        )
        for w in HOUR_PRESETS
    ]
    turn.ask("hours.ask_hours", choices=[*choices, turn.choice(f"{NAME}:show:{listing_key}", "back")])
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
    choices = [turn.choice(f"{NAME}:setslot:{listing_key}@{m}", "minutes", n=m) for m in SLOT_LENGTHS]
    turn.ask("hours.ask_slot", choices=[*choices, turn.choice(f"{NAME}:show:{listing_key}", "back")])
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
            f"{NAME}:blockday:{listing_key}@{day.isoformat()}",
            "date",
            text=turn.texts.date(day, locale=turn.locale),
        )
        for day in upcoming
    ]
    reopen = [
        turn.choice(
            f"{NAME}:reopen:{listing_key}@{o.day.isoformat()}",
            "reopen",
            text=turn.texts.date(o.day, locale=turn.locale),
        )
        for o in hours.overrides
        if o.day >= today
    ][:2]
    turn.ask("hours.ask_date", choices=[*choices, *reopen, turn.choice(f"{NAME}:show:{listing_key}", "back")])
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


async def on_choice(turn: Turn, action: str, arg: str | None) -> None:
    """Act on an hours button; a refusal is explained and nothing changes."""
    key, _, value = (arg or "").partition("@")
    if not key:
        await start(turn)
        return
    try:
        await _route(turn, action, key, value)
    except DomainError as error:
        turn.fail(error.message_key, **error.context)


async def _route(turn: Turn, action: str, key: str, value: str) -> None:
    if action == "use":
        await update_settings(turn.session, turn.person, key, turn.now)
        await show(turn, key, "hours.saved")
    elif action == "days":
        await ask_days(turn, key)
    elif action == "toggle" and value.isdigit():
        days = set(turn.data.get("days", [])) if turn.data.get("listing") == key else set()
        await ask_days(turn, key, days ^ {int(value)})
    elif action == "savedays":
        await save_days(turn, key)
    elif action == "hours":
        await ask_hours(turn, key)
    elif action == "sethours" and (window := parse_hours(value)) is not None:
        await save_hours(turn, key, window)
    elif action == "slot":
        await ask_slot(turn, key)
    elif action == "setslot" and value.isdigit() and int(value) in SLOT_LENGTHS:
        await update_settings(turn.session, turn.person, key, turn.now, slot_minutes=int(value))
        await show(turn, key, "hours.saved")
    elif action == "block":
        await ask_date(turn, key)
    elif action == "blockday" and value:
        await set_date_hours(turn.session, turn.person, key, date.fromisoformat(value), [])
        await show(turn, key, "hours.saved")
    elif action == "reopen" and value:
        await clear_date(turn.session, turn.person, key, date.fromisoformat(value))
        await show(turn, key, "hours.saved")
    elif action == "mode":
        listing = await managed_listing(turn.session, turn.person, key)
        settings = (await hours_for(turn.session, listing)).settings
        await update_settings(
            turn.session, turn.person, key, turn.now, instant=not (settings and settings.instant)
        )
        await show(turn, key, "hours.saved")
    else:
        await show(turn, key)


async def start(turn: Turn) -> None:
    """Back to the hours of the listing being set up, or to My listings."""
    listing_key = turn.data.get("listing")
    if listing_key:
        await show(turn, listing_key)
    else:
        from bots.flows import listings  # listings offers this flow's buttons

        await listings.start(turn)


async def _my_listings(turn: Turn) -> None:
    await resume(turn, "listings:show")


FLOW = Flow(
    name=NAME,
    start=start,
    on_choice=on_choice,
    on_text={"hours": on_hours_text, "date": on_date_text},
    steps=(
        Step("show", start),
        *(Step(step, start, "show") for step in ("days", "hours", "slot", "date")),
    ),
    origin=_my_listings,
)
