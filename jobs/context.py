"""What a job runs with: the runtime the worker installed, and per-job database and adapters."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bots.channels.base import ChannelAdapter
from bots.delivery import Courier
from bots.intake import Conversations
from core.db import create_engine, session_factory

if TYPE_CHECKING:
    from doorstep.bootstrap import Runtime

_installed: list[Runtime] = []


def install(runtime: Runtime) -> None:
    """Make `runtime` the one jobs in this process run with (called by `doorstep worker` and the demo)."""
    _installed[:] = [runtime]


def installed() -> Runtime:
    """The installed runtime, or one built from the environment for a worker started some other way."""
    if not _installed:
        from doorstep.bootstrap import runtime_from_environment

        install(runtime_from_environment())
    return _installed[0]


@dataclass(frozen=True)
class JobScope:
    """Connections that belong to one job's event loop."""

    runtime: Runtime
    sessions: async_sessionmaker[AsyncSession]
    adapters: dict[str, ChannelAdapter]

    def courier(self) -> Courier:
        """Delivery through this job's connections."""
        return Courier(self.sessions, self.runtime.clock, self.adapters)

    def conversations(self) -> Conversations:
        """Conversation processing through this job's connections."""
        return self.runtime.conversations(self.sessions, self.adapters)


@asynccontextmanager
async def job_scope() -> AsyncIterator[JobScope]:
    """An engine and adapters for this job's event loop, closed when the job ends (RQ gives each its own)."""
    runtime = installed()
    engine = create_engine(runtime.settings.database_url, pooled=False)
    adapters = runtime.adapters()
    try:
        yield JobScope(runtime, session_factory(engine), adapters)
    finally:
        for adapter in adapters.values():
            await adapter.aclose()
        await engine.dispose()
