"""Operator commands for MLS feeds: `doorstep import-reso` (sync now, or replay), `doorstep admin feeds`."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from core.db import create_engine, session_factory
from core.feeds.model import Feed
from core.feeds.state import LeaseLost, feeds
from doorstep.bootstrap import build_runtime
from doorstep.settings import Settings
from jobs.reso.runs import UnknownFeed, sync_feeds
from jobs.reso.runs import replay as replay_feed


class FeedCommandError(Exception):
    """A feed command that cannot run; the message says why and what to do."""


async def import_now(
    settings: Settings, names: Sequence[str] | None, *, reconcile: bool | None, replay: bool
) -> str:
    """Sync the chosen feeds now (or replay one); the report, one line per feed."""

    if not settings.reso_feeds:
        raise FeedCommandError("no feed is configured: set RESO_FEEDS (see the README, 'MLS feeds')")
    if replay and (not names or len(names) != 1):
        raise FeedCommandError("--replay needs the one feed to replay, e.g. --replay --feed LeedsMLS")
    runtime = build_runtime(settings)
    engine = create_engine(settings.database_url)
    adapters = runtime.adapters()
    try:
        sessions = session_factory(engine)
        if replay:
            assert names is not None
            counts = await replay_feed(runtime, sessions, adapters, names[0])
            done = ", ".join(f"{n} {outcome}" for outcome, n in sorted(counts.items())) or "nothing to replay"
            return f"{names[0]} replayed: {done}."
        reports = await sync_feeds(runtime, sessions, adapters, names=names, reconcile=reconcile)
    except (UnknownFeed, LeaseLost) as exc:
        raise FeedCommandError(str(exc)) from None
    finally:
        for adapter in adapters.values():
            await adapter.aclose()
        await engine.dispose()
    failed = [report for report in reports if report.error]
    text = "\n".join(report.summary() for report in reports)
    if failed:
        raise FeedCommandError(text)
    return text


async def describe_feeds(settings: Settings) -> str:
    """Each feed's cursor, last run, counts and last error, configured feeds first."""
    engine = create_engine(settings.database_url)
    try:
        async with session_factory(engine)() as session:
            rows = {feed.name: feed for feed in await feeds(session)}
    finally:
        await engine.dispose()
    names = [feed.originating_system_name for feed in settings.reso_feeds]
    names += sorted(set(rows) - set(names))
    if not names:
        return "No feed is configured (RESO_FEEDS) and none has synced."
    return "\n\n".join(
        _describe(name, rows.get(name), name in rows and name not in _configured(settings)) for name in names
    )


def _configured(settings: Settings) -> set[str]:
    return {feed.originating_system_name for feed in settings.reso_feeds}


def _describe(name: str, feed: Feed | None, retired: bool) -> str:
    title = f"{name}{' (no longer configured)' if retired else ''}"
    if feed is None:
        return f"{title}\n  never synced"
    cursor = (
        f"{_when(feed.cursor_timestamp)} after key {feed.cursor_key}"
        if feed.cursor_timestamp
        else "the start"
    )
    counts = feed.last_run.get("counts", {}) if isinstance(feed.last_run, dict) else {}
    last = ", ".join(f"{n} {outcome}" for outcome, n in sorted(counts.items())) or "nothing"
    lines = [
        title,
        f"  cursor:          {cursor}",
        f"  last run:        {_when(feed.last_started_at)} to {_when(feed.last_finished_at)} ({last})",
        f"  last success:    {_when(feed.last_success_at)}",
        f"  last reconciled: {_when(feed.last_reconciled_at)}",
        f"  in all:          {feed.imported} imported, {feed.withdrawn} withdrawn, {feed.failed} failed",
        f"  last error:      {feed.last_error or 'none'}",
    ]
    if feed.lease_until is not None:
        lines.append(f"  running now:     {feed.lease_holder} (lease until {_when(feed.lease_until)})")
    return "\n".join(lines)


def _when(value: datetime | None) -> str:
    return f"{value:%Y-%m-%d %H:%M:%S} UTC" if value is not None else "never"
