"""What the clock owes each viewing: reminders before it, a nudge to an unanswered host, and lapsing.

The actions here re-check on the locked viewing that the step is still owed, so a job is safe to run twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.events import record
from core.viewings.events import ViewingLapsed, ViewingNudgeDue, ViewingReminderDue
from core.viewings.model import Viewing, ViewingStatus
from core.viewings.rules import LAPSE_AFTER, NUDGE_AFTER


class Reminder(StrEnum):
    """The two reminders of a confirmed viewing, named for how long before it they go."""

    DAY = "day"
    HOUR = "hour"


LEAD = {Reminder.DAY: timedelta(hours=24), Reminder.HOUR: timedelta(hours=1)}
_SENT = {Reminder.DAY: Viewing.reminded_24h_at, Reminder.HOUR: Viewing.reminded_1h_at}


@dataclass(frozen=True)
class DueReminder:
    """A reminder to send now, for the viewing as it stood (its start) when the reminder fell due."""

    viewing_id: int
    reminder: Reminder
    starts_at: datetime


def reminder_due(viewing: Viewing, reminder: Reminder, now: datetime) -> bool:
    """True when this reminder of the viewing should go now.

    A confirmed viewing gets each reminder once, from its lead time until the next one (or the start) is
    reached, and only if it was confirmed before the lead time: a viewing booked for tomorrow morning
    needs no "tomorrow" reminder on top of its confirmation.
    """
    if viewing.status != ViewingStatus.CONFIRMED or viewing.confirmed_at is None:
        return False
    sent = viewing.reminded_24h_at if reminder == Reminder.DAY else viewing.reminded_1h_at
    due_at = viewing.starts_at - LEAD[reminder]
    until = viewing.starts_at - LEAD[Reminder.HOUR] if reminder == Reminder.DAY else viewing.starts_at
    return sent is None and viewing.confirmed_at <= due_at <= now < until


async def due_reminders(session: AsyncSession, now: datetime) -> list[DueReminder]:
    """Every reminder that should go now."""
    due: list[DueReminder] = []
    for reminder in Reminder:
        rows = await session.scalars(
            select(Viewing).where(
                Viewing.status == ViewingStatus.CONFIRMED,
                _SENT[reminder].is_(None),
                Viewing.starts_at > now,
                Viewing.starts_at <= now + LEAD[reminder],
            )
        )
        due += [DueReminder(v.id, reminder, v.starts_at) for v in rows if reminder_due(v, reminder, now)]
    return due


def nudge_due(viewing: Viewing, now: datetime) -> bool:
    """True when a request has waited long enough for one reminder to its host."""
    return (
        viewing.status == ViewingStatus.PENDING
        and viewing.nudged_at is None
        and viewing.requested_at is not None
        and viewing.requested_at + NUDGE_AFTER <= now
        and not lapse_due(viewing, now)
    )


def lapse_due(viewing: Viewing, now: datetime) -> bool:
    """True when a request has gone unanswered for a day, or its time has come."""
    return viewing.status == ViewingStatus.PENDING and (
        viewing.starts_at <= now
        or (viewing.requested_at is not None and viewing.requested_at + LAPSE_AFTER <= now)
    )


async def due_requests(session: AsyncSession, now: datetime) -> tuple[list[int], list[int]]:
    """Pending requests owed a nudge, and those to lapse, as viewing ids."""
    rows = list(
        await session.scalars(
            select(Viewing).where(
                Viewing.status == ViewingStatus.PENDING,
                or_(Viewing.requested_at <= now - NUDGE_AFTER, Viewing.starts_at <= now),
            )
        )
    )
    return [v.id for v in rows if nudge_due(v, now)], [v.id for v in rows if lapse_due(v, now)]


def remind(
    session: AsyncSession, viewing: Viewing, reminder: Reminder, starts_at: datetime, now: datetime
) -> bool:
    """Note the reminder as sent, when it is still owed for the (locked) viewing at that start; True if so."""
    if viewing.starts_at != starts_at or not reminder_due(viewing, reminder, now):
        return False
    if reminder == Reminder.DAY:
        viewing.reminded_24h_at = now
    else:
        viewing.reminded_1h_at = now
    record(session, ViewingReminderDue(viewing.id, viewing.listing_id, reminder, starts_at))
    return True


def nudge(session: AsyncSession, viewing: Viewing, now: datetime) -> bool:
    """Note the one nudge to the hosts of a (locked) request still waiting, when it is owed; True if so."""
    if not nudge_due(viewing, now):
        return False
    viewing.nudged_at = now
    record(session, ViewingNudgeDue(viewing.id, viewing.listing_id))
    return True


def lapse(session: AsyncSession, viewing: Viewing, now: datetime) -> bool:
    """End a (locked) request nobody answered in time; True if it lapsed now."""
    if not lapse_due(viewing, now):
        return False
    viewing.status = ViewingStatus.LAPSED
    viewing.updated_at = now
    record(session, ViewingLapsed(viewing.id, viewing.listing_id, now))
    return True
