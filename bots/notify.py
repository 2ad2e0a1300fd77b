"""Messages the platform starts (reminders, alerts, notices): the right channel, language and hour."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bots.channels.base import ChannelAdapter
from bots.dialog.turn import build_reply
from bots.messages import Choice
from bots.outgoing import queue_replies
from bots.texts import Texts
from core.models import OutboxMessage, Person
from core.people import contact_identity
from core.quiet_hours import quiet_until


async def notify(
    session: AsyncSession,
    texts: Texts,
    adapters: Mapping[str, ChannelAdapter],
    person: Person,
    kind: str,
    *,
    now: datetime,
    dedupe_key: str,
    urgent: bool = False,
    important: bool = False,
    choices: Sequence[Choice] = (),
    **context: Any,
) -> list[OutboxMessage]:
    """Queue a notification where the person is reachable; held until their quiet hours end unless urgent.

    Returns the new outbox rows: none when the person has no reachable channel or `dedupe_key` was queued
    before, so a retried job changes nothing. Deliver them as usual; a held row waits for its time.
    """
    identity = await contact_identity(session, person, adapters)
    already = await session.scalar(
        select(OutboxMessage.id).where(OutboxMessage.dedupe_key == f"{dedupe_key}:0")
    )
    if identity is None or already is not None:
        return []
    held = None if urgent else quiet_until(now, person.timezone, person.quiet_start, person.quiet_end)
    reply = build_reply(
        texts,
        kind,
        locale=person.locale,
        channel=identity.channel,
        choices=choices,
        important=important,
        **context,
    )
    rows = queue_replies(
        session,
        adapters[identity.channel],
        identity,
        [reply],
        locale=person.locale,
        now=now,
        dedupe_prefix=dedupe_key,
        not_before=held,
    )
    await session.flush()
    return rows
