"""Database chores shared by the CLI and the demo: migrate to the newest schema, seed demo listings."""

from __future__ import annotations

from alembic import command

from core.clock import SystemClock
from core.db import create_engine, session_factory
from doorstep.seed import seed_demo_listings, seed_demo_viewing_hours
from migrations import alembic_config


def migrate(database_url: str) -> None:
    """Upgrade the database to the newest revision (blocking; call from a thread inside a loop)."""
    command.upgrade(alembic_config(database_url), "head")


async def seed(database_url: str) -> int:
    """Add the demo listings that are missing, with sellers and viewing hours; returns how many were added."""
    engine = create_engine(database_url, pooled=False)
    try:
        async with session_factory(engine)() as session, session.begin():
            now = SystemClock().now()
            added = await seed_demo_listings(session, now, with_sellers=True)
            await seed_demo_viewing_hours(session, now)
            return added
    finally:
        await engine.dispose()
