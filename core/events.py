"""Domain events: what an action changed, recorded on the session for reactions and notices to read."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

_EVENTS = "events"
_REACTED = "events_reacted"


@dataclass(frozen=True)
class Event:
    """Something that happened in the domain, told by ids and plain facts (never ORM objects)."""


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
