"""Folding one person into another: every row that points at a person follows the survivor."""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from sqlalchemy import CursorResult, delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from core.dialog_state import DialogState
from core.events import react, record
from core.people.events import PeopleMerged
from core.people.model import Person, PersonRole
from core.people.verification_model import PersonMerge
from core.tables import Base

# Rows keyed by the person, where the survivor's own row wins over the merged person's.
_SURVIVOR_WINS = {DialogState.__tablename__}


async def merge_into(
    session: AsyncSession, survivor: Person, other_id: int, phone: str, now: datetime
) -> PersonMerge:
    """Move everything of person `other_id` to `survivor`, then delete the other person."""
    other = (
        await session.execute(
            select(Person.display_name, Person.preferred_channel).where(Person.id == other_id)
        )
    ).one()
    survivor.display_name = survivor.display_name or other.display_name
    survivor.preferred_channel = survivor.preferred_channel or other.preferred_channel
    await session.execute(update(Person).where(Person.id == other_id).values(phone=None))
    await _merge_roles(session, survivor.id, other_id)
    # Other domains' rules for the two (one live offer, one open flag per reason) run before rows move.
    record(session, PeopleMerged(survivor.id, other_id))
    await react(session, now)
    moved: dict[str, int] = {}
    for entity, key in _person_references():
        name, attribute = entity.__tablename__, getattr(entity, key)
        if name in _SURVIVOR_WINS:
            await session.execute(delete(entity).where(attribute == other_id))
            continue
        result = await session.execute(update(entity).where(attribute == other_id).values({key: survivor.id}))
        count = cast(CursorResult[Any], result).rowcount
        if count:
            moved[name] = moved.get(name, 0) + count
    await session.execute(delete(Person).where(Person.id == other_id))
    merge = PersonMerge(
        survivor_id=survivor.id,
        merged_person_id=other_id,
        phone=phone,
        moved=", ".join(f"{name}={count}" for name, count in sorted(moved.items()))[:500],
        merged_at=now,
    )
    session.add(merge)
    await session.flush()
    return merge


async def _merge_roles(session: AsyncSession, survivor_id: int, other_id: int) -> None:
    """The survivor gains the roles it lacked; the other person's role rows go."""
    theirs = await session.execute(
        select(PersonRole.role, PersonRole.granted_at).where(PersonRole.person_id == other_id)
    )
    mine = set(await session.scalars(select(PersonRole.role).where(PersonRole.person_id == survivor_id)))
    for role, granted_at in theirs:
        if role not in mine:
            session.add(PersonRole(person_id=survivor_id, role=role, granted_at=granted_at))
    await session.execute(delete(PersonRole).where(PersonRole.person_id == other_id))
    await session.flush()


def _person_references() -> list[tuple[type[Any], str]]:
    """(mapped class, attribute) of every column that refers to persons.id, but the role rows merged above.

    Found from the mappings (the composition root maps every table before the first session opens), so a
    table added later follows a merge without being listed here; going through the ORM keeps the objects
    already loaded in the session in step with the rows.
    """
    persons = Person.__table__
    found = []
    for mapper in Base.registry.mappers:
        entity = mapper.class_
        if entity in (Person, PersonRole):
            continue
        for fk in mapper.local_table.foreign_keys:
            if fk.column is persons.c.id:
                found.append((entity, mapper.get_property_by_column(fk.parent).key))
    return sorted(found, key=lambda pair: (pair[0].__tablename__, pair[1]))
