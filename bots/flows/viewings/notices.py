"""What each side of a viewing is told when the other side (or the clock) moves it on: one notice table."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bots.flows.managers import to_managers
from bots.flows.routes import viewings as routes
from bots.flows.routes.viewings import slot_code
from bots.notice import Button, Notice, NoticeBuilder
from core.events import Event
from core.listings.model import Listing, Side
from core.viewings.events import (
    ViewingCancelled,
    ViewingChange,
    ViewingClosedWithListing,
    ViewingConfirmed,
    ViewingDeclined,
    ViewingLapsed,
    ViewingNudgeDue,
    ViewingProposed,
    ViewingReminderDue,
    ViewingRequested,
    ViewingRescheduled,
)
from core.viewings.model import Viewing, ViewingStatus
from core.viewings.queries import open_slots
from core.viewings.rules import proposed_starts
from core.viewings.schedule import Reminder
from core.viewings.slots import nearest_free

_REMINDERS = {Reminder.DAY: "viewings.reminder_day", Reminder.HOUR: "viewings.reminder_hour"}


def to_buyer(
    viewing: Viewing,
    listing: Listing,
    kind: str,
    *,
    buttons: tuple[Button, ...] = (),
    calendar: bool = False,
    urgent: bool = False,
    key: str | None = None,
    **context: Any,
) -> Notice:
    """A notice about the viewing for its buyer."""
    return Notice(
        person_id=viewing.buyer_id,
        kind=kind,
        dedupe_key=f"viewing:{viewing.id}:{key or kind}:{viewing.buyer_id}",
        context={"l": listing, "v": viewing, **context},
        buttons=buttons,
        urgent=urgent,
        calendar=viewing if calendar else None,
    )


async def to_hosts(
    session: AsyncSession,
    viewing: Viewing,
    listing: Listing,
    kind: str,
    *,
    buttons: tuple[Button, ...] = (),
    calendar: bool = False,
    urgent: bool = False,
    key: str | None = None,
    **context: Any,
) -> list[Notice]:
    """The same notice for each host of the listing (its seller and broker), naming the buyer."""
    return await to_managers(
        session,
        listing,
        viewing.buyer_id,
        kind,
        dedupe=f"viewing:{viewing.id}:{key or kind}",
        context={"l": listing, "v": viewing, **context},
        buttons=buttons,
        urgent=urgent,
        calendar=viewing if calendar else None,
    )


def answer_buttons(viewing: Viewing) -> tuple[Button, ...]:
    """Confirm / Decline / Propose another time, under a request."""
    return (
        Button(routes.confirm(viewing.id), "confirm"),
        Button(routes.decline(viewing.id), "decline"),
        Button(routes.propose(viewing.id), "propose_time"),
    )


def rebook_buttons(listing: Listing) -> tuple[Button, ...]:
    """Other times, for a buyer whose viewing ended without taking place."""
    return (Button(routes.book(listing.listing_key), "other_times"),)


async def _viewing(session: AsyncSession, event: ViewingChange) -> tuple[Viewing, Listing]:
    """The viewing an event is about and its listing, as they stand in the session."""
    return await session.get_one(Viewing, event.viewing_id), await session.get_one(Listing, event.listing_id)


async def _requested(session: AsyncSession, event: ViewingRequested) -> list[Notice]:
    viewing, listing = await _viewing(session, event)
    return await to_hosts(session, viewing, listing, "viewings.request", buttons=answer_buttons(viewing))


async def _confirmed(session: AsyncSession, event: ViewingConfirmed) -> list[Notice]:
    """A host's confirmation reaches the buyer; a buyer's booking (instant, or a proposed time) the hosts."""
    viewing, listing = await _viewing(session, event)
    if event.by == Side.SELLER:
        return [to_buyer(viewing, listing, "viewings.confirmed", calendar=True)]
    return await to_hosts(session, viewing, listing, "viewings.booked_host", calendar=True)


async def _declined(session: AsyncSession, event: ViewingDeclined) -> list[Notice]:
    viewing, listing = await _viewing(session, event)
    buttons = rebook_buttons(listing)
    return [to_buyer(viewing, listing, "viewings.declined", buttons=buttons, clash=event.clash)]


async def _proposed(session: AsyncSession, event: ViewingProposed) -> list[Notice]:
    """The hosts' times reach the buyer, one button each, and one for none of them."""
    viewing, listing = await _viewing(session, event)
    chosen = proposed_starts(viewing)
    times = tuple(
        Button(routes.take((viewing.id, start)), "time", at=start, tz=listing.time_zone) for start in chosen
    )
    buttons = (*times, Button(routes.none_suit(viewing.id), "none_suit"))
    return [to_buyer(viewing, listing, "viewings.proposed", buttons=buttons, starts=chosen)]


