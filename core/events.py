"""Domain events: what an action changed, recorded on the session for reactions and notices to read.

A session carries the table of reactions it runs (see `core.db.session_factory`), so an action that must
see its reactions done at once (a merge, before rows move) can run them without knowing the domains they
reach into.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

_EVENTS = "events"
_REACTED = "events_reacted"
REACTIONS_KEY = "reactions"


@dataclass(frozen=True)
class Event:
    """Something that happened in the domain, told by ids and plain facts (never ORM objects)."""


Reaction = Callable[[AsyncSession, Any, datetime], Awaitable[None]]
Reactions = Mapping[type[Event], tuple[Reaction, ...]]


class NoReactions(RuntimeError):
    """The session was made without a reactions table, so what actions record would go unanswered."""


def record(session: AsyncSession, event: Event) -> None:
    """Note that `event` happened in this session's transaction; it is lost with a rollback of the session."""
    session.info.setdefault(_EVENTS, []).append(event)


def recorded(session: AsyncSession) -> list[Event]:
    """Every event recorded on the session and not yet taken, oldest first."""
    return list(session.info.get(_EVENTS, ()))


def unreacted(session: AsyncSession) -> list[Event]:
    """The events whose reactions have not run yet, oldest first; they count as reacted to from now."""
    events = recorded(session)
    done = session.info.get(_REACTED, 0)
    session.info[_REACTED] = len(events)
    return events[done:]


def take(session: AsyncSession) -> list[Event]:
    """Remove and return every event recorded on the session, oldest first."""
    session.info.pop(_REACTED, None)
    return list(session.info.pop(_EVENTS, ()))


async def react(session: AsyncSession, now: datetime) -> None:
    """Run the session's reactions to each new event, then to those they record, till none are left."""
    reactions: Reactions | None = session.info.get(REACTIONS_KEY)
    if reactions is None:
        raise NoReactions("make sessions with core.db.session_factory, which gives them the reactions table")
    while pending := unreacted(session):
        for event in pending:
            for reaction in reactions.get(type(event), ()):
                await reaction(session, event, now)


async def settle(session: AsyncSession, now: datetime) -> list[Event]:
    """React to everything recorded (see `react`), then take every event, in the order they happened."""
    await react(session, now)
    return take(session)
