"""When a buyer would complete: a few months ahead, flexible, or a date they type, then their message."""

from __future__ import annotations

import calendar
from datetime import date
from zoneinfo import ZoneInfo

from bots.dialog.turn import Turn
from bots.flows.routes import offers as routes
from core.viewings.day_parsing import NoSuchDay, read_day

NAME = routes.OFFER
COMPLETION_MONTHS = (2, 3, 6)
FLEXIBLE = "flexible"
LATEST_COMPLETION_DAYS = 2 * 366


def ask_completion(turn: Turn) -> None:
    """When they would like to complete: a few months ahead, flexible, or a typed date."""
    choices = [turn.choice(routes.when(str(n)), "in_months", n=n) for n in COMPLETION_MONTHS]
    turn.ask(
        "offers.ask_completion",
        choices=[
            *choices,
            turn.choice(routes.when(FLEXIBLE), "flexible"),
            turn.choice(routes.drop(), "cancel"),
        ],
    )
    turn.go(NAME, "completion", **turn.data)


async def on_completion(turn: Turn, text: str) -> None:
    """A typed completion date, after today and within two years; a day the calendar lacks is named."""
    today = today_for(turn)
    day = read_day(text, today)
    if not isinstance(day, date) or day <= today or (day - today).days > LATEST_COMPLETION_DAYS:
        turn.fail("offers.bad_completion", missing=day if isinstance(day, NoSuchDay) else None)
        ask_completion(turn)
        return
    set_completion(turn, day)


def set_completion(turn: Turn, day: date | None) -> None:
    """Keep the completion date (None: flexible) and ask for a message."""
    turn.go(NAME, "message", **{**turn.data, "completion": day.isoformat() if day else None})
    turn.ask(
        "offers.ask_message",
        choices=[turn.choice(routes.skip(), "skip"), turn.choice(routes.drop(), "cancel")],
    )


def today_for(turn: Turn) -> date:
    """Today on the buyer's own clock."""
    return turn.now.astimezone(ZoneInfo(turn.person.timezone)).date()


def months_ahead(today: date, months: int) -> date:
    """The same day `months` later, or that month's last day when it is shorter."""
    month_index = today.month - 1 + months
    year, month = today.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(today.day, calendar.monthrange(year, month)[1]))


def completion_of(data: dict[str, object]) -> date | None:
    """The completion date the form holds (None: flexible, or not asked yet)."""
    value = data.get("completion")
    return date.fromisoformat(value) if isinstance(value, str) else None
