"""Delivering outbox rows through their channel adapter: claim once, obey the rules, send, record."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Mapping, Sequence
from contextlib import asynccontextmanager, suppress
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bots.channels.base import ChannelAdapter, PermanentSendError, TransientSendError
from bots.outbound.fallback import fall_back
from bots.outbound.throttle import Throttle
from core.clock import Clock
from core.message_log import outbox
from core.message_log.delivery_rules import refusal, whatsapp_window_open
from core.message_log.model import OutboxMessage
from core.people import otp
from core.people.actions import mark_undeliverable
from core.people.model import Channel, ChannelIdentity

log = logging.getLogger(__name__)
SLOT_BOOKED = "_slot_booked"
RESERVE_HORIZON_SECONDS = 300.0
LEASE_RENEW_SECONDS = outbox.LEASE.total_seconds() / 4


@dataclass
class BatchResult:
    """What became of a batch: rows sent, rows added elsewhere, and when to try the rest if one must wait."""

    sent: list[int] = field(default_factory=list)
    added: list[int] = field(default_factory=list)
    retry_at: datetime | None = None
    waiting: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class Outcome:
    """One row's delivery: sent or not, when to look again, and any stand-in rows queued."""

    sent: bool = False
    retry_at: datetime | None = None
    added: tuple[int, ...] = ()


