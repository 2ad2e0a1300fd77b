"""One sync of a feed: pages in order, each applied with its cursor in one transaction, then delivered."""

from __future__ import annotations

import asyncio
import logging
import os
import secrets
import socket
from collections import Counter
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, Final

import aiohttp
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bots.channels.base import ChannelAdapter
from bots.flows.announce import settle_notices
from bots.outbound.notify import send_notices
from core.feeds import state
from core.feeds.media import FeedMedia, read_media
from core.feeds.pages import Cursor, Manager, apply_page, imported, media_wanted, read_page
from core.feeds.records import FeedDefaults
from core.people.actions import owner_of_phone
from core.phones import to_e164
from doorstep.bootstrap import Runtime
from doorstep.feed_settings import ResoFeed
from jobs.reso.client import FeedError, ResoClient
from jobs.reso.limits import Limiter, OutOfTime
from jobs.reso.reconcile import reconcile_due, reconcile_keys

log = logging.getLogger(__name__)
LEASE: Final = timedelta(minutes=5)


@dataclass
class SyncReport:
    """How one sync went, for the operator and the logs."""

    feed: str
    counts: Counter[str] = field(default_factory=Counter)
    pages: int = 0
    requests: int = 0
    finished: bool = False
    skipped: bool = False
    reconciled: bool = False
    error: str | None = None

    def summary(self) -> str:
        """One line: what was done, and whether the feed was read to its end."""
        if self.skipped:
            return f"{self.feed}: another sync of this feed is running; nothing done."
        counts = ", ".join(f"{n} {outcome}" for outcome, n in sorted(self.counts.items())) or "no records"
        end = "up to date" if self.finished else "stopped before the end; the next sync goes on from there"
        text = f"{self.feed}: {counts} in {self.pages} page(s), {self.requests} request(s); {end}"
        if self.reconciled:
            text += "; keys reconciled"
        return text + (f". Error: {self.error}" if self.error else ".")


def holder_name() -> str:
    """Who holds a feed while this process syncs it: machine, process and a nonce."""
    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(3)}"


def holder_gone(holder: str) -> bool:
    """True when `holder` was a process of this machine that no longer runs (so its lease may be taken)."""
    host, _, rest = holder.partition(":")
    pid_text = rest.partition(":")[0]
    if host != socket.gethostname() or not pid_text.isdigit():
        return False
    try:
        os.kill(int(pid_text), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


class FeedSync:
    """Syncs one feed with the runtime's database, queues, throttle and channels."""

    def __init__(
        self,
        feed: ResoFeed,
        runtime: Runtime,
        sessions: async_sessionmaker[AsyncSession],
        adapters: Mapping[str, ChannelAdapter],
        http: aiohttp.ClientSession,
        *,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.feed, self.runtime, self.sessions, self.adapters = feed, runtime, sessions, adapters
        self.name = feed.originating_system_name
        self.limiter = Limiter(runtime.throttle, runtime.clock, self.name, feed.rates, sleep)
        self.client = ResoClient(feed, http, self.limiter)
        self.defaults = FeedDefaults(
            system=self.name, country=feed.country, currency_code=feed.currency_code, time_zone=feed.time_zone
        )
        self.holder = holder_name()
        self.manager = Manager()

    async def run(self, *, reconcile: bool | None = None) -> SyncReport:
        """Read the feed from its cursor to its end (or the run's time), then reconcile keys when due."""
        report = SyncReport(self.name)
        clock = self.runtime.clock
        now = clock.now()
        self.client.deadline = now + timedelta(seconds=self.feed.run_seconds)
        async with self.sessions() as session, session.begin():
            feed = await state.hold(session, self.name, self.holder, now, LEASE, holder_gone)
            if feed is None:
                report.skipped = True
                return report
            await state.start_run(session, feed)
            cursor, reconciled_at = state.cursor_of(feed), feed.last_reconciled_at
            self.manager = await self.find_manager(session)
        try:
            async for raws in self.client.pages(cursor):
                report.pages += 1
                cursor = await self.apply(raws, cursor, report.counts)
                if clock.now() >= self.client.deadline:
                    break
            else:
                report.finished = True
            due = reconcile if reconcile is not None else reconcile_due(self.feed, reconciled_at, clock.now())
            if report.finished and due:
                await reconcile_keys(self, report.counts)
                report.reconciled = True
        except OutOfTime:
            report.finished = False
        except (FeedError, state.LeaseLost) as exc:
            report.error = str(exc)
        except Exception as exc:
            log.exception("reso %s: the sync failed", self.name)
            report.error = f"{type(exc).__name__}: {exc}"
        finally:
            report.requests = self.client.requests
            async with self.sessions() as session, session.begin():
                await state.release(session, self.name, self.holder, clock.now(), report.error)
        log.info("reso %s", report.summary())
        return report

    async def apply(
        self, raws: Sequence[Any], cursor: Cursor | None, counts: Counter[str], *, move_cursor: bool = True
    ) -> Cursor | None:
        """Apply one page in one transaction with its cursor and notices; deliver them once it commits."""
        reads = read_page(raws, self.defaults, cursor)
        media: dict[str, tuple[FeedMedia, ...]] = {}
        if self.feed.media:
            async with self.sessions() as session:
                wanted = media_wanted(await imported(session, self.name, reads, lock=False), reads)
            if wanted:
                media = {key: read_media(items) for key, items in (await self.client.media(wanted)).items()}
        now = self.runtime.clock.now()
        async with self.sessions() as session, session.begin():
            feed = await state.held(session, self.name, self.holder, now, LEASE)
            existing = await imported(session, self.name, reads)
            result = await apply_page(session, self.name, reads, existing, media, self.manager, now)
            outbox_ids = await self.tell(session, now)
            state.advance(feed, result.cursor if move_cursor else None, result.counts)
        self.runtime.queues.deliver(outbox_ids)
        counts.update(result.counts)
        return result.cursor or cursor

    async def tell(self, session: AsyncSession, now: Any) -> list[int]:
        """Let the domain react to the page's events and put the notices they owe in the outbox."""
        notices = await settle_notices(session, now)
        runtime = self.runtime
        return await send_notices(
            session, runtime.texts, self.adapters, notices, now, runtime.settings.public_base_url
        )

    async def find_manager(self, session: AsyncSession) -> Manager:
        """The broker who answers for the feed's homes, when the feed names one who confirmed that phone."""
        if self.feed.broker_phone is None:
            return Manager()
        phone = to_e164(self.feed.broker_phone, self.runtime.settings.default_region)
        person = await owner_of_phone(session, phone) if phone else None
        if person is None:
            log.warning("reso %s: nobody confirmed %s in chat; its homes have no broker", self.name, phone)
            return Manager()
        return Manager(broker_id=person.id)
