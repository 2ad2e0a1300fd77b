"""Which errors mean "the database is unreachable" (503, so the provider retries) and which do not."""

from __future__ import annotations

import asyncpg
import pytest
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError

from webhooks.outage import is_database_outage


def _wrapped(orig: BaseException, cls: type[DBAPIError] = DBAPIError) -> DBAPIError:
    return cls("INSERT ...", {}, orig)


@pytest.mark.parametrize(
    "exc",
    [
        ConnectionRefusedError(111, "Connect call failed"),
        OSError("Multiple exceptions: [Errno 111] Connect call failed"),
        TimeoutError(),
        _wrapped(asyncpg.exceptions.CannotConnectNowError("the database system is starting up")),
        _wrapped(asyncpg.exceptions.AdminShutdownError("terminating connection")),
        _wrapped(asyncpg.exceptions.ConnectionDoesNotExistError("closed in the middle of operation")),
        OperationalError("SELECT 1", {}, Exception("server closed the connection")),
    ],
    ids=lambda exc: type(exc).__name__ + ":" + str(getattr(exc, "orig", exc))[:30],
)
def test_a_lost_or_refused_connection_is_an_outage(exc: BaseException) -> None:
    assert is_database_outage(exc)


@pytest.mark.parametrize(
    "exc",
    [
        _wrapped(asyncpg.exceptions.UniqueViolationError("duplicate key"), IntegrityError),
        _wrapped(asyncpg.exceptions.DataError("invalid input"), DBAPIError),
        ValueError("bad value"),
        KeyError("missing"),
        FileNotFoundError("no such file"),
        None,
    ],
)
def test_errors_a_retry_would_not_cure_are_not_outages(exc: BaseException | None) -> None:
    assert not is_database_outage(exc)
