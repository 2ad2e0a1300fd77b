"""Matching what people send to the choices offered, and the opaque tokens behind buttons."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bots.dialog.choices import (
    ANSWERS_BY_LABEL,
    RECENT_LIMIT,
    YES_NO_WORDS,
    NoSuchNumber,
    choice_token,
    match_text,
    remember,
)
from bots.messages import Choice, listed_as_lines

MENU = [
    Choice("menu:find", "Find a home"),
    Choice("menu:viewings", "My viewings"),
    Choice("menu:help", "Help"),
]


def test_a_number_picks_by_position() -> None:
    assert match_text("2", MENU) == MENU[1]
    assert match_text(" 3. ", MENU) == MENU[2]


def test_numbers_just_outside_the_range_name_the_range() -> None:
    assert match_text("0", MENU) == NoSuchNumber(0, 1, 3, True)
    assert match_text("3", MENU) == MENU[2]
    assert match_text("4", MENU) == NoSuchNumber(4, 1, 3, True)
    assert match_text("٤", MENU) == NoSuchNumber(4, 1, 3, True)
    assert match_text("²", MENU) is None
    assert match_text("99", MENU) == NoSuchNumber(99, 1, 3, True)
    assert match_text("100", MENU) is None


# Results 6-7 on page 2: the message numbers the homes 6 and 7, and so do their buttons.
PAGE_2 = [
    Choice("search:details:A", "Details 6", number=6),
    Choice("search:details:B", "Details 7", number=7),
    Choice("search:previous", "Previous"),
    Choice("search:new", "New search"),
]


def test_under_buttons_a_number_is_the_item_number_shown() -> None:
    assert match_text("6", PAGE_2, lines=False) == PAGE_2[0]
    assert match_text("7", PAGE_2, lines=False) == PAGE_2[1]
    assert match_text("5", PAGE_2, lines=False) == NoSuchNumber(5, 6, 7, False)
    assert match_text("8", PAGE_2, lines=False) == NoSuchNumber(8, 6, 7, False)
    assert match_text("1", PAGE_2, lines=False) == NoSuchNumber(1, 6, 7, False)


def test_on_numbered_lines_a_number_is_the_line() -> None:
    assert match_text("1", PAGE_2, lines=True) == PAGE_2[0]
    assert match_text("4", PAGE_2, lines=True) == PAGE_2[3]
    assert match_text("5", PAGE_2, lines=True) == NoSuchNumber(5, 1, 4, True)
    assert match_text("6", PAGE_2, lines=True) == NoSuchNumber(6, 1, 4, True)


def test_under_buttons_without_item_numbers_a_number_is_the_position() -> None:
    assert match_text("2", MENU, lines=False) == MENU[1]
    assert match_text("4", MENU, lines=False) == NoSuchNumber(4, 1, 3, False)


@pytest.mark.parametrize(
    ("channel", "count", "lines"),
    [("sms", 1, True), ("telegram", 30, False), ("whatsapp", 10, False), ("whatsapp", 11, True)],
)
def test_which_channels_number_their_choices(channel: str, count: int, lines: bool) -> None:
    assert listed_as_lines(channel, count) is lines


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


CONFIRM = [
    Choice("booking:confirm:1@2", "Confirm", answers="yes"),
    Choice("booking:start:K", "Change time"),
    Choice("booking:drop:1", "Cancel", answers="no"),
]


@pytest.mark.parametrize("word", ["Y", "y", "yes", "YES!", "Yes.", "ok", "نعم", "أجل", "اجل", "موافق"])
def test_yes_words_pick_the_confirm_choice(word: str) -> None:
    assert match_text(word, CONFIRM) == CONFIRM[0]


@pytest.mark.parametrize("word", ["N", "n", "no", "No.", "nope", "لا", "كلا"])
def test_no_words_pick_the_cancel_choice(word: str) -> None:
    assert match_text(word, CONFIRM) == CONFIRM[2]


def test_yes_is_not_a_choice_where_no_yes_no_was_asked() -> None:
    assert match_text("yes", MENU) is None
    assert match_text("no", MENU) is None


def test_yes_and_no_are_left_to_a_step_that_takes_them_as_its_answer() -> None:
    assert match_text("no", CONFIRM, yes_no=False) is None
    assert match_text("2", CONFIRM, yes_no=False) == CONFIRM[1]


def test_a_label_that_is_itself_a_yes_or_no_word_wins() -> None:
    offered = [Choice("a:ok", "OK"), Choice("a:go", "Go ahead", answers="yes")]
    assert match_text("ok", offered) == offered[0]
    assert match_text("yes", offered) == offered[1]


def test_the_yes_no_table_names_real_labels_and_no_word_means_both() -> None:
    assert not YES_NO_WORDS["yes"] & YES_NO_WORDS["no"]
    assert set(ANSWERS_BY_LABEL.values()) == {"yes", "no"}
