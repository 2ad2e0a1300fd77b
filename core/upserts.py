"""Dialect-neutral upserts: INSERT ... ON CONFLICT on PostgreSQL and SQLite alike."""

from __future__ import annotations

from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession


def insert_for(session: AsyncSession, table: Any) -> postgresql.Insert | sqlite.Insert:
    """An INSERT that supports ON CONFLICT on the session's dialect (PostgreSQL or SQLite)."""
    dialect = session.bind.dialect.name if session.bind is not None else "postgresql"
    module = postgresql if dialect == "postgresql" else sqlite
    return module.insert(table)
