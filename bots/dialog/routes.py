"""Choice ids as typed routes: one route per action builds its id ("flow:action:arg") and reads it back."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date
from typing import Any, Generic, TypeVar

T = TypeVar("T")
A = TypeVar("A")
B = TypeVar("B")
C = TypeVar("C")


@dataclass(frozen=True)
class Arg(Generic[T]):
    """How a route's argument travels in its id: written as text, read back (None when it is not one)."""

    write: Callable[[T], str]
    read: Callable[[str], T | None]


def _number(text: str) -> int | None:
    return int(text) if text.isdigit() else None


def _day(text: str) -> date | None:
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


NUMBER: Arg[int] = Arg(str, _number)
WORD: Arg[str] = Arg(str, lambda text: text or None)
DAY: Arg[date] = Arg(date.isoformat, _day)


def pair(first: Arg[A], second: Arg[B], sep: str = "@") -> Arg[tuple[A, B]]:
    """Two arguments in one, "first@second"; both must read back."""

    def read(text: str) -> tuple[A, B] | None:
        head, found, tail = text.partition(sep)
        one, two = first.read(head), second.read(tail) if found else None
        return None if one is None or two is None else (one, two)

    return Arg(lambda value: f"{first.write(value[0])}{sep}{second.write(value[1])}", read)


def pair_or(first: Arg[A], second: Arg[B], default: B, sep: str = "@") -> Arg[tuple[A, B]]:
    """Like `pair`, but a missing or unreadable second part reads as `default`."""

    def read(text: str) -> tuple[A, B] | None:
        head, _, tail = text.partition(sep)
        one, two = first.read(head), second.read(tail)
        return None if one is None else (one, default if two is None else two)

    return Arg(lambda value: f"{first.write(value[0])}{sep}{second.write(value[1])}", read)


@dataclass(frozen=True)
class Route:
    """An action that takes no argument: "flow:action", or "flow:action:suffix" for a fixed suffix.

    Reading back ignores whatever follows the action, as the flows always have.
    """

    flow: str
    action: str
    suffix: str | None = None

    def __call__(self) -> str:
        """The choice id."""
        return f"{self.flow}:{self.action}" + (f":{self.suffix}" if self.suffix else "")

    def read(self, _arg: str) -> tuple[()]:
        """Always readable: nothing to read."""
        return ()


@dataclass(frozen=True)
class ArgRoute(Generic[T]):
    """An action with a typed argument: "flow:action:arg"."""

    flow: str
    action: str
    arg: Arg[T]

    def __call__(self, value: T) -> str:
        """The choice id carrying `value`."""
        return f"{self.flow}:{self.action}:{self.arg.write(value)}"

    def read(self, arg: str) -> T | None:
        """The argument an id of this route carries; None when it carries none we can read."""
        return self.arg.read(arg)


AnyRoute = Route | ArgRoute[Any]


def split(choice_id: str) -> tuple[str, str, str]:
    """A choice id as (flow, action, argument); the argument may hold more colons."""
    flow, _, rest = choice_id.partition(":")
    action, _, arg = rest.partition(":")
    return flow, action, arg


@dataclass(frozen=True)
class Routed(Generic[C]):
    """A route and the handler its choices go to; `take` runs the handler when the argument reads back."""

    route: AnyRoute
    handler: Callable[..., Awaitable[None]]

    def parse(self, arg: str) -> tuple[Any, ...] | None:
        """The handler's arguments for an id's argument, or None when this route cannot read it."""
        if isinstance(self.route, Route):
            return ()
        value = self.route.read(arg)
        return None if value is None else (value,)

    async def take(self, context: C, arg: str) -> bool:
        """Run the handler on `context` when the route reads `arg`; False when it cannot."""
        parsed = self.parse(arg)
        if parsed is None:
            return False
        await self.handler(context, *parsed)
        return True


def on(route: ArgRoute[T], handler: Callable[[C, T], Awaitable[None]]) -> Routed[C]:
    """Send the choices of `route` to `handler(turn, argument)`."""
    return Routed(route, handler)


def on_bare(route: Route, handler: Callable[[C], Awaitable[None]]) -> Routed[C]:
    """Send the choices of an argument-less `route` to `handler(turn)`."""
    return Routed(route, handler)
