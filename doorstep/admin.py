"""Operator commands: `doorstep admin grant|revoke PHONE [--role admin]`."""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy.ext.asyncio import AsyncSession

from bots.channels.base import ChannelAdapter
from bots.notify import notify
from core.db import create_engine, session_factory
from core.models import Person, Role
from core.people import grant_role, owner_of_phone, revoke_role
from core.phones import example_number, format_international, to_e164
from doorstep.bootstrap import Runtime


class AdminError(Exception):
    """An operator command that cannot be carried out; the message says why and what to do."""


async def change_role(runtime: Runtime, phone_text: str, role: Role, *, grant: bool) -> str:
    """Grant or revoke a role for whoever confirmed `phone_text` in chat; returns what was done."""
    settings = runtime.settings
    phone = to_e164(phone_text, settings.default_region)
    if phone is None:
        example = example_number(settings.default_region)
        raise AdminError(f"{phone_text!r} is not a phone number; give one like {example}")
    engine = create_engine(settings.database_url)
    adapters = runtime.adapters()
    try:
        async with session_factory(engine)() as session, session.begin():
            person = await owner_of_phone(session, phone)
            if person is None:
                raise AdminError(
                    f"nobody has confirmed {format_international(phone)} in chat yet; ask them to write to "
                    "Doorstep and confirm their phone (the `settings` word) first"
                )
            message, outbox_ids = await _apply(runtime, session, adapters, person, role, grant)
    finally:
        for adapter in adapters.values():
            await adapter.aclose()
        await engine.dispose()
    runtime.queues.deliver(outbox_ids)
    return message


async def _apply(
    runtime: Runtime,
    session: AsyncSession,
    adapters: Mapping[str, ChannelAdapter],
    person: Person,
    role: Role,
    grant: bool,
) -> tuple[str, list[int]]:
    who = f"{format_international(person.phone or '')} ({person.display_name or 'no name'})"
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
