"""From provider delivery to replies in the outbox: dedupe, then answer in order under the person's lock."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import partial

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bots.channels.base import ChannelAdapter
from bots.dialog.engine import converse
from bots.dialog.registry import Flows
from bots.dialog.turn import Setup
from bots.messages import Inbound, Reply
from bots.outbound.notify import send_notices
from bots.outbound.outgoing import queue_replies
from bots.photos import NoPhotos, PhotoSource
from bots.texts import Texts
from core.clock import Clock
from core.locks import lock_person
from core.message_log import inbox
from core.message_log.model import InboundMessage, InboundStatus, OutboxMessage
from core.people.actions import Newcomer, identify
from core.people.model import Channel, ChannelIdentity, Person
from core.timezones import language_for_code, language_for_number, timezone_for_number

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Conversations:
    """What answering needs: sessions, a clock, the texts, the flows and each channel's renderer."""

    sessions: async_sessionmaker[AsyncSession]
    clock: Clock
    texts: Texts
    flows: Flows
    adapters: Mapping[str, ChannelAdapter]
    default_locale: str
    default_timezone: str
    default_region: str = "GB"
    otp_secret: bytes = b""
    public_base_url: str = ""
    photos: PhotoSource = field(default_factory=NoPhotos)

    def setup(self) -> Setup:
        """What every turn may use of the deployment."""
        return Setup(
            channels=frozenset(self.adapters),
            region=self.default_region,
            otp_secret=self.otp_secret,
            public_base_url=self.public_base_url,
            photos=self.photos,
        )


async def accept(conv: Conversations, inbound: Inbound) -> int | None:
    """Record a delivery and find its person; returns the person id, or None for a provider retry."""
    now = conv.clock.now()
    newcomer = partial(_newcomer, conv, inbound)
    async with conv.sessions() as session, session.begin():
        identity = await identify(session, inbound.channel, inbound.address, newcomer, now)
        inbound_id = await inbox.record(session, identity, inbound.external_id, inbound.to_json(), now)
        return identity.person_id if inbound_id is not None else None


def _newcomer(conv: Conversations, inbound: Inbound) -> Newcomer:
    """First language from Telegram's language_code or the number's country; time zone from the number."""
    by_phone = inbound.channel != Channel.TELEGRAM
    locale = language_for_code(inbound.language_code, conv.texts.locales)
    if locale is None and by_phone:
        locale = language_for_number(inbound.address, conv.texts.locales)
    timezone = timezone_for_number(inbound.address) if by_phone else None
    return Newcomer(
        display_name=inbound.display_name,
        language_code=inbound.language_code,
        locale=locale or conv.default_locale,
        timezone=timezone or conv.default_timezone,
    )


async def answer_pending(conv: Conversations, person_id: int) -> list[int]:
    """Answer the person's waiting deliveries oldest first; returns the new outbox ids to deliver."""
    outbox_ids: list[int] = []
    while True:
        now = conv.clock.now()
        current: int | None = None
        try:
            async with conv.sessions() as session, session.begin():
                await lock_person(session, person_id)
                row = await inbox.next_due(session, person_id, now)
                if row is None:
                    return outbox_ids
                current = row.id
                outbox_ids += await _answer(conv, session, row)
        except Exception as exc:
            if current is None:
                raise
            log.exception("answering inbound %s failed", current)
            outbox_ids += await _record_failure(conv, current, exc)


async def _answer(conv: Conversations, session: AsyncSession, row: InboundMessage) -> list[int]:
    now = conv.clock.now()
    identity = await session.get_one(ChannelIdentity, row.identity_id)
    person = await session.get_one(Person, row.person_id)
    turn = await converse(
        session, person, identity, Inbound.from_json(row.message), conv.texts, now, conv.setup(), conv.flows
    )
    ids = _queue(conv, session, identity, person.locale, turn.replies, row.id)
    for n, (elsewhere, reply) in enumerate(turn.elsewhere):
        ids += _queue(conv, session, elsewhere, person.locale, [reply], row.id, key=f":to{n}")
    inbox.mark_processed(row, now)
    await session.flush()
    noticed = await send_notices(session, conv.texts, conv.adapters, turn.notices, now, conv.public_base_url)
    return [r.id for r in ids] + noticed


async def _record_failure(conv: Conversations, inbound_id: int, exc: Exception) -> list[int]:
    """Keep the delivery for a later retry; after the last one, apologise so nobody waits in silence."""
    now = conv.clock.now()
    async with conv.sessions() as session, session.begin():
        row = await inbox.record_failure(session, inbound_id, f"{type(exc).__name__}: {exc}", now)
        if row.status != InboundStatus.FAILED:
            return []
        identity = await session.get_one(ChannelIdentity, row.identity_id)
        person = await session.get_one(Person, row.person_id)
        text = conv.texts.render("errors.generic", locale=person.locale, channel=identity.channel)
        rows = _queue(conv, session, identity, person.locale, [Reply("errors.generic", text)], row.id)
        await session.flush()
        return [r.id for r in rows]


def _queue(
    conv: Conversations,
    session: AsyncSession,
    identity: ChannelIdentity,
    locale: str,
    replies: list[Reply],
    inbound_id: int,
    key: str = "",
) -> list[OutboxMessage]:
    return queue_replies(
        session,
        conv.adapters[identity.channel],
        identity,
        replies,
        locale=locale,
        now=conv.clock.now(),
        dedupe_prefix=f"inbound:{inbound_id}{key}",
        inbound_id=inbound_id,
    )
