"""Job: sync every configured MLS feed whose interval has passed (the worker's cron runs it each minute)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from doorstep.feed_settings import ResoFeed
from jobs.context import job_scope, run_job
from jobs.reso.runs import sync_feeds

TIMEOUT_MARGIN_SECONDS: Final = 300


def sync_due_feeds() -> list[str]:
    """Sync the feeds that are due; one line per feed synced. A feed another process syncs is left to it."""
    return run_job(_sync())


async def _sync() -> list[str]:
    scope = await job_scope()
    reports = await sync_feeds(scope.runtime, scope.sessions, scope.adapters, only_due=True)
    return [report.summary() for report in reports]


def feeds_timeout(feeds: Sequence[ResoFeed]) -> int | None:
    """How long one `sync_due_feeds` may run: every feed's run time and a margin; None without feeds."""
    if not feeds:
        return None
    return int(sum(feed.run_seconds for feed in feeds)) + TIMEOUT_MARGIN_SECONDS
