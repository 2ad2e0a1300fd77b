"""Engines and sessions for PostgreSQL (asyncpg) and SQLite (aiosqlite); sessions carry the reactions."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.pool import NullPool

from core.events import REACTIONS_KEY
from core.reactions import REACTIONS


def create_engine(url: str, *, pooled: bool = True) -> AsyncEngine:
    """Create an engine; SQLite gets WAL and foreign keys, and NullPool when one loop must not share it."""
    kwargs: dict[str, Any] = {} if pooled else {"poolclass": NullPool}
    if url.startswith("sqlite"):
        kwargs["connect_args"] = {"timeout": 30}
    engine = create_async_engine(url, **kwargs)
    if engine.dialect.name == "sqlite":
        event.listen(engine.sync_engine, "connect", _sqlite_connect)
        event.listen(engine.sync_engine, "begin", _sqlite_begin)
    return engine


def _sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    # Take transaction control from the driver so that BEGIN below is the only one issued.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def _sqlite_begin(connection: Any) -> None:
    # IMMEDIATE takes the write lock up front: writers queue on busy_timeout instead of failing mid-way.
    connection.exec_driver_sql("BEGIN IMMEDIATE")


def session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """Sessions that keep loaded objects usable after commit, and run the domain's reactions to events."""
    return async_sessionmaker(engine, expire_on_commit=False, info={REACTIONS_KEY: REACTIONS})
