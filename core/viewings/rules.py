"""The rules of viewings, plain functions over plain data: how long a hold lasts, which bookings may move or
be answered, and the refusals they raise."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from core.errors import DomainError
from core.listings.authz import Action, side_in
from core.listings.model import Listing, Side
from core.people.model import Person
from core.viewings.model import Viewing, ViewingStatus
from core.viewings.slots import Slot

HOLD = timedelta(minutes=5)
NUDGE_AFTER = timedelta(hours=12)
LAPSE_AFTER = timedelta(hours=24)
MAX_PROPOSALS = 3
# Someone neither booking nor hosting a viewing is told so, not that only hosts may answer it.
NOT_YOURS = "errors.forbidden.viewing"


class SlotTaken(DomainError):
    """Someone else has that time now; `alternatives` are the free slots nearest to it."""

    code = "slot_taken"
    message_key = "viewings.slot_taken"

    def __init__(self, alternatives: Sequence[Slot] = ()) -> None:
        super().__init__("slot taken")
        self.alternatives = list(alternatives)


class NoViewingHours(DomainError):
    """The seller has not published viewing hours, or none are free in the booking window."""

    code = "no_viewing_hours"
    message_key = "viewings.no_hours"


class ViewingClosed(DomainError):
    """The viewing is past that step (cancelled, already answered, over); `status` says where it is."""

    code = "viewing_closed"
    message_key = "errors.viewing_closed"

    def __init__(self, status: str) -> None:
        super().__init__(status)
        self.status = status

    @property
    def context(self) -> dict[str, Any]:
        """What the refusal's template needs."""
        return {"status": self.status}


def viewing_side(person: Person, viewing: Viewing, listing: Listing) -> Side:
    """The person's side of the viewing of `listing`: its buyer, or a host who may answer it; else refused."""
    return side_in(person, viewing.buyer_id, listing, Action.CONFIRM_VIEWING, stranger=NOT_YOURS)


def proposed_starts(viewing: Viewing) -> list[datetime]:
    """The times the seller proposed, in UTC."""
    return [datetime.fromisoformat(value) for value in viewing.proposals]


def check_movable(viewing: Viewing, now: datetime) -> None:
    """Only a pending or confirmed viewing that has not started may move; a cancelled one may not."""
    if viewing.status not in (ViewingStatus.PENDING, ViewingStatus.CONFIRMED):
        raise ViewingClosed(viewing.status)
    if viewing.starts_at <= now:
        raise ViewingClosed("past")


def check_answerable(viewing: Viewing, now: datetime) -> None:
    """Only a pending request whose time is still ahead can be confirmed, declined or answered with times."""
    if viewing.status != ViewingStatus.PENDING:
        raise ViewingClosed(viewing.status)
    if viewing.starts_at <= now:
        raise ViewingClosed("past")


def moved_to(viewing: Viewing, start: datetime) -> dict[str, Any]:
    """The viewing's times moved to `start`, keeping its length and buffer."""
    length, blocked = viewing.ends_at - viewing.starts_at, viewing.blocked_until - viewing.starts_at
    return {"starts_at": start, "ends_at": start + length, "blocked_until": start + blocked}
