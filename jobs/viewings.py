"""Jobs: viewing reminders, nudges to hosts and lapsed requests; each re-reads the booking when it runs."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bots.flows.announce import settle_notices
from bots.outbound.notify import send_notices
from core.errors import NotFound
from core.viewings import schedule
from core.viewings.actions import lock_viewing
from core.viewings.model import Viewing
from core.viewings.schedule import Reminder
from jobs.context import job_scope, run_job

Step = Callable[[AsyncSession, Viewing, datetime], bool]


def remind(viewing_id: int, reminder: str, starts_at: str) -> int:
    """Remind both sides of a confirmed viewing; nothing if it was cancelled, moved or already reminded."""
    due = Reminder(reminder), datetime.fromisoformat(starts_at)
    return run_job(
        _run(viewing_id, lambda session, viewing, now: schedule.remind(session, viewing, *due, now))
    )


def nudge(viewing_id: int) -> int:
    """Remind the host once of a request still waiting for their answer."""
    return run_job(_run(viewing_id, schedule.nudge))


def lapse(viewing_id: int) -> int:
    """End a request nobody answered in time, and offer the buyer other free times."""
    return run_job(_run(viewing_id, schedule.lapse))


async def _run(viewing_id: int, step: Step) -> int:
    """Lock the viewing, take the `step` if it is still owed, queue the notices it owes and deliver them."""
    scope = await job_scope()
    runtime = scope.runtime
    now = runtime.clock.now()
    async with scope.sessions() as session, session.begin():
        try:
            viewing = await lock_viewing(session, viewing_id)
        except NotFound:
            return 0
        step(session, viewing, now)
        notices = await settle_notices(session, now)
        ids = await send_notices(
            session, runtime.texts, scope.adapters, notices, now, runtime.settings.public_base_url
        )
    runtime.queues.deliver(ids)
    return len(ids)
