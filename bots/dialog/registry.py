"""The flows a deployment runs, by name: choices, global words and the newcomer gate find their flow here."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bots.dialog.flow import Flow, Screen, StepHandler
from bots.dialog.routes import AnyRoute, split
from bots.dialog.turn import Turn
from bots.messages import Choice
from bots.notice import Notice

# A fresh dialog state starts here; the flow of this name is the main menu.
HOME_FLOW = "menu"
# Lets the domain react to what a turn's actions did, and returns the notices its events owe others.
Announcer = Callable[[AsyncSession, datetime], Awaitable[list[Notice]]]


@dataclass(frozen=True)
class Home:
    """The main menu: its screen (with a message kind of one's choosing) and its standing choices."""

    show: Callable[..., None]
    choices: Callable[[Turn], list[Choice]]


@dataclass(frozen=True)
class Gate:
    """Where someone who has not said who they are is held, and the flows open to them meanwhile."""

    start: Screen
    on_text: StepHandler
    open_flows: frozenset[str]


class Flows(Mapping[str, Flow]):
    """Every flow by name, with the main menu, the newcomer gate, the words that work anywhere, and what
    tells others of a turn's events."""

    def __init__(self, flows: Iterable[Flow], *, home: Home, gate: Gate, announce: Announcer) -> None:
        self._flows = {flow.name: flow for flow in flows}
        self.home, self.gate, self.announce = home, gate, announce
        self._words = {
            word: (flow, screen) for flow in self._flows.values() for word, screen in flow.words.items()
        }
        if HOME_FLOW not in self._flows:
            raise ValueError(f"no {HOME_FLOW!r} flow to start from")

    def __getitem__(self, name: str) -> Flow:
        return self._flows[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._flows)

    def __len__(self) -> int:
        return len(self._flows)

    def word(self, word: str) -> tuple[Flow, Screen] | None:
        """The flow a global word opens, and the screen it shows."""
        return self._words.get(word)

    def routes(self) -> Sequence[AnyRoute]:
        """Every route of every flow."""
        return [routed.route for flow in self._flows.values() for routed in flow.routes]

    def route_of(self, choice_id: str) -> tuple[AnyRoute, tuple[Any, ...]] | None:
        """The route a choice id takes and the arguments it reads back; None when no route reads it."""
        flow_name, action, arg = split(choice_id)
        flow = self._flows.get(flow_name)
        routed = flow.routed(action, arg) if flow else None
        parsed = routed.parse(arg) if routed else None
        return None if routed is None or parsed is None else (routed.route, parsed)

    async def run_choice(self, turn: Turn, choice_id: str) -> bool:
        """Hand a choice id ("flow:action:arg") to its flow; False when it names no flow."""
        flow_name, action, arg = split(choice_id)
        flow = self._flows.get(flow_name)
        if flow is None:
            return False
        await flow.choose(turn, action, arg)
        return True
