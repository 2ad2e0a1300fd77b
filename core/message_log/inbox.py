"""The inbound log: record each provider delivery once, then track its processing."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.message_log.model import InboundMessage, InboundStatus
from core.message_log.retry import INBOUND_MAX_ATTEMPTS, backoff
from core.people.model import ChannelIdentity
from core.upserts import insert_for


async def record(
    session: AsyncSession, identity: ChannelIdentity, external_id: str, message: dict[str, Any], now: datetime
) -> int | None:
    """Store a delivery; None when (channel, external_id) was seen before, i.e. a provider retry."""
    statement = (
        insert_for(session, InboundMessage)
        .values(
            channel=identity.channel,
            external_id=external_id,
            identity_id=identity.id,
            person_id=identity.person_id,
            message=message,
            status=InboundStatus.PENDING,
            attempts=0,
            next_attempt_at=now,
            received_at=now,
        )
        .on_conflict_do_nothing(index_elements=["channel", "external_id"])
        .returning(InboundMessage.id)
    )
    return (await session.execute(statement)).scalar_one_or_none()


async def next_due(session: AsyncSession, person_id: int, now: datetime) -> InboundMessage | None:
    """The person's oldest delivery that is waiting and due; call under the person's lock."""
    return await session.scalar(
        select(InboundMessage)
        .where(
            InboundMessage.person_id == person_id,
            InboundMessage.status == InboundStatus.PENDING,
            InboundMessage.next_attempt_at <= now,
        )
        .order_by(InboundMessage.id)
        .limit(1)
    )


def mark_processed(row: InboundMessage, now: datetime) -> None:
    """The delivery was acted on."""
    row.status = InboundStatus.PROCESSED
    row.processed_at = now
    row.last_error = None


async def record_failure(session: AsyncSession, inbound_id: int, error: str, now: datetime) -> InboundMessage:
    """Count a failed try: retry later with backoff, or give up after the last attempt, keeping the error."""
    row = await session.get_one(InboundMessage, inbound_id)
    row.attempts += 1
    row.last_error = error[:4000]
    if row.attempts >= INBOUND_MAX_ATTEMPTS:
        row.status = InboundStatus.FAILED
    else:
        row.next_attempt_at = now + backoff(row.attempts)
    return row


async def people_with_due(session: AsyncSession, now: datetime, settle: timedelta) -> list[int]:
    """People with deliveries still waiting, left alone for `settle` so in-flight requests finish first."""
    rows = await session.scalars(
        select(InboundMessage.person_id)
        .where(
            InboundMessage.status == InboundStatus.PENDING,
            InboundMessage.next_attempt_at <= now,
            InboundMessage.received_at <= now - settle,
        )
        .group_by(InboundMessage.person_id)
        .order_by(InboundMessage.person_id)
    )
    return list(rows)
