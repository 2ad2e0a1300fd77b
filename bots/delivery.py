"""Delivering outbox rows through their channel adapter: claim once, send, record what happened."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bots.channels.base import ChannelAdapter, PermanentSendError, TransientSendError
from core import outbox
from core.clock import Clock
from core.models import ChannelIdentity, OutboxMessage

log = logging.getLogger(__name__)


@dataclass
class BatchResult:
    """What became of a batch: rows sent, and when to try the rest if one must wait."""

    sent: list[int] = field(default_factory=list)
    retry_at: datetime | None = None
    waiting: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class Courier:
    """Delivers outbox rows: sessions, a clock and the adapters that can send."""

    sessions: async_sessionmaker[AsyncSession]
    clock: Clock
    adapters: Mapping[str, ChannelAdapter]

    async def deliver_batch(self, outbox_ids: Sequence[int]) -> BatchResult:
        """Deliver rows oldest first; a row that must be retried holds back the ones after it."""
        result = BatchResult()
        async with self.sessions() as session:
            outbox_ids = await outbox.in_conversation_order(session, outbox_ids)
        for position, outbox_id in enumerate(outbox_ids):
            sent, retry_at = await self.deliver_one(outbox_id)
            if sent:
                result.sent.append(outbox_id)
            if retry_at is not None:
                result.retry_at, result.waiting = retry_at, list(outbox_ids[position:])
                async with self.sessions() as session, session.begin():
                    await outbox.hold_until(session, result.waiting[1:], retry_at)
                break
        return result

    async def deliver_one(self, outbox_id: int) -> tuple[bool, datetime | None]:
        """Send one row if it is still ours to send; returns (sent, retry time if it must wait)."""
        async with self.sessions() as session, session.begin():
            row = await outbox.claim(session, outbox_id, self.clock.now())
            if row is None:
                return False, await outbox.due_later(session, outbox_id, self.clock.now())
            identity = await session.get_one(ChannelIdentity, row.identity_id)
            if identity.unreachable_at is not None:
                outbox.mark_failed(
                    row, f"recipient unreachable: {identity.unreachable_reason}", undeliverable=True
                )
                return False, None
        try:
            provider_id = await self.adapters[row.channel].send(row.payload)
        except TransientSendError as exc:
            return False, await self._retry(outbox_id, exc)
        except PermanentSendError as exc:
            await self._fail(outbox_id, exc)
            return False, None
        except Exception as exc:  # an unexpected fault is treated as passing, so nothing is dropped
            log.exception("sending outbox %s raised", outbox_id)
            return False, await self._retry(outbox_id, TransientSendError(f"{type(exc).__name__}: {exc}"))
        async with self.sessions() as session, session.begin():
            outbox.mark_sent(await session.get_one(OutboxMessage, outbox_id), provider_id, self.clock.now())
        return True, None

    async def _retry(self, outbox_id: int, exc: TransientSendError) -> datetime | None:
        log.warning("outbox %s will be retried: %s", outbox_id, exc)
        async with self.sessions() as session, session.begin():
            row = await session.get_one(OutboxMessage, outbox_id)
            return outbox.mark_retry(row, str(exc), exc.retry_after, self.clock.now())

    async def _fail(self, outbox_id: int, exc: PermanentSendError) -> None:
        log.warning("outbox %s failed for good: %s", outbox_id, exc)
        async with self.sessions() as session, session.begin():
            row = await session.get_one(OutboxMessage, outbox_id)
            outbox.mark_failed(row, str(exc), undeliverable=exc.unreachable)
            if exc.unreachable:
                identity = await session.get_one(ChannelIdentity, row.identity_id)
                identity.unreachable_at, identity.unreachable_reason = self.clock.now(), str(exc)[:200]
