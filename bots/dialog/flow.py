"""A conversation flow as a table: its steps in order, the routes its choices take, and its text steps."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field

from bots.dialog.routes import Routed
from bots.dialog.turn import Turn
from core.answers import AnswerKind
from core.errors import DomainError

StepHandler = Callable[[Turn, str], Awaitable[None]]
ChoiceHandler = Callable[[Turn, str, str | None], Awaitable[None]]
# A step that takes a photo, location or other media reads it from turn.inbound (media_kind, media_urls).
MediaHandler = Callable[[Turn], Awaitable[None]]
Screen = Callable[[Turn], Awaitable[None]]
RefusalHandler = Callable[[Turn, DomainError], Awaitable[None]]


@dataclass(frozen=True)
class Step:
    """A step of a flow in its order: how to show it again, and (if not the step before) where back goes."""

    name: str
    show: Screen
    back_to: str | None = None


@dataclass(frozen=True)
class Flow:
    """A conversation flow: how it starts, the routes its choices take, and the steps that take text or media.

    `routes` send each action's choices to a handler; `on_choice` takes a choice no route reads (an action
    the flow does not know, or an argument it cannot read). `on_refused` explains a refusal any of them
    raised. `answers` names the kind of typed answer a step takes (short words unless listed). `steps` is
    the flow's order, which `back` walks; `origin` is the screen the flow started from, where back from
    its first step goes (the main menu when None). `on_cancel` is where `cancel` leads (the menu when
    None). `words` are the words that work anywhere and open this flow.
    """

    name: str
    start: Callable[[Turn], Awaitable[None]]
    on_choice: ChoiceHandler
    routes: Sequence[Routed[Turn]] = ()
    on_refused: RefusalHandler | None = None
    on_text: Mapping[str, StepHandler] = field(default_factory=dict)
    on_media: Mapping[str, MediaHandler] = field(default_factory=dict)
    answers: Mapping[str, AnswerKind] = field(default_factory=dict)
    steps: Sequence[Step] = ()
    origin: Screen | None = None
    on_cancel: Callable[[Turn], Awaitable[None]] | None = None
    words: Mapping[str, Screen] = field(default_factory=dict)

    def answer_kind(self, step: str) -> AnswerKind:
        """The kind of typed answer `step` takes."""
        return self.answers.get(step, AnswerKind.WORDS)

    def back_from(self, step: str) -> Screen | None:
        """The screen `back` shows from `step`: the step it returns to, else the flow's origin."""
        names = [s.name for s in self.steps]
        if step not in names:
            return self.origin
        here = self.steps[names.index(step)]
        target = here.back_to or (names[names.index(step) - 1] if names.index(step) > 0 else None)
        return self.steps[names.index(target)].show if target in names else self.origin

    def routed(self, action: str, arg: str) -> Routed[Turn] | None:
        """The route of this flow that reads a choice with `action` and `arg`, if any."""
        return next((r for r in self.routes if r.route.action == action and r.parse(arg) is not None), None)

    async def choose(self, turn: Turn, action: str, arg: str) -> None:
        """Act on a choice of this flow: its route's handler, else `on_choice`; a refusal is explained."""
        routed = self.routed(action, arg)
        try:
            if routed is None or not await routed.take(turn, arg):
                await self.on_choice(turn, action, arg or None)
        except DomainError as error:
            if self.on_refused is None:
                raise
            await self.on_refused(turn, error)
