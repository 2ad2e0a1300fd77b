"""Jobs: viewing reminders, nudges to hosts and lapsed requests; each re-reads the booking when it runs."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bots.flows.viewings.notices import answer_buttons, to_buyer, to_hosts
from bots.flows.viewings.slot_picker import slot_code
from bots.outbound.notice import Button, Notice
from bots.outbound.notify import send_notices
from core.errors import NotFound
from core.viewings.actions import listing_of, lock_viewing, open_slots
from core.viewings.model import Viewing, ViewingStatus
from core.viewings.schedule import Reminder, lapse_due, nudge_due, reminder_due
from core.viewings.slots import nearest_free
from jobs.context import job_scope, run_job

_KINDS = {Reminder.DAY: "viewings.reminder_day", Reminder.HOUR: "viewings.reminder_hour"}
Step = Callable[[AsyncSession, Viewing, datetime], Awaitable[list[Notice]]]


def remind(viewing_id: int, reminder: str, starts_at: str) -> int:
    """Remind both sides of a confirmed viewing; nothing if it was cancelled, moved or already reminded."""
    due = Reminder(reminder), datetime.fromisoformat(starts_at)
    return run_job(_run(viewing_id, lambda session, viewing, now: _remind(session, viewing, now, *due)))


def nudge(viewing_id: int) -> int:
    """Remind the host once of a request still waiting for their answer."""
    return run_job(_run(viewing_id, _nudge))


def lapse(viewing_id: int) -> int:
    """End a request nobody answered in time, and offer the buyer other free times."""
    return run_job(_run(viewing_id, _lapse))


async def _run(viewing_id: int, step: Step) -> int:
    """Lock the viewing, let `step` decide what is owed now, queue those notices and deliver them."""
    scope = await job_scope()
    runtime = scope.runtime
    now = runtime.clock.now()
    async with scope.sessions() as session, session.begin():
        try:
            viewing = await lock_viewing(session, viewing_id)
        except NotFound:
            return 0
        notices = await step(session, viewing, now)
        ids = await send_notices(
            session, runtime.texts, scope.adapters, notices, now, runtime.settings.public_base_url
        )
    runtime.queues.deliver(ids)
    return len(ids)


async def _remind(
    session: AsyncSession, viewing: Viewing, now: datetime, reminder: Reminder, starts_at: datetime
) -> list[Notice]:
    if viewing.starts_at != starts_at or not reminder_due(viewing, reminder, now):
        return []
    listing = await listing_of(session, viewing)
    key = f"{reminder}:{slot_code(viewing.starts_at)}"
    urgent = reminder == Reminder.HOUR
    kind = _KINDS[reminder]
    if reminder == Reminder.DAY:
        viewing.reminded_24h_at = now
    else:
        viewing.reminded_1h_at = now
    return [
        to_buyer(viewing, listing, kind, key=key, urgent=urgent, side="buyer"),
        *await to_hosts(session, viewing, listing, kind, key=key, urgent=urgent, side="seller"),
    ]


async def _nudge(session: AsyncSession, viewing: Viewing, now: datetime) -> list[Notice]:
    if not nudge_due(viewing, now):
        return []
    viewing.nudged_at = now
    listing = await listing_of(session, viewing)
    return await to_hosts(session, viewing, listing, "viewings.nudge", buttons=answer_buttons(viewing))


async def _lapse(session: AsyncSession, viewing: Viewing, now: datetime) -> list[Notice]:
    if not lapse_due(viewing, now):
        return []
    viewing.status = ViewingStatus.LAPSED
    viewing.updated_at = now
    listing = await listing_of(session, viewing)
    nearest = nearest_free(await open_slots(session, listing, now), viewing.starts_at)
    key = listing.listing_key
    buttons = tuple(
        Button(f"booking:at:{key}@{slot_code(s.start)}", "time", at=s.start, tz=listing.time_zone)
        for s in nearest
    ) or (Button(f"booking:start:{key}", "other_times"),)
    return [
        to_buyer(
            viewing, listing, "viewings.lapsed", buttons=buttons, alternatives=[s.start for s in nearest]
        ),
        *await to_hosts(session, viewing, listing, "viewings.lapsed_host"),
    ]
