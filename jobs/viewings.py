"""Jobs: viewing reminders, nudges to hosts and lapsed requests; each re-reads the booking when it runs."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bots.flows.slot_picker import slot_code
from bots.notice import Button, Notice
from bots.notify import send_notice
from bots.viewing_notices import answer_buttons, to_buyer, to_hosts
from core.models import Viewing, ViewingStatus
from core.slots import nearest_free
from core.viewing_schedule import Reminder, lapse_due, nudge_due, reminder_due
from core.viewings import listing_of, open_slots
from jobs.context import JobScope, job_scope, run_job

_KINDS = {Reminder.DAY: "viewings.reminder_day", Reminder.HOUR: "viewings.reminder_hour"}


def remind(viewing_id: int, reminder: str, starts_at: str) -> int:
    """Remind both sides of a confirmed viewing; nothing if it was cancelled, moved or already reminded."""
    return run_job(_remind(viewing_id, Reminder(reminder), datetime.fromisoformat(starts_at)))


def nudge(viewing_id: int) -> int:
    """Remind the host once of a request still waiting for their answer."""
    return run_job(_nudge(viewing_id))


def lapse(viewing_id: int) -> int:
    """End a request nobody answered in time, and offer the buyer other free times."""
    return run_job(_lapse(viewing_id))


async def _remind(viewing_id: int, reminder: Reminder, starts_at: datetime) -> int:
    scope = await job_scope()
    now = scope.runtime.clock.now()
    async with scope.sessions() as session, session.begin():
        viewing = await _locked(session, viewing_id)
        if viewing is None or viewing.starts_at != starts_at or not reminder_due(viewing, reminder, now):
            return 0
        listing = await listing_of(session, viewing)
        key = f"{reminder}:{slot_code(viewing.starts_at)}"
        urgent = reminder == Reminder.HOUR
        kind = _KINDS[reminder]
        notices = [
            to_buyer(viewing, listing, kind, key=key, urgent=urgent, side="buyer"),
            *await to_hosts(session, viewing, listing, kind, key=key, urgent=urgent, side="seller"),
        ]
        if reminder == Reminder.DAY:
            viewing.reminded_24h_at = now
        else:
            viewing.reminded_1h_at = now
        ids = await _send(scope, session, notices, now)
    scope.runtime.queues.deliver(ids)
    return len(ids)


async def _nudge(viewing_id: int) -> int:
    scope = await job_scope()
    now = scope.runtime.clock.now()
    async with scope.sessions() as session, session.begin():
        viewing = await _locked(session, viewing_id)
        if viewing is None or not nudge_due(viewing, now):
            return 0
        listing = await listing_of(session, viewing)
        notices = await to_hosts(session, viewing, listing, "viewings.nudge", buttons=answer_buttons(viewing))
        viewing.nudged_at = now
        ids = await _send(scope, session, notices, now)
    scope.runtime.queues.deliver(ids)
    return len(ids)


async def _lapse(viewing_id: int) -> int:
    scope = await job_scope()
    now = scope.runtime.clock.now()
    async with scope.sessions() as session, session.begin():
        viewing = await _locked(session, viewing_id)
        if viewing is None or not lapse_due(viewing, now):
            return 0
        viewing.status = ViewingStatus.LAPSED
        viewing.updated_at = now
        listing = await listing_of(session, viewing)
        nearest = nearest_free(await open_slots(session, listing, now), viewing.starts_at)
        buttons = tuple(
            Button(
                f"booking:at:{listing.listing_key}@{slot_code(s.start)}",
                "time",
                at=s.start,
                tz=listing.time_zone,
            )
            for s in nearest
        ) or (Button(f"booking:start:{listing.listing_key}", "other_times"),)
        notices = [
            to_buyer(viewing, listing, "viewings.lapsed", buttons=buttons, alternatives=bool(nearest)),
            *await to_hosts(session, viewing, listing, "viewings.lapsed_host"),
        ]
        ids = await _send(scope, session, notices, now)
    scope.runtime.queues.deliver(ids)
    return len(ids)


async def _locked(session: AsyncSession, viewing_id: int) -> Viewing | None:
    return await session.scalar(
        select(Viewing)
        .where(Viewing.id == viewing_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )


async def _send(scope: JobScope, session: AsyncSession, notices: list[Notice], now: datetime) -> list[int]:
    runtime = scope.runtime
    return [
        outbox_id
        for notice in notices
        for outbox_id in await send_notice(
            session, runtime.texts, scope.adapters, notice, now, runtime.settings.public_base_url
        )
    ]
