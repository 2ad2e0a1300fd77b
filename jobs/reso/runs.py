"""Running the configured feeds' syncs: all or some, now or when due, and replaying what a feed sent."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Awaitable, Callable, Collection, Mapping
from datetime import timedelta
from typing import Final

import aiohttp
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bots.channels.base import ChannelAdapter
from core.feeds import state
from core.feeds.model import Feed, RawRecord
from core.feeds.pages import apply_page, imported, read_page
from doorstep.bootstrap import Runtime
from doorstep.feed_settings import ResoFeed
from jobs.reso.sync import LEASE, FeedSync, SyncReport, holder_gone

REPLAY_BATCH: Final = 500


class UnknownFeed(ValueError):
    """A feed was named that RESO_FEEDS does not configure."""


def chosen(runtime: Runtime, names: Collection[str] | None) -> list[ResoFeed]:
    """The configured feeds named (all of them when None); UnknownFeed names any that is not configured."""
    feeds = list(runtime.settings.reso_feeds)
    if names is None:
        return feeds
    known = {feed.originating_system_name for feed in feeds}
    unknown = sorted(set(names) - known)
    if unknown:
        raise UnknownFeed(f"no feed is configured as {', '.join(unknown)}; RESO_FEEDS has {sorted(known)}")
    return [feed for feed in feeds if feed.originating_system_name in names]


async def sync_feeds(
    runtime: Runtime,
    sessions: async_sessionmaker[AsyncSession],
    adapters: Mapping[str, ChannelAdapter],
    *,
    names: Collection[str] | None = None,
    only_due: bool = False,
    reconcile: bool | None = None,
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
) -> list[SyncReport]:
    """Sync each chosen feed in turn (only those whose interval has passed, when `only_due`); `sleep` is how
    a sync waits for the feed's rate limits and a busy server."""
    reports = []
    async with aiohttp.ClientSession() as http:
        for feed in chosen(runtime, names):
            if only_due and not await _due(sessions, feed, runtime):
                continue
            sync = FeedSync(feed, runtime, sessions, adapters, http, sleep=sleep)
            reports.append(await sync.run(reconcile=reconcile))
    return reports


async def _due(sessions: async_sessionmaker[AsyncSession], feed: ResoFeed, runtime: Runtime) -> bool:
    async with sessions() as session:
        row = await session.get(Feed, feed.originating_system_name)
    if row is None or row.last_started_at is None:
        return True
    return runtime.clock.now() - row.last_started_at >= timedelta(minutes=feed.interval_minutes)


async def replay(
    runtime: Runtime,
    sessions: async_sessionmaker[AsyncSession],
    adapters: Mapping[str, ChannelAdapter],
    name: str,
) -> Counter[str]:
    """Apply every record the feed ever sent again, oldest first, from the raw rows (no request is made).

    A record not newer than what its listing holds changes nothing, so a replay mends what is missing or was
    refused before (after a fix of the reader, say) and moves nothing back in time.
    """
    (feed,) = chosen(runtime, [name])
    counts: Counter[str] = Counter()
    async with aiohttp.ClientSession() as http:
        sync = FeedSync(feed, runtime, sessions, adapters, http)
        now = runtime.clock.now()
        async with sessions() as session, session.begin():
            if await state.hold(session, name, sync.holder, now, LEASE, holder_gone) is None:
                raise state.LeaseLost(f"{name} is being synced now; replay it once that ends")
            sync.manager = await sync.find_manager(session)
        error = None
        try:
            last_id = 0
            while True:
                async with sessions() as session:
                    rows = list(
                        await session.execute(
                            select(RawRecord.id, RawRecord.payload)
                            .where(RawRecord.feed == name, RawRecord.id > last_id)
                            .order_by(RawRecord.id)
                            .limit(REPLAY_BATCH)
                        )
                    )
                if not rows:
                    break
                last_id = rows[-1][0]
                counts.update(await _replay_batch(sync, [payload for _, payload in rows]))
        except Exception as exc:
            error = f"replay: {type(exc).__name__}: {exc}"
            raise
        finally:
            async with sessions() as session, session.begin():
                await state.release(session, name, sync.holder, runtime.clock.now(), error)
    return counts


async def _replay_batch(sync: FeedSync, payloads: list[object]) -> Counter[str]:
    now = sync.runtime.clock.now()
    reads = read_page(payloads, sync.defaults, None)
    async with sync.sessions() as session, session.begin():
        await state.held(session, sync.name, sync.holder, now, LEASE)
        existing = await imported(session, sync.name, reads)
        result = await apply_page(session, sync.name, reads, existing, {}, sync.manager, now, keep_raw=False)
        outbox_ids = await sync.tell(session, now)
    sync.runtime.queues.deliver(outbox_ids)
    return result.counts
