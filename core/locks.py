"""Per-person serialisation of conversation processing."""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.errors import NotFound

_PERSON_LOCK_SPACE = 0x0D00
Row = TypeVar("Row")


async def lock_person(session: AsyncSession, person_id: int) -> None:
    """Hold the person's lock until the transaction ends.

    PostgreSQL: a transaction-scoped advisory lock. SQLite: nothing to do, because every transaction there
    begins IMMEDIATE (see core.db), which already lets one writer in at a time.
    """
    if session.get_bind().dialect.name == "postgresql":
        await session.execute(select(func.pg_advisory_xact_lock((_PERSON_LOCK_SPACE << 40) + person_id)))


async def lock_row(session: AsyncSession, entity: type[Row], *where: Any) -> Row:
    """The one row of `entity` matching `where`, locked for this transaction and read afresh (or NotFound).

    Read afresh (`populate_existing`) because the session may hold the row as it was before another
    transaction changed it and released the lock this call waited for.
    """
    row = await session.scalar(
        select(entity).where(*where).with_for_update().execution_options(populate_existing=True)
    )
    if row is None:
        raise NotFound(entity.__name__)
    return row
