"""Detours as a stack in the dialog state: "prove your phone, then carry on booking" and the like.

A flow that takes the person aside pushes where to carry on afterwards (a choice id); the detour pops it
when it ends. The stack is kept in the state's data under its own key, so that it outlives the data each
step replaces; it lives only while the person stays on the detour's steps.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

KEY = "_detours"
# Before the stack, a detour kept where to carry on under this key of its own flow's data.
LEGACY_KEY = "then"


@dataclass(frozen=True)
class Detour:
    """A detour under way: the flow that took the person aside, and the choice id that carries on after it."""

    flow: str
    then: str

    def to_json(self) -> dict[str, str]:
        """As stored in the dialog state."""
        return {"flow": self.flow, "then": self.then}


def stack_of(data: Mapping[str, Any] | None) -> list[Detour]:
    """The detours under way, innermost last."""
    return [Detour(str(d["flow"]), str(d["then"])) for d in (data or {}).get(KEY, [])]


def with_stack(data: Mapping[str, Any], stack: list[Detour]) -> dict[str, Any]:
    """`data` holding `stack` (and no stack key at all when it is empty)."""
    rest = {key: value for key, value in data.items() if key != KEY}
    return {**rest, KEY: [d.to_json() for d in stack]} if stack else rest


def kept(stack: list[Detour], flow: str) -> list[Detour]:
    """What stays of `stack` on a move to `flow` that carries on the detour: the detours `flow` is on."""
    while stack and stack[-1].flow != flow:
        stack = stack[:-1]
    return stack


def adopt_legacy(flow: str, data: Mapping[str, Any] | None) -> dict[str, Any]:
    """A state saved before the stack, with its "then" moved onto the stack as a detour of its flow."""
    data = dict(data or {})
    then = data.pop(LEGACY_KEY, None)
    if not isinstance(then, str):
        return data
    return with_stack(data, [*stack_of(data), Detour(flow, then)])
