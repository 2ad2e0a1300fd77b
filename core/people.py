"""Who is talking to us: channel identities and the people behind them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.db import insert_for
from core.models import ChannelIdentity, Person


@dataclass(frozen=True)
class Newcomer:
    """What we know of someone the first time they write: their name, language and our defaults."""

    display_name: str | None
    language_code: str | None
    locale: str
    timezone: str


async def identify(
    session: AsyncSession, channel: str, address: str, newcomer: Newcomer, now: datetime
) -> ChannelIdentity:
    """The identity behind (channel, address), creating it and a new person on first contact."""
    identity = await _find(session, channel, address)
    if identity is None:
        person = Person(
            display_name=newcomer.display_name,
            locale=newcomer.locale,
            timezone=newcomer.timezone,
            created_at=now,
        )
        session.add(person)
        await session.flush()
        await session.execute(
            insert_for(session, ChannelIdentity)
            .values(
                person_id=person.id,
                channel=channel,
                address=address,
                display_name=newcomer.display_name,
                language_code=newcomer.language_code,
                created_at=now,
            )
            .on_conflict_do_nothing(index_elements=["channel", "address"])
        )
        identity = await _find(session, channel, address)
        assert identity is not None
        if identity.person_id != person.id:
            await session.delete(person)
    identity.last_inbound_at = now
    identity.unreachable_at = identity.unreachable_reason = None
    return identity


async def _find(session: AsyncSession, channel: str, address: str) -> ChannelIdentity | None:
    return await session.scalar(
        select(ChannelIdentity).where(ChannelIdentity.channel == channel, ChannelIdentity.address == address)
    )


def mark_undeliverable(
    identity: ChannelIdentity, now: datetime, *, opted_out: bool, reason: str | None
) -> None:
    """Record that an address said STOP (`opted_out`) or cannot be reached (`reason`); None leaves it be."""
    if opted_out:
        identity.opted_out_at = now
    elif reason is not None:
        identity.unreachable_at, identity.unreachable_reason = now, reason[:200]
