"""Important messages that cannot reach one channel go to another channel of the same person."""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bots.channels.base import ChannelAdapter
from bots.messages import Choice, Reply, web_photo
from core.message_log import outbox
from core.message_log.model import OutboxMessage
from core.people.model import Channel, ChannelIdentity

_TAG = re.compile(r"<[^>]+>")


def reply_record(reply: Reply) -> dict[str, object]:
    """What is kept of a reply on its outbox rows so that it can be shown again on another channel."""
    return {
        "text": reply.text,
        "choices": [[c.id, c.label] for c in reply.choices],
        "photo_url": reply.photo_url,
        "extra": reply.extra,
    }


async def fall_back(
    session: AsyncSession, row: OutboxMessage, adapters: Mapping[str, ChannelAdapter], now: datetime
) -> list[OutboxMessage]:
    """Queue an important row again on the person's next reachable channel; returns the new rows."""
    if not row.important or row.fallback_of is not None:
        return []
    target = await _next_identity(session, row, adapters, now)
    if target is None:
        return []
    record = row.payload.get("_reply") or {"text": row.text, "choices": [], "photo_url": None, "extra": {}}
    text = record["text"] if row.channel != Channel.TELEGRAM else html.unescape(_TAG.sub("", record["text"]))
    if target.channel == Channel.SMS:
        text = record["extra"].get("sms_text", text)
    reply = Reply(
        row.kind,
        text,
        tuple(Choice(i, label) for i, label in record["choices"]),
        record["photo_url"] if target.channel == Channel.TELEGRAM else web_photo(record["photo_url"]),
        True,
        dict(record["extra"]),
    )
    rows = [
        outbox.add(
            session,
            target,
            kind=row.kind,
            locale=row.locale,
            text=part.text,
            payload={**part.payload, "_reply": record},
            segments=part.segments,
            now=now,
            important=True,
            dedupe_key=f"fallback:{row.id}:{n}",
            fallback_of=row.id,
        )
        for n, part in enumerate(adapters[target.channel].render(target.address, reply))
    ]
    await session.flush()
    return rows


async def _next_identity(
    session: AsyncSession, row: OutboxMessage, adapters: Mapping[str, ChannelAdapter], now: datetime
) -> ChannelIdentity | None:
    others = await session.scalars(
        select(ChannelIdentity)
        .where(
            ChannelIdentity.person_id == row.person_id,
            ChannelIdentity.id != row.identity_id,
            ChannelIdentity.unreachable_at.is_(None),
            ChannelIdentity.opted_out_at.is_(None),
            ChannelIdentity.channel.in_(list(adapters)),
        )
        .order_by(ChannelIdentity.last_inbound_at.desc().nulls_last())
    )
    for identity in others:
        if identity.verified_at is not None or identity.address == row.address:
            return identity
    if row.channel == Channel.WHATSAPP and Channel.SMS in adapters:
        return await _sms_twin(session, row, now)
    return None


async def _sms_twin(session: AsyncSession, row: OutboxMessage, now: datetime) -> ChannelIdentity | None:
    """The SMS identity of a WhatsApp number: WhatsApp has already shown the number is theirs."""
    existing = await session.scalar(
        select(ChannelIdentity).where(
            ChannelIdentity.channel == Channel.SMS, ChannelIdentity.address == row.address
        )
    )
    if existing is not None:
        usable = existing.person_id == row.person_id and existing.opted_out_at is None
        return existing if usable and existing.unreachable_at is None else None
    twin = ChannelIdentity(
        person_id=row.person_id, channel=Channel.SMS, address=row.address, verified_at=now, created_at=now
    )
    session.add(twin)
    await session.flush()
    return twin