async def _cancelled(session: AsyncSession, event: ViewingCancelled) -> list[Notice]:
    viewing, listing = await _viewing(session, event)
    if event.by == Side.SELLER:
        buttons = rebook_buttons(listing)
        return [to_buyer(viewing, listing, "viewings.cancelled", buttons=buttons, by="seller")]
    return await to_hosts(session, viewing, listing, "viewings.cancelled", by="buyer")


async def _closed(session: AsyncSession, event: ViewingClosedWithListing) -> list[Notice]:
    """The listing left the market: its buyer hears the viewing is off, and why (sold, or withdrawn)."""
    viewing, listing = await _viewing(session, event)
    return [to_buyer(viewing, listing, "viewings.off_market", why=event.why)]


async def _rescheduled(session: AsyncSession, event: ViewingRescheduled) -> list[Notice]:
    """A host's move reaches the buyer; a buyer's the hosts, to confirm again unless it is confirmed."""
    new, listing = await _viewing(session, event)
    old = await session.get_one(Viewing, event.old_id)
    if event.by == Side.SELLER:
        return [to_buyer(new, listing, "viewings.moved", calendar=True, old=old)]
    confirmed = new.status == ViewingStatus.CONFIRMED
    buttons = () if confirmed else answer_buttons(new)
    kind = "viewings.moved_by_buyer"
    return await to_hosts(session, new, listing, kind, buttons=buttons, calendar=confirmed, old=old)


async def _lapsed(session: AsyncSession, event: ViewingLapsed) -> list[Notice]:
    """The buyer gets the free times nearest the lapsed one (or Other times); the hosts hear it lapsed."""
    viewing, listing = await _viewing(session, event)
    nearest = nearest_free(await open_slots(session, listing, event.at), viewing.starts_at)
    key = listing.listing_key
    buttons = tuple(
        Button(routes.book_at((key, s.start)), "time", at=s.start, tz=listing.time_zone) for s in nearest
    ) or (Button(routes.book(key), "other_times"),)
    alternatives = [s.start for s in nearest]
    return [
        to_buyer(viewing, listing, "viewings.lapsed", buttons=buttons, alternatives=alternatives),
        *await to_hosts(session, viewing, listing, "viewings.lapsed_host"),
    ]


async def _reminder(session: AsyncSession, event: ViewingReminderDue) -> list[Notice]:
    """Both sides are reminded; the hour-before reminder does not wait for quiet hours to end."""
    viewing, listing = await _viewing(session, event)
    kind, key = _REMINDERS[Reminder(event.reminder)], f"{event.reminder}:{slot_code(event.starts_at)}"
    urgent = event.reminder == Reminder.HOUR
    return [
        to_buyer(viewing, listing, kind, key=key, urgent=urgent, side="buyer"),
        *await to_hosts(session, viewing, listing, kind, key=key, urgent=urgent, side="seller"),
    ]


async def _nudge(session: AsyncSession, event: ViewingNudgeDue) -> list[Notice]:
    viewing, listing = await _viewing(session, event)
    return await to_hosts(session, viewing, listing, "viewings.nudge", buttons=answer_buttons(viewing))


NOTICES: Mapping[type[Event], NoticeBuilder] = {
    ViewingRequested: _requested,
    ViewingConfirmed: _confirmed,
    ViewingDeclined: _declined,
    ViewingProposed: _proposed,
    ViewingCancelled: _cancelled,
    ViewingClosedWithListing: _closed,
    ViewingRescheduled: _rescheduled,
    ViewingLapsed: _lapsed,
    ViewingReminderDue: _reminder,
    ViewingNudgeDue: _nudge,
}
