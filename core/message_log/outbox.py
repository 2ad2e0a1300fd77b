"""The outbox: every message we send, claimed once for delivery and tracked to its end."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import CursorResult, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from core.message_log.delivery_rules import advance
from core.message_log.model import OutboxMessage, OutboxStatus
from core.message_log.retry import OUTBOUND_MAX_ATTEMPTS, retry_delay
from core.people.model import ChannelIdentity

LEASE = timedelta(seconds=20)


def add(
    session: AsyncSession,
    identity: ChannelIdentity,
    *,
    kind: str,
    locale: str,
    text: str,
    payload: dict[str, Any],
    now: datetime,
    dedupe_key: str | None = None,
    important: bool = False,
    inbound_id: int | None = None,
    segments: int | None = None,
    fallback_of: int | None = None,
    not_before: datetime | None = None,
) -> OutboxMessage:
    """Queue one rendered message to one identity, in the caller's transaction; held until `not_before`."""
    row = OutboxMessage(
        person_id=identity.person_id,
        identity_id=identity.id,
        channel=identity.channel,
        address=identity.address,
        kind=kind,
        locale=locale,
        text=text,
        payload=payload,
        dedupe_key=dedupe_key,
        important=important,
        status=OutboxStatus.PENDING,
        attempts=0,
        next_attempt_at=max(now, not_before) if not_before else now,
        inbound_id=inbound_id,
        segments=segments,
        fallback_of=fallback_of,
        created_at=now,
    )
    session.add(row)
    return row


async def claim(session: AsyncSession, outbox_id: int, now: datetime) -> OutboxMessage | None:
    """Move a due row to sending under a short lease; None when someone else has it or it is not due."""
    result = await session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.id == outbox_id,
            OutboxMessage.status == OutboxStatus.PENDING,
            OutboxMessage.next_attempt_at <= now,
        )
        .values(
            status=OutboxStatus.SENDING,
            attempts=OutboxMessage.attempts + 1,
            claimed_at=now,
            lease_until=now + LEASE,
        )
        .returning(OutboxMessage.id)
    )
    if result.scalar_one_or_none() is None:
        return None
    return await session.get_one(OutboxMessage, outbox_id, populate_existing=True)


async def renew_lease(session: AsyncSession, outbox_id: int, now: datetime) -> bool:
    """Extend the lease of a row still being sent; False when it is no longer in sending."""
    result = await session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == outbox_id, OutboxMessage.status == OutboxStatus.SENDING)
        .values(lease_until=now + LEASE)
    )
    return bool(cast(CursorResult[Any], result).rowcount)


async def due_later(session: AsyncSession, outbox_id: int, now: datetime) -> datetime | None:
    """When a pending row that is not yet due becomes due (a job that woke early waits until then)."""
    row = await session.get(OutboxMessage, outbox_id)
    if row is not None and row.status == OutboxStatus.PENDING and row.next_attempt_at > now:
        return row.next_attempt_at
    return None


def mark_sent(row: OutboxMessage, provider_message_id: str, now: datetime) -> None:
    """The provider accepted the message."""
    row.status = OutboxStatus.SENT
    row.provider_message_id = provider_message_id
    row.sent_at = now
    row.last_error = None
    row.lease_until = None


def mark_retry(row: OutboxMessage, error: str, retry_after: float | None, now: datetime) -> datetime | None:
    """A transient failure: due again later, or failed for good after the last attempt; returns when."""
    row.last_error = error[:4000]
    row.lease_until = None
    if row.attempts >= OUTBOUND_MAX_ATTEMPTS:
        row.status = OutboxStatus.FAILED
        return None
    row.status = OutboxStatus.PENDING
    row.next_attempt_at = now + retry_delay(row.attempts, retry_after)
    return row.next_attempt_at


def mark_failed(
    row: OutboxMessage, error: str, *, undeliverable: bool, error_code: str | None = None
) -> None:
    """A permanent failure; `undeliverable` when the recipient cannot be reached at that address."""
    row.status = OutboxStatus.UNDELIVERABLE if undeliverable else OutboxStatus.FAILED
    row.last_error = error[:4000]
    row.lease_until = None
    row.error_code = error_code


def mark_reported(row: OutboxMessage, reported: str, error_code: str | None) -> bool:
    """Move the row on by the provider's delivery report (never back); True when it has now failed."""
    row.provider_status = reported
    target = advance(row.status, reported)
    if target is None:
        return False
    row.status = target
    if target not in (OutboxStatus.FAILED, OutboxStatus.UNDELIVERABLE):
        return False
    row.error_code = error_code
    row.last_error = f"Twilio reported {reported}" + (f" with error {error_code}" if error_code else "")
    return True


def postpone(row: OutboxMessage, seconds: float, now: datetime) -> datetime:
    """Put a claimed row back, due after `seconds` (a rate limit), without counting it as an attempt."""
    row.status = OutboxStatus.PENDING
    row.attempts -= 1
    row.lease_until = None
    row.next_attempt_at = now + timedelta(seconds=seconds)
    return row.next_attempt_at


async def hold_until(session: AsyncSession, outbox_ids: list[int], when: datetime) -> None:
    """Keep later messages of a conversation from overtaking one that must be retried first."""
    if outbox_ids:
        await session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id.in_(outbox_ids), OutboxMessage.status == OutboxStatus.PENDING)
            .values(next_attempt_at=when)
        )


async def in_conversation_order(session: AsyncSession, outbox_ids: Sequence[int]) -> list[int]:
    """The given rows plus any older pending rows to the same recipients, oldest first, so none overtakes."""
    if not outbox_ids:
        return []
    identities = select(OutboxMessage.identity_id).where(OutboxMessage.id.in_(outbox_ids))
    older = await session.scalars(
        select(OutboxMessage.id)
        .where(
            OutboxMessage.identity_id.in_(identities),
            OutboxMessage.status == OutboxStatus.PENDING,
            OutboxMessage.id < max(outbox_ids),
        )
        .order_by(OutboxMessage.id)
    )
    return sorted(set(older) | set(outbox_ids))


async def due_batches(session: AsyncSession, now: datetime, settle: timedelta) -> list[list[int]]:
    """Pending, due rows grouped per recipient in the order they were written."""
    rows = await session.execute(
        select(OutboxMessage.identity_id, OutboxMessage.id)
        .where(OutboxMessage.status == OutboxStatus.PENDING, OutboxMessage.next_attempt_at <= now - settle)
        .order_by(OutboxMessage.identity_id, OutboxMessage.id)
    )
    return _per_recipient(rows.all())


async def release_stale(session: AsyncSession, now: datetime) -> list[list[int]]:
    """Rows whose sender died mid-send (lease run out) go back to pending, in doubt; batched per recipient.

    In doubt: the provider may have taken the message before the sender died, so the next send first
    asks the provider where it can (see `Courier`).
    """
    rows = await session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.status == OutboxStatus.SENDING, OutboxMessage.lease_until < now)
        .values(
            status=OutboxStatus.PENDING,
            next_attempt_at=now,
            lease_until=None,
            in_doubt=True,
            last_error="released after the sender stopped mid-delivery",
        )
        .returning(OutboxMessage.identity_id, OutboxMessage.id)
    )
    return _per_recipient(sorted(rows.all()))


def _per_recipient(rows: Sequence[Any]) -> list[list[int]]:
    """(identity_id, outbox_id) rows, ordered by identity then id, as one batch of ids per recipient."""
    batches: dict[int, list[int]] = {}
    for identity_id, outbox_id in rows:
        batches.setdefault(identity_id, []).append(outbox_id)
    return list(batches.values())
