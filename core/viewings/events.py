"""What happens to viewings, as the viewings actions (and the clock's) record it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from core.events import Event
from core.listings.model import Side


@dataclass(frozen=True)
class ViewingChange(Event):
    """Something that happened to one viewing of one listing."""

    viewing_id: int
    listing_id: int


@dataclass(frozen=True)
class ViewingRequested(ViewingChange):
    """A buyer asked for a time; the hosts answer."""


@dataclass(frozen=True)
class ViewingConfirmed(ViewingChange):
    """The viewing is on: confirmed by a host (`by` SELLER), or booked by the buyer (instantly, or by taking
    a proposed time)."""

    by: Side


@dataclass(frozen=True)
class ViewingDeclined(ViewingChange):
    """A host turned the request down, or (`clash`) confirmed another request at the same time."""

    clash: bool


@dataclass(frozen=True)
class ViewingProposed(ViewingChange):
    """A host answered the request with other times for the buyer to pick from."""


@dataclass(frozen=True)
class ViewingCancelled(ViewingChange):
    """`by` called the viewing off."""

    by: Side


@dataclass(frozen=True)
class ViewingRescheduled(ViewingChange):
    """`by` moved viewing `old_id` to a new time: `viewing_id` is the new booking."""

    old_id: int
    by: Side


@dataclass(frozen=True)
class ViewingLapsed(ViewingChange):
    """A request went unanswered too long, or its time came first; it lapsed `at` then."""

    at: datetime


@dataclass(frozen=True)
class ViewingReminderDue(ViewingChange):
    """A confirmed viewing starting at `starts_at` is owed its `reminder` ("day" or "hour") now."""

    reminder: str
    starts_at: datetime


@dataclass(frozen=True)
class ViewingNudgeDue(ViewingChange):
    """A request has waited long enough for one reminder to its hosts."""


@dataclass(frozen=True)
class ViewingOutcomeRecorded(ViewingChange):
    """After its time, a host said whether the buyer came (`completed`) or not."""

    completed: bool


@dataclass(frozen=True)
class ViewingClosedWithListing(ViewingChange):
    """The platform called the viewing off because its listing left the market; `why` says how (withdrawn,
    sold), as the offers closed with it say it."""

    why: str
