"""Matching what people send to the choices offered, and the opaque tokens behind buttons."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from bots.choices import RECENT_LIMIT, choice_token, match_text, remember
from bots.messages import Choice

MENU = [
    Choice("menu:find", "Find a home"),
    Choice("menu:viewings", "My viewings"),
    Choice("menu:help", "Help"),
]


def test_a_number_picks_by_position() -> None:
    assert match_text("2", MENU) == MENU[1]
    assert match_text(" 3. ", MENU) == MENU[2]


def test_numbers_out_of_range_pick_nothing() -> None:
    assert match_text("0", MENU) is None
    assert match_text("4", MENU) is None


def test_a_label_in_any_case_and_spacing_picks_it() -> None:
    assert match_text("find A   home", MENU) == MENU[0]
    assert match_text("HELP", MENU) == MENU[2]


def test_other_text_picks_nothing() -> None:
    assert match_text("Leeds", MENU) is None
    assert match_text("find", MENU) is None


@given(st.text(min_size=1, max_size=300))
def test_tokens_fit_telegram_callback_data_and_are_stable(choice_id: str) -> None:
    token = choice_token(choice_id)
    assert len(token.encode()) == 14
    assert token == choice_token(choice_id)
    assert token.startswith("c") and token[1:].isalnum()


def test_different_ids_get_different_tokens() -> None:
    ids = [f"search:details:DS-{n:05d}" for n in range(5000)]
    assert len({choice_token(i) for i in ids}) == len(ids)


def test_recent_tokens_keep_the_newest_only() -> None:
    recent: dict[str, str] = {}
    for n in range(RECENT_LIMIT + 10):
        recent = remember(recent, [Choice(f"x:{n}", str(n))])
    assert len(recent) == RECENT_LIMIT
    assert choice_token("x:0") not in recent
    assert recent[choice_token(f"x:{RECENT_LIMIT + 9}")] == f"x:{RECENT_LIMIT + 9}"


def test_offering_a_choice_again_moves_it_to_the_newest() -> None:
    recent = remember({}, [Choice("a:1", "A"), Choice("b:1", "B")])
    recent = remember(recent, [Choice("a:1", "A")])
    assert list(recent.values()) == ["b:1", "a:1"]


def test_yes_and_no_words_answer_a_yes_no_question() -> None:
    offered = [Choice("offer:confirm:yes", "Send offer"), Choice("offer:confirm:no", "Change it")]
    assert match_text("Y", offered) == offered[0]
    assert match_text("yes!".rstrip("!"), offered) == offered[0]
    assert match_text("no", offered) == offered[1]
    assert match_text("N", offered) == offered[1]


def test_yes_is_not_a_choice_where_no_yes_no_was_asked() -> None:
    assert match_text("yes", MENU) is None
