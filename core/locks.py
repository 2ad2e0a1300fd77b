"""Per-person serialisation of conversation processing."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

_PERSON_LOCK_SPACE = 0x0D00


async def lock_person(session: AsyncSession, person_id: int) -> None:
    """Hold the person's lock until the transaction ends.

    PostgreSQL: a transaction-scoped advisory lock. SQLite: nothing to do, because every transaction there
    begins IMMEDIATE (see core.db), which already lets one writer in at a time.
    """
    if session.get_bind().dialect.name == "postgresql":
        await session.execute(select(func.pg_advisory_xact_lock((_PERSON_LOCK_SPACE << 40) + person_id)))
