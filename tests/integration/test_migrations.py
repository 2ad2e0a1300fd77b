"""Every migration runs up and down on PostgreSQL and SQLite, and leaves the schema the models describe."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import inspect, text
from sqlalchemy.ext.asyncio import create_async_engine

from core.models import Base
from migrations import alembic_config
from tests.conftest import PG_ADMIN_URL, _pg_url

SCRATCH_DB = "doorstep_migrations_test"


async def _recreate(name: str) -> str:
    engine = create_async_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    async with engine.connect() as connection:
        await connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        await connection.execute(text(f'CREATE DATABASE "{name}"'))
    await engine.dispose()
    return _pg_url(name)


INDEX_NAMES = {
    "sqlite": "SELECT name FROM sqlite_master WHERE type = 'index'",
    "postgresql": "SELECT indexname FROM pg_indexes WHERE schemaname = 'public'",
}


async def _tables_and_indexes(url: str) -> tuple[set[str], set[str]]:
    engine = create_async_engine(url)
    async with engine.connect() as connection:
        tables = await connection.run_sync(lambda sync: set(inspect(sync).get_table_names()))
        indexes = set((await connection.execute(text(INDEX_NAMES[engine.dialect.name]))).scalars())
    await engine.dispose()
    return tables - {"alembic_version"}, indexes


@pytest.mark.parametrize("backend", ["postgresql", "sqlite"])
async def test_upgrade_downgrade_upgrade(backend: str, tmp_path: Path) -> None:
    if backend == "sqlite":
        url = f"sqlite+aiosqlite:///{tmp_path / 'm.db'}"
    else:
        url = await _recreate(SCRATCH_DB)
    config = alembic_config(url)
    await asyncio.to_thread(command.upgrade, config, "head")
    tables, indexes = await _tables_and_indexes(url)
    assert tables == {table.name for table in Base.metadata.sorted_tables}
    assert {"ix_listings_status_city", "ix_outbox_due", "ix_inbound_messages_due"} <= indexes
    await asyncio.to_thread(command.downgrade, config, "base")
    assert (await _tables_and_indexes(url))[0] == set()
    await asyncio.to_thread(command.upgrade, config, "head")
    assert (await _tables_and_indexes(url))[0] == tables


async def test_the_models_and_the_migrations_describe_the_same_schema(postgres_url: str) -> None:
    await asyncio.to_thread(command.check, alembic_config(postgres_url))
