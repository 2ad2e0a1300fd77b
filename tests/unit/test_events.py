"""The events kernel: recorded in order, reacted to once each (reactions' own events too), taken once."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import UTC, datetime
from types import SimpleNamespace
from typing import Any, cast

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from core.events import REACTIONS_KEY, Event, NoReactions, react, record, recorded, settle, take, unreacted

NOW = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Rang(Event):
    n: int


@dataclass(frozen=True)
class Echoed(Event):
    n: int


def session_with(reactions: Any = None) -> AsyncSession:
    """A stand-in session: only `info` is used, as the kernel uses nothing else."""
    info = {} if reactions is None else {REACTIONS_KEY: reactions}
    return cast(AsyncSession, SimpleNamespace(info=info))


def test_events_are_kept_in_order_marked_reacted_once_and_taken_once() -> None:
    session = session_with()
    assert recorded(session) == [] and unreacted(session) == [] and take(session) == []
    record(session, Rang(1))
    record(session, Echoed(1))
    assert unreacted(session) == [Rang(1), Echoed(1)]
    assert unreacted(session) == []
    record(session, Rang(2))
    assert unreacted(session) == [Rang(2)]
    assert recorded(session) == [Rang(1), Echoed(1), Rang(2)]
    assert take(session) == [Rang(1), Echoed(1), Rang(2)]
    assert recorded(session) == [] and take(session) == []
    record(session, Rang(3))
    assert unreacted(session) == [Rang(3)]


def test_reactions_run_once_each_on_their_own_events_too_and_settle_returns_all_in_order() -> None:
    seen: list[tuple[str, int]] = []

    async def echo(session: AsyncSession, event: Rang, now: datetime) -> None:
        seen.append(("echo", event.n))
        if event.n < 3:
            record(session, Rang(event.n + 1))
        record(session, Echoed(event.n))

    async def count(session: AsyncSession, event: Echoed, now: datetime) -> None:
        assert now == NOW
        seen.append(("count", event.n))

    session = session_with({Rang: (echo,), Echoed: (count,)})
    record(session, Rang(1))
    asyncio.run(react(session, NOW))
    assert seen == [("echo", 1), ("echo", 2), ("count", 1), ("echo", 3), ("count", 2), ("count", 3)]
    asyncio.run(react(session, NOW))
    assert len(seen) == 6
    events = asyncio.run(settle(session, NOW))
    assert events == [Rang(1), Rang(2), Echoed(1), Rang(3), Echoed(2), Echoed(3)]
    assert len(seen) == 6 and recorded(session) == []


def test_a_session_without_reactions_refuses_to_let_events_go_unanswered() -> None:
    session = session_with()
    record(session, Rang(1))
    with pytest.raises(NoReactions):
        asyncio.run(settle(session, NOW))
