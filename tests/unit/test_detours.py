"""Detours are a stack in the dialog state: pushed when a flow takes the person aside, popped when it ends."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, cast

from bots.dialog.detours import KEY, adopt_legacy
from bots.dialog.turn import Turn
from core.dialog_state import DialogState

NOW = datetime(2026, 11, 28, 9, tzinfo=UTC)


def _turn(flow: str = "search", **data: Any) -> Turn:
    state = DialogState(person_id=1, flow=flow, step="details", data=data, choices=[], recent_choices={})
    return Turn(
        session=cast(Any, None),
        person=cast(Any, None),
        identity=cast(Any, None),
        state=state,
        inbound=cast(Any, None),
        texts=cast(Any, None),
        now=NOW,
    )


def test_a_detour_carries_on_across_its_own_steps_and_ends_with_where_to_go_next() -> None:
    turn = _turn(listing="K1")
    turn.detour("verify", "booking:start:K1")
    turn.go("verify", "phone", on_detour=True)
    turn.go("verify", "code", on_detour=True, phone="+447700900123")
    assert turn.state.data == {
        "phone": "+447700900123",
        KEY: [{"flow": "verify", "then": "booking:start:K1"}],
    }
    assert turn.end_detour() == "booking:start:K1"
    assert turn.state.data == {"phone": "+447700900123"}
    assert turn.end_detour() is None


def test_detours_nest_and_end_innermost_first() -> None:
    turn = _turn()
    turn.detour("offers", "offer:start:K1")
    turn.go("offers", "detail", on_detour=True, offer=4)
    turn.detour("verify", "offers:withdraw:4")
    turn.go("verify", "phone", on_detour=True)
    assert turn.end_detour() == "offers:withdraw:4"
    turn.go("offers", "withdraw", on_detour=True, offer=4)
    assert turn.end_detour() == "offer:start:K1"


def test_any_other_move_leaves_the_detour() -> None:
    turn = _turn()
    turn.detour("verify", "listings:show")
    turn.go("verify", "phone", on_detour=True)
    turn.go("menu", "main")
    assert turn.state.data == {}
    turn.detour("verify", "listings:show")
    turn.go("settings", "show", on_detour=True)
    assert turn.state.data == {}
    assert turn.end_detour() is None


def test_a_detour_only_ends_from_its_own_flow_and_leave_forgets_them_all() -> None:
    turn = _turn()
    turn.detour("verify", "settings:show")
    assert turn.end_detour() is None
    turn.go("verify", "phone", on_detour=True)
    turn.leave_detours()
    assert turn.state.data == {}
    assert turn.end_detour() is None


def test_a_state_saved_before_the_stack_keeps_where_its_detour_goes_next() -> None:
    data = {"then": "booking:start:K1", "phone": "+447700900123", "_prompt": "Code?"}
    assert adopt_legacy("verify", data) == {
        "phone": "+447700900123",
        "_prompt": "Code?",
        KEY: [{"flow": "verify", "then": "booking:start:K1"}],
    }
    assert adopt_legacy("verify", {"then": None, "phone": "+1"}) == {"phone": "+1"}
    assert adopt_legacy("search", {"area": None}) == {"area": None}
