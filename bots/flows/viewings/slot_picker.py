"""Picking a viewing time in two taps: a day that has free slots, then a time on it (in the home's zone)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime
from itertools import groupby
from typing import Any
from zoneinfo import ZoneInfo

from bots.dialog.routes import ArgRoute
from bots.dialog.turn import Turn
from bots.flows.routes.viewings import parse_slot_code as parse_slot_code
from bots.flows.routes.viewings import slot_code as slot_code
from bots.messages import Choice
from core.listings.model import Listing
from core.viewings.slots import Slot

DAYS_SHOWN = 6
TIMES_SHOWN = 7


def by_day(slots: Sequence[Slot], timezone: str) -> dict[date, list[Slot]]:
    """Slots grouped by their local date, in order."""
    zone = ZoneInfo(timezone)
    return {
        day: list(group) for day, group in groupby(slots, key=lambda slot: slot.start.astimezone(zone).date())
    }


def ask_day(
    turn: Turn,
    kind: str,
    slots: Sequence[Slot],
    timezone: str,
    *,
    pick: ArgRoute[date],
    more: ArgRoute[int],
    page: int = 0,
    after: Sequence[Choice] = (),
    **context: Any,
) -> None:
    """Ask for a day among those with free slots, a page of them at a time: `pick` a day, or see `more`."""
    days = list(by_day(slots, timezone).items())
    shown = days[page * DAYS_SHOWN : (page + 1) * DAYS_SHOWN]
    choices = [
        turn.choice(
            pick(day),
            "day",
            text=turn.texts.day(day_slots[0].start, timezone, locale=turn.locale),
        )
        for day, day_slots in shown
    ]
    if len(days) > (page + 1) * DAYS_SHOWN:
        choices.append(turn.choice(more(page + 1), "more_dates"))
    turn.ask(kind, choices=[*choices, *after], **context)


def ask_time(
    turn: Turn,
    kind: str,
    slots: Sequence[Slot],
    timezone: str,
    *,
    at: Callable[[datetime], str],
    later: ArgRoute[tuple[date, int]],
    day: date,
    page: int = 0,
    after: Sequence[Choice] = (),
    **context: Any,
) -> None:
    """Ask for a time on one day; `at` gives each time's choice id, `later` the next page's.

    The buttons read the home's clock (`timezone`); the question names that zone when the reader's differs.
    """
    shown = slots[page * TIMES_SHOWN : (page + 1) * TIMES_SHOWN]
    choices = [time_choice(turn, slot, timezone, at=at) for slot in shown]
    if len(slots) > (page + 1) * TIMES_SHOWN:
        choices.append(turn.choice(later((day, page + 1)), "later_times"))
    day_start = slots[0].start if slots else None
    turn.ask(kind, choices=[*choices, *after], day=day_start, tz=turn.person.timezone, **context)


def time_choice(turn: Turn, slot: Slot, timezone: str, *, at: Callable[[datetime], str]) -> Choice:
    """One time button, labelled with its local time; `at` gives its choice id."""
    label = turn.texts.hour(slot.start, timezone, locale=turn.locale)
    return turn.choice(at(slot.start), "time", text=label)


def when_choice(turn: Turn, start: datetime, timezone: str, *, choice_id: str) -> Choice:
    """A button naming a day and time ("Sat 28 Nov 10:30"), for times offered across days."""
    return turn.choice(choice_id, "time", text=turn.texts.moment(start, timezone, locale=turn.locale))


def nearest_choices(
    turn: Turn, listing: Listing, alternatives: Sequence[Slot], *, at: Callable[[datetime], str]
) -> list[Choice]:
    """Buttons taking the free slots nearest to a time that was taken; `at` gives their choice ids."""
    return [
        when_choice(turn, slot.start, listing.time_zone, choice_id=at(slot.start)) for slot in alternatives
    ]