@dataclass(frozen=True)
class Courier:
    """Delivers outbox rows: sessions, a clock, the adapters, rate limits and WhatsApp templates."""

    sessions: async_sessionmaker[AsyncSession]
    clock: Clock
    adapters: Mapping[str, ChannelAdapter]
    throttle: Throttle | None = None
    whatsapp_templates: Mapping[str, str] = field(default_factory=dict)
    otp_secret: bytes = b""
    lease_renew_seconds: float = LEASE_RENEW_SECONDS

    async def deliver_batch(self, outbox_ids: Sequence[int]) -> BatchResult:
        """Deliver rows oldest first; a row that must wait holds back the ones after it."""
        result = BatchResult()
        async with self.sessions() as session:
            outbox_ids = await outbox.in_conversation_order(session, outbox_ids)
        for position, outbox_id in enumerate(outbox_ids):
            outcome = await self.deliver_one(outbox_id)
            result.added += outcome.added
            if outcome.sent:
                result.sent.append(outbox_id)
            if outcome.retry_at is not None:
                result.retry_at, result.waiting = outcome.retry_at, list(outbox_ids[position:])
                async with self.sessions() as session, session.begin():
                    await outbox.hold_until(session, result.waiting[1:], outcome.retry_at)
                break
        return result

    async def deliver_one(self, outbox_id: int) -> Outcome:
        """Send one row if it is still ours to send and the rules let it go now."""
        now = self.clock.now()
        async with self.sessions() as session, session.begin():
            row = await outbox.claim(session, outbox_id, now)
            if row is None:
                return Outcome(retry_at=await outbox.due_later(session, outbox_id, now))
            identity = await session.get_one(ChannelIdentity, row.identity_id)
            payload, stop = await self._prepare(session, row, identity, now)
            if stop is not None:
                return stop
        if row.in_doubt:
            found = await self._already_sent(row, payload)
            if found is not None:
                return found
        return await self._send(row.id, row.channel, payload)

    async def _already_sent(self, row: OutboxMessage, payload: dict[str, object]) -> Outcome | None:
        """A row whose last sender died mid-send: if the provider has it already, record it, don't resend."""
        try:
            provider_id = await self.adapters[row.channel].find_sent(payload, row.created_at)
        except Exception as exc:
            log.warning("could not ask the provider about outbox %s (%s); sending it again", row.id, exc)
            return None
        if provider_id is None:
            return None
        log.info("outbox %s had reached the provider before its sender stopped (%s)", row.id, provider_id)
        return await self._record_sent(row.id, provider_id)

    async def _prepare(
        self, session: AsyncSession, row: OutboxMessage, identity: ChannelIdentity, now: datetime
    ) -> tuple[dict[str, object], Outcome | None]:
        """The request to send, or the outcome when the row must not go now (or at all)."""
        reason = refusal(
            row.kind, identity.opted_out_at, identity.unreachable_at, identity.unreachable_reason
        )
        template: str | None = None
        if reason is None and row.channel == Channel.WHATSAPP:
            if not whatsapp_window_open(identity.last_inbound_at, now):
                template = self.whatsapp_templates.get(row.kind)
                if template is None:
                    reason = f"outside WhatsApp's 24-hour window and no approved template for {row.kind}"
        if reason is not None:
            outbox.mark_failed(row, reason, undeliverable=True)
            added = await fall_back(session, row, self.adapters, now)
            return {}, Outcome(added=tuple(r.id for r in added))
        wait = self._wait(row)
        if wait > 0:
            return {}, Outcome(retry_at=outbox.postpone(row, wait, now))
        payload: dict[str, object] = dict(row.payload)
        if template is not None:
            variables = row.payload.get("template_variables") or [row.text]
            payload = {"kind": "template", "to": row.address, "content_sid": template, "variables": variables}
        return await self._fill_code(session, row, payload, now)

    async def _fill_code(
        self, session: AsyncSession, row: OutboxMessage, payload: dict[str, object], now: datetime
    ) -> tuple[dict[str, object], Outcome | None]:
        """A one-time code is made as it is sent, so that its digits are never stored."""
        otp_id = row.payload.get("otp_id")
        if otp_id is None:
            return payload, None
        code = await otp.issue_code(session, int(otp_id), self.otp_secret, now)
        if code is None:
            outbox.mark_failed(row, "a newer code replaced this one", undeliverable=False)
            return {}, Outcome()
        return _replace_text(payload, otp.CODE_PLACEHOLDER, code), None

    def _wait(self, row: OutboxMessage) -> float:
        """Seconds until this row may go; a booked slot that has come is used without asking again."""
        if self.throttle is None:
            return 0.0
        if row.payload.get(SLOT_BOOKED):
            row.payload = {key: value for key, value in row.payload.items() if key != SLOT_BOOKED}
            return 0.0
        buckets, cost = self.adapters[row.channel].limits(row.address, row.segments)
        # A message longer than a bucket can ever hold still goes, as soon as that bucket is full.
        cost = min([cost, *(rate.burst for _, rate in buckets)])
        wait, booked = self.throttle.reserve(buckets, cost, RESERVE_HORIZON_SECONDS)
        if wait > 0 and booked:
            row.payload = {**row.payload, SLOT_BOOKED: True}
        return wait

    async def _send(self, outbox_id: int, channel: str, payload: dict[str, object]) -> Outcome:
        try:
            async with self._lease(outbox_id):
                provider_id = await self.adapters[channel].send(payload)
        except TransientSendError as exc:
            return Outcome(retry_at=await self._retry(outbox_id, exc))
        except PermanentSendError as exc:
            return Outcome(added=await self._fail(outbox_id, exc))
        except Exception as exc:  # an unexpected fault is treated as passing, so nothing is dropped
            log.exception("sending outbox %s raised", outbox_id)
            return Outcome(
                retry_at=await self._retry(outbox_id, TransientSendError(f"{type(exc).__name__}: {exc}"))
            )
        return await self._record_sent(outbox_id, provider_id)

    async def _record_sent(self, outbox_id: int, provider_id: str) -> Outcome:
        async with self.sessions() as session, session.begin():
            outbox.mark_sent(await session.get_one(OutboxMessage, outbox_id), provider_id, self.clock.now())
        return Outcome(sent=True)

    @asynccontextmanager
    async def _lease(self, outbox_id: int) -> AsyncIterator[None]:
        """Keep renewing the row's lease while the provider call runs, so only a dead sender loses it."""

        async def renew() -> None:
            while True:
                await asyncio.sleep(self.lease_renew_seconds)
                try:
                    async with self.sessions() as session, session.begin():
                        await outbox.renew_lease(session, outbox_id, self.clock.now())
                except Exception as exc:
                    log.warning("could not renew the lease of outbox %s (%s)", outbox_id, exc)

        renewing = asyncio.create_task(renew())
        try:
            yield
        finally:
            renewing.cancel()
            with suppress(asyncio.CancelledError):
                await renewing

    async def _retry(self, outbox_id: int, exc: TransientSendError) -> datetime | None:
        log.warning("outbox %s will be retried: %s", outbox_id, exc)
        if exc.pause and self.throttle is not None and exc.retry_after:
            self.throttle.pause(exc.pause, exc.retry_after)
        async with self.sessions() as session, session.begin():
            row = await session.get_one(OutboxMessage, outbox_id)
            return outbox.mark_retry(row, str(exc), exc.retry_after, self.clock.now())

    async def _fail(self, outbox_id: int, exc: PermanentSendError) -> tuple[int, ...]:
        log.warning("outbox %s failed for good: %s", outbox_id, exc)
        now = self.clock.now()
        async with self.sessions() as session, session.begin():
            row = await session.get_one(OutboxMessage, outbox_id)
            outbox.mark_failed(
                row, str(exc), undeliverable=exc.unreachable or exc.opted_out, error_code=exc.code
            )
            identity = await session.get_one(ChannelIdentity, row.identity_id)
            mark_undeliverable(
                identity, now, opted_out=exc.opted_out, reason=str(exc) if exc.unreachable else None
            )
            return tuple(r.id for r in await fall_back(session, row, self.adapters, now))


def _replace_text(value: Any, placeholder: str, text: str) -> Any:
    """`value` with `placeholder` replaced by `text` in every string it holds."""
    if isinstance(value, str):
        return value.replace(placeholder, text)
    if isinstance(value, dict):
        return {key: _replace_text(item, placeholder, text) for key, item in value.items()}
    if isinstance(value, list):
        return [_replace_text(item, placeholder, text) for item in value]
    return value
