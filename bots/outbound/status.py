"""Provider delivery reports (Twilio status callbacks) moving outbox rows on, and what failures mean."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bots.channels.base import ChannelAdapter
from bots.outbound.fallback import fall_back
from core.clock import Clock
from core.message_log.delivery_rules import OPTED_OUT_CODES, UNREACHABLE_CODES
from core.message_log.model import OutboxMessage
from core.message_log.outbox import mark_reported
from core.people.actions import mark_undeliverable
from core.people.model import Channel, ChannelIdentity

log = logging.getLogger(__name__)
TWILIO_CHANNELS = (Channel.SMS, Channel.WHATSAPP)


async def record_status(
    sessions: async_sessionmaker[AsyncSession],
    adapters: Mapping[str, ChannelAdapter],
    clock: Clock,
    message_sid: str,
    reported: str,
    error_code: str | None,
) -> list[int]:
    """Apply a status report to the row with that MessageSid; returns stand-in rows queued elsewhere."""
    now = clock.now()
    async with sessions() as session, session.begin():
        row = await session.scalar(
            select(OutboxMessage)
            .where(
                OutboxMessage.channel.in_(TWILIO_CHANNELS), OutboxMessage.provider_message_id == message_sid
            )
            .with_for_update()
        )
        if row is None:
            log.info("status %s for unknown message %s ignored", reported, message_sid)
            return []
        if not mark_reported(row, reported, error_code):
            return []
        await _mark_identity(session, row, error_code, now)
        return [added.id for added in await fall_back(session, row, adapters, now)]


async def _mark_identity(
    session: AsyncSession, row: OutboxMessage, error_code: str | None, now: datetime
) -> None:
    identity = await session.get_one(ChannelIdentity, row.identity_id)
    reason = f"Twilio error {error_code}" if error_code in UNREACHABLE_CODES else None
    mark_undeliverable(identity, now, opted_out=error_code in OPTED_OUT_CODES, reason=reason)
