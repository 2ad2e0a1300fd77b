"""The key reconciliation pass: homes the feed no longer serves leave Doorstep, homes it serves and Doorstep
missed are imported, for feeds that send no deletions and servers whose paging can skip a record."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any, Final, Protocol

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.feeds import changes, state
from core.feeds.model import RawRecord
from core.feeds.pages import Cursor, Manager
from core.listings.model import Listing, StandardStatus
from doorstep.bootstrap import Runtime
from doorstep.feed_settings import ResoFeed
from jobs.reso.client import FeedError, ResoClient


class FeedSync(Protocol):
    """What the pass needs of the sync that runs it."""

    name: str
    holder: str
    manager: Manager
    runtime: Runtime
    client: ResoClient
    sessions: async_sessionmaker[AsyncSession]

    async def apply(
        self, raws: Sequence[Any], cursor: Cursor | None, counts: Counter[str], *, move_cursor: bool = True
    ) -> Cursor | None:
        """Apply one page of records."""

    async def tell(self, session: AsyncSession, now: Any) -> list[int]:
        """Put the notices the session's events owe in the outbox."""


BATCH: Final = 200
# A pass that would take more than this share of a feed's homes off the market is refused: an empty or
# truncated answer from a struggling server must not empty the market.
MOST_WITHDRAWN_SHARE: Final = 0.5
ALWAYS_ALLOWED: Final = 10
_STAYING_OFF = frozenset({StandardStatus.CLOSED, *changes.OFF_MARKET})


def reconcile_due(feed: ResoFeed, last: datetime | None, now: datetime) -> bool:
    """True when the feed reconciles at all and its last pass is older than its period."""
    if feed.reconcile_hours <= 0:
        return False
    return last is None or now - last >= timedelta(hours=feed.reconcile_hours)


async def reconcile_keys(sync: FeedSync, counts: Counter[str]) -> None:
    """Compare the feed's keys with Doorstep's, import what is missing, withdraw what is gone."""
    served: set[str] = set()
    async for keys in sync.client.keys():
        served.update(keys)
    async with sync.sessions() as session:
        rows = await session.execute(
            select(Listing.feed_listing_key, Listing.standard_status).where(
                Listing.originating_system_name == sync.name
            )
        )
        here = {key: status for key, status in rows if key is not None}
    missing = sorted(served - here.keys())
    gone = sorted(key for key, status in here.items() if key not in served and status not in _STAYING_OFF)
    live = sum(status not in _STAYING_OFF for status in here.values())
    if len(gone) > max(ALWAYS_ALLOWED, live * MOST_WITHDRAWN_SHARE):
        raise FeedError(
            f"reconciliation would take {len(gone)} of {live} homes off the market; refused, in case the "
            "feed answered only in part. Check the feed, then withdraw them with `doorstep admin withdraw`."
        )
    for start in range(0, len(missing), BATCH):
        raws = await sync.client.records(missing[start : start + BATCH])
        await sync.apply(raws, None, counts, move_cursor=False)
    for start in range(0, len(gone), BATCH):
        counts.update(await _withdraw(sync, gone[start : start + BATCH]))
    now = sync.runtime.clock.now()
    async with sync.sessions() as session, session.begin():
        feed = await state.held(session, sync.name, sync.holder, now, timedelta(minutes=5))
        feed.last_reconciled_at = now


async def _withdraw(sync: FeedSync, keys: list[str]) -> Counter[str]:
    """Take these homes off the market in one transaction, each kept as a raw row saying why."""
    now = sync.runtime.clock.now()
    done: Counter[str] = Counter()
    async with sync.sessions() as session, session.begin():
        feed = await state.held(session, sync.name, sync.holder, now, timedelta(minutes=5))
        query = (
            select(Listing)
            .where(Listing.originating_system_name == sync.name, Listing.feed_listing_key.in_(keys))
            .with_for_update()
        )
        rows = []
        for listing in await session.scalars(query):
            outcome = changes.withdraw_missing(session, listing, now, by=sync.manager.broker_id)
            done[outcome] += 1
            rows.append(
                {
                    "feed": sync.name,
                    "listing_key": listing.feed_listing_key,
                    "modification_timestamp": None,
                    "received_at": now,
                    "payload": {"ListingKey": listing.feed_listing_key},
                    "outcome": outcome,
                    "reason": "no longer served by the feed (key reconciliation)",
                }
            )
        if rows:
            await session.execute(insert(RawRecord), rows)
        outbox_ids = await sync.tell(session, now)
        state.count(feed, done)
    sync.runtime.queues.deliver(outbox_ids)
    return done
