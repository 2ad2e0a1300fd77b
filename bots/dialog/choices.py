"""Matching what a person sent against the choices offered: a tap's token, a number, a label or a yes/no."""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from bots.messages import Choice, choice_token

RECENT_LIMIT = 60
# Nothing is numbered past 99, so a longer number is an answer (a code, an amount), not a pick.
PICK_DIGITS = 2
# What counts as yes and as no, in every language we speak; a choice's own label wins over these.
YES_NO_WORDS = {
    "yes": frozenset(
        {"y", "yes", "yeah", "yep", "yup", "ok", "okay", "sure"}
        | {"نعم", "أجل", "اجل", "ايوه", "أيوه", "ايوا", "أيوا", "موافق", "حسنا", "حسناً", "تمام"}
    ),
    "no": frozenset({"n", "no", "nope", "nah"} | {"لا", "كلا", "لأ"}),
}
# The choices a yes or a no picks, by label: those that go ahead with what was asked, and those that don't.
ANSWERS_BY_LABEL = {
    "confirm": "yes",
    "send_offer": "yes",
    "send_proposals": "yes",
    "send_code": "yes",
    "use_suggested": "yes",
    "withdraw_it": "yes",
    "yes": "yes",
    "yes_withdraw": "yes",
    "cancel": "no",
    "keep_viewing": "no",
    "keep_it": "no",
    "change_amount": "no",
}


@dataclass(frozen=True)
class NoSuchNumber:
    """A typed number that no offered choice stands behind, and the numbers that would have been."""

    number: int
    low: int
    high: int
    lines: bool


def answers_of(label_key: str) -> str | None:
    """ "yes" or "no" for a choice labelled `label_key` that a Y or N word should pick, else None."""
    return ANSWERS_BY_LABEL.get(label_key)


def match_text(
    text: str, offered: Sequence[Choice], *, lines: bool = True, yes_no: bool = True
) -> Choice | NoSuchNumber | None:
    """The offered choice a typed reply names: its number as shown, its label in any case, or a yes/no word.

    With numbered lines the number is the line's; under buttons it is the item number the message shows
    (results 6-10 answer to 6-10), or the button's position where no items are numbered. A number with no
    choice behind it gives NoSuchNumber (longer numbers are answers). `yes_no=False` leaves yes and no
    words to a step that takes them as its answer.
    """
    cleaned = _clean(text)
    if cleaned.isdecimal() and len(cleaned) <= PICK_DIGITS and offered:
        return _by_number(int(cleaned), offered, lines)
    for choice in offered:
        if _clean(choice.label) == cleaned:
            return choice
    answer = next((key for key, words in YES_NO_WORDS.items() if cleaned in words), None)
    if answer is None or not yes_no:
        return None
    return next((choice for choice in offered if choice.answers == answer), None)


def _by_number(number: int, offered: Sequence[Choice], lines: bool) -> Choice | NoSuchNumber:
    numbered = {c.number: c for c in offered if c.number is not None}
    if lines or not numbered:
        numbered = {position: c for position, c in enumerate(offered, start=1)}
    chosen = numbered.get(number)
    return chosen or NoSuchNumber(number, min(numbered), max(numbered), lines)


def _clean(text: str) -> str:
    visible = "".join(ch for ch in text if unicodedata.category(ch) != "Cf")  # drop RTL/LTR marks
    return " ".join(visible.strip().split()).rstrip(".!؟?").casefold()


def remember(recent: Mapping[str, str], choices: Sequence[Choice]) -> dict[str, str]:
    """Add the tokens of newly offered choices to the recent map, keeping only the newest entries."""
    merged = {token: cid for token, cid in recent.items() if cid not in {c.id for c in choices}}
    merged.update({choice_token(c.id): c.id for c in choices})
    return dict(list(merged.items())[-RECENT_LIMIT:])
