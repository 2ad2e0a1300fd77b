"""The recent-choices map survives the database with its order, so trimming keeps the newest buttons."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bots.dialog.choices import RECENT_LIMIT, remember
from bots.messages import Choice, choice_token
from core.dialog_state import DialogState
from tests.support import Platform


@pytest.mark.parametrize("backend", ["postgresql", "sqlite"])
async def test_the_newest_buttons_stay_tappable_after_many_screens(platform: Platform) -> None:
    person = await platform.returning()
    now = platform.clock.now()
    async with platform.sessions() as session, session.begin():
        session.add(
            DialogState(
                person_id=person,
                flow="menu",
                step="main",
                data={},
                choices=[],
                recent_choices={},
                version=0,
                expires_at=now + timedelta(days=7),
                updated_at=now,
            )
        )
    # Screen after screen of buttons, each saved and read back as a turn would.
    for screen in range(20):
        async with platform.sessions() as session, session.begin():
            state = await session.get_one(DialogState, person)
            offered = [Choice(f"screen{screen}:button{n}", f"Button {n}") for n in range(6)]
            state.recent_choices = remember(state.recent_choices, offered)
    [state] = await platform.rows(DialogState)
    assert len(state.recent_choices) == RECENT_LIMIT
    newest = [f"screen19:button{n}" for n in range(6)] + [f"screen18:button{n}" for n in range(6)]
    assert all(state.recent_choices.get(choice_token(cid)) == cid for cid in newest)
    assert choice_token("screen0:button0") not in state.recent_choices
