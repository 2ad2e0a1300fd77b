"""Pure rules for a typed answer: the kinds of answer a step takes, how long each may be, and what's wrong."""

from __future__ import annotations

import unicodedata
from enum import StrEnum


class AnswerKind(StrEnum):
    """What a step takes as a typed answer."""

    WORDS = "words"  # a short answer: a place, a name, a date, hours, a time zone
    NUMBER = "number"  # an amount, a code or a phone number: a bare number is the answer, not a pick
    PROSE = "prose"  # a message in the person's own words: numbers and yes or no are part of it


# The longest answer each kind takes; longer ones are refused with this number, never cut short.
ANSWER_LIMITS = {AnswerKind.WORDS: 80, AnswerKind.NUMBER: 80, AnswerKind.PROSE: 500}


class AnswerProblem(StrEnum):
    """Why a typed answer can't be read at all, whatever the step."""

    TOO_LONG = "too_long"
    NO_WORDS = "no_words"


def answer_problem(text: str, kind: AnswerKind = AnswerKind.WORDS) -> AnswerProblem | None:
    """TOO_LONG past the kind's limit, NO_WORDS when it holds no letter or digit (emoji, symbols only)."""
    if len(text.strip()) > ANSWER_LIMITS[kind]:
        return AnswerProblem.TOO_LONG
    if not any(unicodedata.category(ch)[0] in "LN" for ch in text):
        return AnswerProblem.NO_WORDS
    return None
