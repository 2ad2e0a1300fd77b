"""What a job runs with: the installed runtime, and connections kept per worker thread between jobs."""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Coroutine
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bots.channels.base import ChannelAdapter
from bots.channels.photos import ChannelPhotos
from bots.intake import Conversations
from bots.outbound.delivery import Courier
from core.db import create_engine, session_factory
from doorstep.bootstrap import Runtime, runtime_from_environment

log = logging.getLogger(__name__)
T = TypeVar("T")
_installed: list[Runtime] = []
_local = threading.local()
_open: list[tuple[asyncio.AbstractEventLoop, JobScope]] = []
_open_lock = threading.Lock()


def install(runtime: Runtime) -> None:
    """Make `runtime` the one jobs in this process run with (called by `doorstep worker` and the demo)."""
    _installed[:] = [runtime]


def installed() -> Runtime:
    """The installed runtime, or one built from the environment for a worker started some other way."""
    if not _installed:
        install(runtime_from_environment())
    return _installed[0]


@dataclass(frozen=True)
class JobScope:
    """Connections that belong to one worker thread's event loop, reused by every job it runs."""

    runtime: Runtime
    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    adapters: dict[str, ChannelAdapter]
    photos: ChannelPhotos

    def courier(self) -> Courier:
        """Delivery through this scope's connections."""
        runtime = self.runtime
        return Courier(
            self.sessions,
            runtime.clock,
            self.adapters,
            runtime.throttle,
            runtime.settings.twilio_whatsapp_templates,
            runtime.settings.otp_secret.get_secret_value().encode(),
        )

    def conversations(self) -> Conversations:
        """Conversation processing through this scope's connections."""
        return self.runtime.conversations(self.sessions, self.adapters, self.photos)

    async def close(self) -> None:
        """Close the adapters' and the photo fetcher's HTTP clients, and the engine."""
        await self.photos.aclose()
        for adapter in self.adapters.values():
            await adapter.aclose()
        await self.engine.dispose()


def run_job(job: Coroutine[Any, Any, T]) -> T:
    """Run a job's coroutine on this thread's long-lived loop (RQ would start a new loop per job)."""
    loop = getattr(_local, "loop", None)
    if loop is None or loop.is_closed():
        loop = _local.loop = asyncio.new_event_loop()
    return loop.run_until_complete(job)


async def job_scope() -> JobScope:
    """This thread's scope for the installed runtime, opened on first use and renewed after install()."""
    runtime = installed()
    scope: JobScope | None = getattr(_local, "scope", None)
    if scope is not None and scope.runtime is runtime:
        return scope
    if scope is not None:
        await scope.close()
        with _open_lock:
            _open[:] = [(loop, open_scope) for loop, open_scope in _open if open_scope is not scope]
    engine = create_engine(runtime.settings.database_url)
    adapters = runtime.adapters()
    _local.scope = JobScope(runtime, engine, session_factory(engine), adapters, runtime.photos(adapters))
    with _open_lock:
        _open.append((asyncio.get_running_loop(), _local.scope))
    return _local.scope


def close_all() -> None:
    """Close every thread's scope and loop (when the worker stops); call with no job running."""
    with _open_lock:
        scopes, _open[:] = list(_open), []
    for loop, scope in scopes:
        if not loop.is_closed():
            loop.run_until_complete(scope.close())
            loop.close()
    if scopes:
        log.info("closed the database and HTTP connections of %d job thread(s)", len(scopes))
