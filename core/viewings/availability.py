"""A listing's viewing hours: read them as the slot engine needs, and change them for its seller or broker."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.errors import NotFound
from core.listings.authz import Action, authorize_listing
from core.listings.model import Listing
from core.people.model import Person
from core.viewings.model import ViewingOverride, ViewingSettings
from core.viewings.slots import Availability, Window

SATURDAY = 5
WEEKDAYS = range(5)
# What the chat suggests to a seller whose home has no hours yet.
DEFAULT_DAYS = frozenset({SATURDAY})
DEFAULT_HOURS = Window(time(10), time(16))
DEFAULT_SLOT_MINUTES = 30
SLOT_LENGTHS = (15, 30, 45, 60)
EVENINGS = Window(time(17), time(19))


@dataclass(frozen=True)
class ListingHours:
    """A listing's settings (None until its seller publishes hours) and its date overrides from today on."""

    settings: ViewingSettings | None
    overrides: list[ViewingOverride]

    @property
    def published(self) -> bool:
        """True when buyers can book: hours exist on at least one weekday or date."""
        return self.settings is not None and bool(
            self.settings.weekly or any(o.windows for o in self.overrides)
        )

    def availability(self) -> Availability:
        """The rules the slot engine applies."""
        settings = self.settings
        if settings is None:
            return Availability(weekly={})
        weekly: dict[int, list[Window]] = {}
        for row in settings.weekly:
            weekly.setdefault(int(row["day"]), []).append(_window(row))
        return Availability(
            weekly=weekly,
            overrides={o.day: [_window(w) for w in o.windows] for o in self.overrides},
            slot=timedelta(minutes=settings.slot_minutes),
            notice=timedelta(minutes=settings.notice_minutes),
            horizon=timedelta(days=settings.window_days),
            buffer=timedelta(minutes=settings.buffer_minutes),
        )


def days_of(settings: ViewingSettings | None) -> frozenset[int]:
    """The weekdays (Monday 0) with viewing hours."""
    return frozenset(int(row["day"]) for row in settings.weekly) if settings else frozenset()


def hours_of(settings: ViewingSettings | None) -> Window | None:
    """The first weekly window, which the chat applies to every chosen day."""
    return _window(settings.weekly[0]) if settings and settings.weekly else None


def hours_by_window(settings: ViewingSettings | None) -> list[tuple[list[int], Window]]:
    """The weekly hours as (weekdays, window) pairs, one per distinct window in the order first met: weekday
    evenings and Saturday days are two lines, not one."""
    groups: dict[Window, list[int]] = {}
    for row in settings.weekly if settings else ():
        groups.setdefault(_window(row), []).append(int(row["day"]))
    return [(sorted(days), window) for window, days in groups.items()]


def weekly_rows(days: Iterable[int], hours: Window) -> list[dict[str, Any]]:
    """Weekly windows: the same hours on each of `days`."""
    return [{"day": day, **_window_row(hours)} for day in sorted(set(days))]


def published_weekly() -> list[dict[str, Any]]:
    """The hours a newly published home starts with: weekday evenings and Saturdays."""
    return [*weekly_rows(WEEKDAYS, EVENINGS), *weekly_rows(DEFAULT_DAYS, DEFAULT_HOURS)]


def default_settings(
    listing_id: int, now: datetime, *, weekly: list[dict[str, Any]], instant: bool = False
) -> ViewingSettings:
    """Viewing settings with `weekly` hours and the usual rules: 30-minute viewings 15 minutes apart, booked
    from a day to 30 days ahead, up to 4 people; the seller confirms each unless `instant`."""
    return ViewingSettings(
        listing_id=listing_id,
        weekly=weekly,
        slot_minutes=DEFAULT_SLOT_MINUTES,
        notice_minutes=24 * 60,
        window_days=30,
        buffer_minutes=15,
        max_viewers=4,
        instant=instant,
        updated_at=now,
    )


async def give_default_hours(
    session: AsyncSession, listing_id: int, now: datetime, *, instant: bool = False
) -> bool:
    """Give the listing `published_weekly` hours when it has none, so buyers can book it; True if given."""
    if await session.get(ViewingSettings, listing_id) is not None:
        return False
    session.add(default_settings(listing_id, now, weekly=published_weekly(), instant=instant))
    await session.flush()
    return True


async def hours_for(session: AsyncSession, listing: Listing, today: date | None = None) -> ListingHours:
    """The listing's settings and the overrides on or after `today` (all of them when None)."""
    settings = await session.get(ViewingSettings, listing.id)
    query = select(ViewingOverride).where(ViewingOverride.listing_id == listing.id)
    if today is not None:
        query = query.where(ViewingOverride.day >= today)
    overrides = await session.scalars(query.order_by(ViewingOverride.day))
    return ListingHours(settings, list(overrides))


async def managed_listing(session: AsyncSession, person: Person, listing_key: str) -> Listing:
    """The listing, when the person may change its viewing hours."""
    listing = await session.scalar(select(Listing).where(Listing.listing_key == listing_key))
    if listing is None:
        raise NotFound(listing_key)
    authorize_listing(person, listing, Action.SET_AVAILABILITY)
    return listing


async def update_settings(
    session: AsyncSession, person: Person, listing_key: str, now: datetime, **changes: Any
) -> ViewingSettings:
    """Change a listing's viewing settings (weekly, slot_minutes...), made from the defaults first."""
    listing = await managed_listing(session, person, listing_key)
    settings = await session.get(ViewingSettings, listing.id, with_for_update=True)
    if settings is None:
        settings = default_settings(listing.id, now, weekly=weekly_rows(DEFAULT_DAYS, DEFAULT_HOURS))
        session.add(settings)
    for name, value in changes.items():
        setattr(settings, name, value)
    settings.updated_at = now
    await session.flush()
    return settings


async def set_date_hours(
    session: AsyncSession, person: Person, listing_key: str, day: date, windows: Sequence[Window]
) -> ViewingOverride:
    """Replace one date's hours (no windows: a day off), leaving every other date as it was."""
    listing = await managed_listing(session, person, listing_key)
    await session.execute(
        delete(ViewingOverride).where(ViewingOverride.listing_id == listing.id, ViewingOverride.day == day)
    )
    override = ViewingOverride(listing_id=listing.id, day=day, windows=[_window_row(w) for w in windows])
    session.add(override)
    await session.flush()
    return override


async def clear_date(session: AsyncSession, person: Person, listing_key: str, day: date) -> None:
    """Give a date back its weekly hours."""
    listing = await managed_listing(session, person, listing_key)
    await session.execute(
        delete(ViewingOverride).where(ViewingOverride.listing_id == listing.id, ViewingOverride.day == day)
    )


def _window(row: dict[str, Any]) -> Window:
    return Window(time.fromisoformat(row["start"]), time.fromisoformat(row["end"]))


def _window_row(window: Window) -> dict[str, str]:
    return {"start": window.start.strftime("%H:%M"), "end": window.end.strftime("%H:%M")}
