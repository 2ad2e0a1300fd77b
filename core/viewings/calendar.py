"""Calendar files of viewings: one iCalendar event, sent beside confirmations and served at a link."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Protocol

from icalendar import Alarm, Calendar, Event

from core.viewings.model import Viewing, ViewingStatus

PRODID = "-//Doorstep//Viewings//EN"
ICS_FILENAME = "viewing.ics"
ICS_CONTENT_TYPE = "text/calendar"
REMINDER_BEFORE = timedelta(hours=1)
# A booking in one of these will not happen (a reschedule is a new booking), so calendars should drop it.
CALLED_OFF_STATUSES = frozenset(
    {
        ViewingStatus.CANCELLED,
        ViewingStatus.DECLINED,
        ViewingStatus.LAPSED,
        ViewingStatus.EXPIRED,
        ViewingStatus.RESCHEDULED,
    }
)


class Place(Protocol):
    """What a calendar entry tells of a listing (core.listings.model.Listing has it)."""

    @property
    def listing_key(self) -> str: ...
    @property
    def unparsed_address(self) -> str | None: ...
    @property
    def city(self) -> str: ...
    @property
    def postal_code(self) -> str | None: ...


def viewing_ics(
    *,
    uid: str,
    start: datetime,
    end: datetime,
    summary: str,
    location: str,
    description: str,
    stamp: datetime,
    cancelled: bool = False,
    sequence: int = 0,
) -> str:
    """One VEVENT in a VCALENDAR (PRODID -//Doorstep//Viewings//EN), times in UTC, CRLF line endings.

    A cancelled viewing is METHOD:CANCEL / STATUS:CANCELLED so calendars drop it; others ring an hour before.
    """
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", "CANCEL" if cancelled else "PUBLISH")
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", _utc(stamp))
    event.add("dtstart", _utc(start))
    event.add("dtend", _utc(end))
    event.add("sequence", sequence)
    event.add("summary", summary)
    event.add("location", location)
    event.add("description", description)
    if cancelled:
        event.add("status", "CANCELLED")
    else:
        event.add_component(_reminder(summary))
    calendar.add_component(event)
    return calendar.to_ical().decode("utf-8")


def viewing_event_texts(listing: Place) -> tuple[str, str, str]:
    """The summary, location and description of a viewing of `listing`, the same on every channel."""
    address = listing.unparsed_address or ""
    town = " ".join(part for part in (listing.city, listing.postal_code) if part)
    summary = f"Viewing: {address or listing.city}"
    location = ", ".join(part for part in (address, town) if part)
    description = f"Listing {listing.listing_key}\nBooked on Doorstep"
    return summary, location, description


def viewing_calendar(viewing: Viewing, listing: Place) -> str:
    """The .ics of a booking as it stands; once called off it comes out cancelled, superseding the first."""
    summary, location, description = viewing_event_texts(listing)
    cancelled = viewing.status in CALLED_OFF_STATUSES
    return viewing_ics(
        uid=f"viewing-{viewing.id}@doorstep",
        start=viewing.starts_at,
        end=viewing.ends_at,
        summary=summary,
        location=location,
        description=description,
        stamp=viewing.updated_at,
        cancelled=cancelled,
        sequence=1 if cancelled else 0,
    )


def calendar_url(public_base_url: str, token: str) -> str:
    """Where a viewing's .ics is served, for channels that can only send a link."""
    return f"{public_base_url.rstrip('/')}/calendar/{token}.ics"


def _reminder(summary: str) -> Alarm:
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", summary)
    alarm.add("trigger", -REMINDER_BEFORE)
    return alarm


def _utc(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        raise ValueError("naive datetime given where an aware one is required")
    return moment.astimezone(UTC)
