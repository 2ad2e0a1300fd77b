"""Who is talking to us: channel identities, the people behind them, their roles and proven phones."""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.locks import lock_person
from core.people.merging import merge_into
from core.people.model import Channel, ChannelIdentity, Person, PersonRole, Role
from core.people.quiet_hours import DEFAULT_QUIET
from core.upserts import insert_for

PHONE_CHANNELS = (Channel.SMS, Channel.WHATSAPP)


@dataclass(frozen=True)
class Newcomer:
    """What we know of someone the first time they write: their name, language and our defaults."""

    display_name: str | None
    language_code: str | None
    locale: str
    timezone: str


async def identify(
    session: AsyncSession, channel: str, address: str, newcomer: Callable[[], Newcomer], now: datetime
) -> ChannelIdentity:
    """The identity behind (channel, address) that just wrote to us, creating it on first contact.

    `newcomer` describes a first-timer; it is only called on first contact.

    A WhatsApp number has been proven by WhatsApp itself, so it joins the person who proved that number,
    or makes its new person the owner of the number.
    """
    identity = await _find(session, channel, address)
    if identity is None:
        owner = await owner_of_phone(session, address) if channel == Channel.WHATSAPP else None
        identity = await address_identity(session, channel, address, newcomer(), now, person=owner)
        if channel == Channel.WHATSAPP:
            identity.verified_at = now
            if owner is None:
                person = await session.get_one(Person, identity.person_id)
                person.phone, person.phone_verified_at = address, now
    identity.last_inbound_at = now
    identity.unreachable_at = identity.unreachable_reason = None
    return identity


async def address_identity(
    session: AsyncSession,
    channel: str,
    address: str,
    newcomer: Newcomer,
    now: datetime,
    *,
    person: Person | None = None,
) -> ChannelIdentity:
    """The identity of (channel, address), created for `person` or a new person of its own when missing."""
    identity = await _find(session, channel, address)
    if identity is not None:
        return identity
    created = person is None
    if person is None:
        person = _new_person(newcomer, now)
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
    if created and identity.person_id != person.id:
        await session.delete(person)
    return identity


def _new_person(newcomer: Newcomer, now: datetime) -> Person:
    start, end = DEFAULT_QUIET
    return Person(
        display_name=newcomer.display_name,
        locale=newcomer.locale,
        timezone=newcomer.timezone,
        quiet_start=start,
        quiet_end=end,
        created_at=now,
    )


async def _find(session: AsyncSession, channel: str, address: str) -> ChannelIdentity | None:
    return await session.scalar(
        select(ChannelIdentity).where(ChannelIdentity.channel == channel, ChannelIdentity.address == address)
    )


async def owner_of_phone(session: AsyncSession, phone: str) -> Person | None:
    """The person who has proven `phone`, if anyone has."""
    return await session.scalar(select(Person).where(Person.phone == phone))


async def prove_phone(session: AsyncSession, person: Person, phone: str, now: datetime) -> list[int]:
    """Record that `person` proved `phone`; anyone else holding that number is merged into them.

    Their roles, identities, listings and everything else that points at a person follow; the survivor
    keeps the conversation it is in. Returns the ids of those merged who had written to us themselves
    (not the stand-in made for an address we only sent a code to), the ones worth telling the person about.
    """
    holders = set(await session.scalars(select(Person.id).where(Person.phone == phone)))
    holders |= set(
        await session.scalars(
            select(ChannelIdentity.person_id).where(
                ChannelIdentity.address == phone, ChannelIdentity.channel.in_(PHONE_CHANNELS)
            )
        )
    )
    others = sorted(holders - {person.id})
    talked = set(
        await session.scalars(
            select(ChannelIdentity.person_id).where(
                ChannelIdentity.person_id.in_(others), ChannelIdentity.last_inbound_at.is_not(None)
            )
        )
    )
    for other in others:
        await lock_person(session, other)
        await merge_into(session, person, other, phone, now)
    person.phone, person.phone_verified_at = phone, now
    await session.refresh(person, ["roles", "identities"])
    for identity in person.identities:
        if identity.address == phone or identity.channel == Channel.TELEGRAM:
            identity.verified_at = identity.verified_at or now
    return [other for other in others if other in talked]


async def contact_identity(
    session: AsyncSession, person: Person, channels: Collection[str]
) -> ChannelIdentity | None:
    """Where to reach a person unprompted: their preferred channel, else the one they used last."""
    usable = [
        identity
        for identity in await session.scalars(
            select(ChannelIdentity)
            .where(
                ChannelIdentity.person_id == person.id,
                ChannelIdentity.unreachable_at.is_(None),
                ChannelIdentity.opted_out_at.is_(None),
                ChannelIdentity.channel.in_(list(channels)),
            )
            .order_by(ChannelIdentity.last_inbound_at.desc().nulls_last(), ChannelIdentity.id.desc())
        )
    ]
    preferred = [i for i in usable if i.channel == person.preferred_channel]
    chosen = preferred or usable
    return chosen[0] if chosen else None


def grant_role(person: Person, role: Role, now: datetime) -> bool:
    """Give a person a role; False when they already had it."""
    if person.has_role(role):
        return False
    person.roles.append(PersonRole(person_id=person.id, role=role, granted_at=now))
    return True


def revoke_role(person: Person, role: Role) -> bool:
    """Take a role away; False when they did not have it."""
    kept = [r for r in person.roles if r.role != role]
    changed = len(kept) != len(person.roles)
    person.roles = kept
    return changed


def mark_undeliverable(
    identity: ChannelIdentity, now: datetime, *, opted_out: bool, reason: str | None
) -> None:
    """Record that an address said STOP (`opted_out`) or cannot be reached (`reason`); None leaves it be."""
    if opted_out:
        identity.opted_out_at = now
    elif reason is not None:
        identity.unreachable_at, identity.unreachable_reason = now, reason[:200]
