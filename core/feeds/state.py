"""A feed's sync state: one sync at a time by lease, the cursor moved only with a committed page, counts."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.feeds.model import Feed, Outcome
from core.feeds.pages import Cursor
from core.locks import lock_row
from core.upserts import insert_for


class LeaseLost(RuntimeError):
    """Another sync holds the feed now (this one's lease ran out): this sync must stop, its page undone."""


async def hold(
    session: AsyncSession,
    name: str,
    holder: str,
    now: datetime,
    lease: timedelta,
    gone: Callable[[str], bool] = lambda _holder: False,
) -> Feed | None:
    """Take the feed for a sync by `holder` until now + lease; None while another sync's lease runs, unless
    `gone` knows that sync's process has died (a sync killed on this machine need not wait out its lease)."""
    await session.execute(
        insert_for(session, Feed)
        .values(name=name, last_run={}, imported=0, withdrawn=0, failed=0)
        .on_conflict_do_nothing(index_elements=["name"])
    )
    feed = await lock_row(session, Feed, Feed.name == name)
    other = feed.lease_holder
    live = feed.lease_until is not None and feed.lease_until > now
    if live and other is not None and other != holder and not gone(other):
        return None
    feed.lease_holder, feed.lease_until = holder, now + lease
    feed.last_started_at = now
    return feed


async def held(session: AsyncSession, name: str, holder: str, now: datetime, lease: timedelta) -> Feed:
    """The feed locked for this page's transaction, its lease renewed; LeaseLost when another sync took it."""
    feed = await lock_row(session, Feed, Feed.name == name)
    if feed.lease_holder != holder:
        raise LeaseLost(name)
    feed.lease_until = now + lease
    return feed


def cursor_of(feed: Feed) -> Cursor | None:
    """Where the feed's next sync starts: after the last record of the last committed page."""
    if feed.cursor_timestamp is None or feed.cursor_key is None:
        return None
    return Cursor(feed.cursor_timestamp, feed.cursor_key)


def advance(feed: Feed, cursor: Cursor | None, counts: Mapping[str, int]) -> None:
    """Count the page and move the cursor past it (in the page's transaction: both commit or neither)."""
    if cursor is not None:
        feed.cursor_timestamp, feed.cursor_key = cursor.timestamp, cursor.key
    count(feed, counts)


def count(feed: Feed, counts: Mapping[str, int]) -> None:
    """Add a page's or a pass's outcomes to the feed's totals and to its current run."""
    feed.imported += counts.get(Outcome.CREATED, 0) + counts.get(Outcome.UPDATED, 0)
    feed.withdrawn += counts.get(Outcome.WITHDRAWN, 0)
    feed.failed += counts.get(Outcome.REJECTED, 0)
    run = Counter(feed.last_run.get("counts", {}))
    run.update(counts)
    feed.last_run = {**feed.last_run, "counts": dict(run)}


async def release(session: AsyncSession, name: str, holder: str, now: datetime, error: str | None) -> None:
    """End the sync: the lease freed, when it ended and how; an error is kept until a sync succeeds."""
    feed = await lock_row(session, Feed, Feed.name == name)
    if feed.lease_holder == holder:
        feed.lease_holder, feed.lease_until = None, None
    feed.last_finished_at = now
    feed.last_error = error
    if error is None:
        feed.last_success_at = now


async def start_run(session: AsyncSession, feed: Feed) -> None:
    """A new run's counts start from nothing."""
    feed.last_run = {"counts": {}}
    await session.flush()


async def feeds(session: AsyncSession) -> list[Feed]:
    """Every feed that has ever synced, by name."""
    return list(await session.scalars(select(Feed).order_by(Feed.name)))
