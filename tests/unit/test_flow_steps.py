"""What `back` shows from each step: the step before in the flow's order, or the screen the flow began at."""

from __future__ import annotations

import pytest

from bots.dialog.flow import Flow, Step
from bots.dialog.turn import Turn
from bots.flows.catalog import FLOWS
from bots.flows.offers import make_offer
from bots.flows.searches import search
from bots.flows.viewings import booking


async def _screen(turn: Turn) -> None:
    """A screen for the table below; never shown."""


async def _origin(turn: Turn) -> None:
    """Where the table's flow started; never shown."""


async def _ignore(turn: Turn, *_: object) -> None:
    """No action."""


def _flow(*steps: Step) -> Flow:
    return Flow(name="t", start=_screen, on_choice=_ignore, steps=steps, origin=_origin)


def test_back_goes_to_the_step_before_or_where_the_step_says() -> None:
    first, second, branch = Step("a", _screen), Step("b", _ignore), Step("c", _origin, back_to="a")
    flow = _flow(first, second, branch)
    assert flow.back_from("a") is _origin
    assert flow.back_from("b") is _screen
    assert flow.back_from("c") is _screen
    assert flow.back_from("unknown") is _origin


def test_back_from_a_first_step_with_no_origin_is_left_to_the_menu() -> None:
    flow = Flow(name="t", start=_screen, on_choice=_ignore, steps=(Step("a", _screen),))
    assert flow.back_from("a") is None


def test_every_step_that_takes_text_has_a_place_to_go_back_to() -> None:
    for flow in FLOWS.values():
        names = {step.name for step in flow.steps}
        for step in flow.on_text:
            assert step in names, f"{flow.name}:{step} is not in the flow's step order"
        for step in flow.steps:
            assert step.back_to is None or step.back_to in names


@pytest.mark.parametrize(
    ("flow", "step", "shown"),
    [
        (search.FLOW, "details", search.results_again),
        (search.FLOW, "results", search.start),
        (make_offer.FLOW, "amount", make_offer.FLOW.origin),
        (make_offer.FLOW, "completion", make_offer.FLOW.steps[1].show),
        (booking.FLOW, "summary", booking.FLOW.steps[0].show),
    ],
)
def test_back_in_the_flows_people_use_most(flow: Flow, step: str, shown: object) -> None:
    assert flow.back_from(step) is shown
