"""Messages the platform starts (reminders, alerts, notices): the right channel, language and hour."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bots.channels.base import ChannelAdapter
from bots.dialog.choices import answers_of
from bots.dialog.engine import offer_choices
from bots.dialog.turn import build_reply
from bots.messages import Attachment, Choice
from bots.notice import Button, Notice
from bots.outbound.calendar_files import calendar_context
from bots.outbound.outgoing import queue_replies
from bots.texts import Texts
from core.listings.model import Listing
from core.locks import lock_person
from core.message_log.model import OutboxMessage
from core.people.actions import contact_identity
from core.people.model import Person
from core.people.quiet_hours import quiet_until
from core.viewings.model import Viewing


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
    attachment: Attachment | None = None,
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
        attachment=attachment,
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


async def send_notice(
    session: AsyncSession,
    texts: Texts,
    adapters: Mapping[str, ChannelAdapter],
    notice: Notice,
    now: datetime,
    public_base_url: str,
) -> list[int]:
    """Queue a notice for its person in their language and time zone; its buttons become their question.

    Takes the recipient's lock, as their own messages do, so their next tap finds these buttons.
    """
    person = await session.get(Person, notice.person_id)
    if person is None:
        return []
    await lock_person(session, person.id)
    choices = [
        Choice(button.choice_id, _label(texts, button, person.locale), answers=answers_of(button.label_key))
        for button in notice.buttons
    ]
    extra: dict[str, Any] = {}
    if isinstance(notice.calendar, Viewing):
        listing = await session.get_one(Listing, notice.calendar.listing_id)
        extra = calendar_context(notice.calendar, listing, public_base_url)
    rows = await notify(
        session,
        texts,
        adapters,
        person,
        notice.kind,
        now=now,
        dedupe_key=notice.dedupe_key,
        urgent=notice.urgent,
        important=notice.important,
        choices=choices,
        tz=person.timezone,
        **extra,
        **notice.context,
    )
    if rows and choices:
        await offer_choices(session, person.id, choices, now)
    return [row.id for row in rows]


async def send_notices(
    session: AsyncSession,
    texts: Texts,
    adapters: Mapping[str, ChannelAdapter],
    notices: Sequence[Notice],
    now: datetime,
    public_base_url: str,
) -> list[int]:
    """Queue each notice in turn (see `send_notice`); returns the outbox ids to deliver."""
    return [
        outbox_id
        for notice in notices
        for outbox_id in await send_notice(session, texts, adapters, notice, now, public_base_url)
    ]


def _label(texts: Texts, button: Button, locale: str) -> str:
    if button.at is None:
        return texts.label(button.label_key, locale=locale, **button.params)
    return texts.label(
        button.label_key, locale=locale, text=texts.moment(button.at, button.tz, locale=locale)
    )
