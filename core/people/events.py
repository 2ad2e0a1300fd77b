"""What happens to people, as the people actions record it."""

from __future__ import annotations

from dataclasses import dataclass

from core.events import Event


@dataclass(frozen=True)
class PeopleMerged(Event):
    """Person `merged_id` proved the same phone as `survivor_id` and becomes them.

    Recorded before any row moves, and reacted to at once: the reactions may still tell the two apart.
    """

    survivor_id: int
    merged_id: int
