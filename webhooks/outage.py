"""A database outage answers 503, so providers keep the delivery and retry it, instead of a 500."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

import asyncpg
from aiohttp import web
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

log = logging.getLogger(__name__)
RETRY_AFTER_SECONDS = 5
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


_LOST = (
    OperationalError,
    InterfaceError,
    PoolTimeout,
    ConnectionError,
    TimeoutError,
    asyncpg.PostgresConnectionError,
    asyncpg.exceptions.OperatorInterventionError,
    asyncpg.exceptions.ConnectionDoesNotExistError,
)


def is_database_outage(exc: BaseException | None) -> bool:
    """True for a lost, refused or not-yet-ready database connection; False for errors a retry won't cure."""
    if exc is None:
        return False
    if isinstance(exc, _LOST) or (isinstance(exc, DBAPIError) and exc.connection_invalidated):
        return True
    if isinstance(exc, OSError) and not isinstance(exc, FileNotFoundError | PermissionError):
        return True
    original = exc.orig if isinstance(exc, DBAPIError) else None
    return is_database_outage(original) or is_database_outage(exc.__cause__)


@web.middleware
async def answer_outage(request: web.Request, handler: Handler) -> web.StreamResponse:
    """503 with Retry-After when the database can't be reached; nothing was kept, so the retry is wanted."""
    try:
        return await handler(request)
    except web.HTTPException:
        raise
    except Exception as exc:
        if not is_database_outage(exc):
            raise
        log.warning("%s: database unreachable (%s: %s)", request.path, type(exc).__name__, exc)
        return web.json_response(
            {"error": "temporarily unavailable"},
            status=503,
            headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
        )
