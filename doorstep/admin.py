"""Operator commands: `doorstep admin grant|revoke PHONE [--role admin]`, `flags`, `unflag PHONE`,
`withdraw LISTING_KEY`."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager

from sqlalchemy.ext.asyncio import AsyncSession

from bots.channels.base import ChannelAdapter
from bots.flows.announce import notices_of
from bots.outbound.notify import notify, send_notices
from core.db import create_engine, session_factory
from core.errors import NotFound, StatusChangeRefused
from core.events import settle
from core.listings.actions import withdraw_listing
from core.offers.events import OfferClosedWithListing
from core.offers.review_flags import clear_flags, open_flags
from core.people.actions import grant_role, owner_of_phone, revoke_role
from core.people.model import Person, Role
from core.phones import example_number, format_international, to_e164
from core.viewings.events import ViewingClosedWithListing
from doorstep.bootstrap import Runtime


class AdminError(Exception):
    """An operator command that cannot be carried out; the message says why and what to do."""


async def change_role(runtime: Runtime, phone_text: str, role: Role, *, grant: bool) -> str:
    """Grant or revoke a role for whoever confirmed `phone_text` in chat; returns what was done."""
    phone = _phone(runtime, phone_text)
    adapters = runtime.adapters()
    try:
        async with _session(runtime) as session, session.begin():
            person = await _owner(session, phone)
            message, outbox_ids = await _apply(runtime, session, adapters, person, role, grant)
    finally:
        for adapter in adapters.values():
            await adapter.aclose()
    runtime.queues.deliver(outbox_ids)
    return message


async def list_flags(runtime: Runtime) -> str:
    """Everyone flagged for review and why, oldest first; one line each."""
    async with _session(runtime) as session:
        flagged = await open_flags(session)
    if not flagged:
        return "Nobody is flagged for review."
    return "\n".join(
        f"{item.flag.flagged_at:%Y-%m-%d %H:%M} UTC  {_who(item.person)}  "
        f"{item.flag.reason}: {item.flag.detail}"
        for item in flagged
    )


async def unflag(runtime: Runtime, phone_text: str) -> str:
    """Clear the open review flags of whoever confirmed `phone_text`, once an operator has looked."""
    phone = _phone(runtime, phone_text)
    async with _session(runtime) as session, session.begin():
        person = await _owner(session, phone)
        cleared = await clear_flags(session, person.id, runtime.clock.now())
    return f"{_who(person)}: {cleared} flag{'' if cleared == 1 else 's'} cleared."


async def withdraw(runtime: Runtime, listing_key: str) -> str:
    """Take a listing off the market as its seller would: its open offers and viewings to come close, and
    their buyers and the listing's seller and broker are told."""
    adapters = runtime.adapters()
    now = runtime.clock.now()
    try:
        async with _session(runtime) as session, session.begin():
            try:
                listing = await withdraw_listing(session, listing_key, now)
            except NotFound:
                raise AdminError(f"no listing has the key {listing_key!r}") from None
            except StatusChangeRefused:
                raise AdminError(f"{listing_key} is not on the market, so it cannot be withdrawn") from None
            events = await settle(session, now)
            notices = await notices_of(session, events)
            outbox_ids = await send_notices(
                session, runtime.texts, adapters, notices, now, runtime.settings.public_base_url
            )
    finally:
        for adapter in adapters.values():
            await adapter.aclose()
    runtime.queues.deliver(outbox_ids)
    offers = sum(isinstance(event, OfferClosedWithListing) for event in events)
    viewings = sum(isinstance(event, ViewingClosedWithListing) for event in events)
    return (
        f"{listing.listing_key} is withdrawn; {offers} open offer{'' if offers == 1 else 's'} closed, "
        f"{viewings} viewing{'' if viewings == 1 else 's'} called off."
    )


@asynccontextmanager
async def _session(runtime: Runtime) -> AsyncIterator[AsyncSession]:
    """A session on the deployment's database, for one command; the engine goes with it."""
    engine = create_engine(runtime.settings.database_url)
    try:
        async with session_factory(engine)() as session:
            yield session
    finally:
        await engine.dispose()


def _phone(runtime: Runtime, phone_text: str) -> str:
    region = runtime.settings.default_region
    phone = to_e164(phone_text, region)
    if phone is None:
        raise AdminError(f"{phone_text!r} is not a phone number; give one like {example_number(region)}")
    return phone


async def _owner(session: AsyncSession, phone: str) -> Person:
    person = await owner_of_phone(session, phone)
    if person is None:
        raise AdminError(
            f"nobody has confirmed {format_international(phone)} in chat yet; ask them to write to "
            "Doorstep and confirm their phone (the `settings` word) first"
        )
    return person


def _who(person: Person) -> str:
    return f"{format_international(person.phone or '')} ({person.display_name or 'no name'})"


async def _apply(
    runtime: Runtime,
    session: AsyncSession,
    adapters: Mapping[str, ChannelAdapter],
    person: Person,
    role: Role,
    grant: bool,
) -> tuple[str, list[int]]:
    who = _who(person)
    now = runtime.clock.now()
    if not grant:
        changed = revoke_role(person, role)
        return (f"{who} is no longer {role}." if changed else f"{who} was not {role}."), []
    if not grant_role(person, role, now):
        return f"{who} is already {role}.", []
    rows = await notify(
        session,
        runtime.texts,
        adapters,
        person,
        "roles.granted",
        now=now,
        dedupe_key=f"role:{person.id}:{role}:{now.isoformat()}",
        role=str(role),
    )
    return f"{who} is now {role}.", [row.id for row in rows]
