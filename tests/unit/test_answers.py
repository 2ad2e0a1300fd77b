"""What makes a typed answer unreadable at any step: its length for the step's kind, or having no words."""

# ruff: noqa: RUF001 - Arabic text on purpose: ruff takes Arabic letters such as alef for Latin look-alikes.

from __future__ import annotations

import pytest

from core.answers import ANSWER_LIMITS, AnswerKind, AnswerProblem, answer_problem


@pytest.mark.parametrize("kind", list(AnswerKind))
def test_an_answer_may_be_as_long_as_its_kind_allows_and_no_longer(kind: AnswerKind) -> None:
    limit = ANSWER_LIMITS[kind]
    assert answer_problem("a" * (limit - 1), kind) is None
    assert answer_problem("a" * limit, kind) is None
    assert answer_problem("a" * (limit + 1), kind) is AnswerProblem.TOO_LONG
    assert answer_problem(f"  {'a' * limit}  ", kind) is None


def test_short_answers_stop_at_80_and_messages_at_500() -> None:
    assert (ANSWER_LIMITS[AnswerKind.WORDS], ANSWER_LIMITS[AnswerKind.PROSE]) == (80, 500)
    assert answer_problem("x" * 5000) is AnswerProblem.TOO_LONG


@pytest.mark.parametrize("text", ["🏠", "👍👍👍", "???", "!!! ...", "—", "🇬🇧"])
def test_symbols_and_emoji_alone_have_no_words(text: str) -> None:
    assert answer_problem(text) is AnswerProblem.NO_WORDS


@pytest.mark.parametrize("text", ["Leeds", "LS6", "7", "٧", "ليدز", "🏠 Leeds", "10-16"])
def test_a_letter_or_digit_in_any_script_is_a_word(text: str) -> None:
    assert answer_problem(text) is None
