"""What listing a home asks, shared by the new-listing form and by editing a listing: each question's text,
the kind of answer it takes, its buttons, and how the answer is read into listing fields."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any

from bots.dialog.routes import ArgRoute, Route
from bots.dialog.turn import Turn
from bots.messages import Choice
from core.answers import AnswerKind
from core.listings.address import Address, parse_address, postcode
from core.listings.form import (
    SUB_TYPES,
    BadAnswer,
    read_area,
    read_bathrooms,
    read_bedrooms,
    read_price,
    read_sub_type,
)
from core.people.model import Channel

_OUTWARD_AT_END = re.compile(r"\s+[A-Z]{1,2}[0-9][A-Z0-9]?$", re.IGNORECASE)


@dataclass(frozen=True)
class Question:
    """A question's template, the answer it takes, and whether Skip leaves it out."""

    kind: str
    answer: AnswerKind = AnswerKind.WORDS
    skippable: bool = False


# The address is asked in parts, by the first one missing; the rest by the listing field they fill.
QUESTIONS = {
    "address": Question("listings.form.ask_address", AnswerKind.PROSE),
    "street": Question("listings.form.ask_street", AnswerKind.PROSE),
    "city": Question("listings.form.ask_city", AnswerKind.PROSE),
    "postal_code": Question("listings.form.ask_postcode", AnswerKind.PROSE),
    "property_sub_type": Question("listings.form.ask_type"),
    "bedrooms_total": Question("listings.form.ask_bedrooms", AnswerKind.NUMBER),
    "bathrooms_total_integer": Question("listings.form.ask_bathrooms", AnswerKind.NUMBER),
    "living_area": Question("listings.form.ask_area", AnswerKind.NUMBER, skippable=True),
    "list_price": Question("listings.form.ask_price", AnswerKind.NUMBER),
    "public_remarks": Question("listings.form.ask_remarks", AnswerKind.PROSE, skippable=True),
}
ANSWERS = {step: question.answer for step, question in QUESTIONS.items()}


def address_step(address: Address) -> str:
    """Which part of the address to ask for: all of it, the street, the town or the postcode."""
    missing = address.missing
    if len(missing) == 4 or (address.street_name is None and address.city is None):
        return "address"
    if "street_number" in missing or "street_name" in missing:
        return "street"
    return "city" if "city" in missing else "postal_code"


@dataclass(frozen=True)
class Buttons:
    """Where a question's own buttons lead in the flow asking it: Skip, and each sub-type."""

    skip: Route
    sub_type: ArgRoute[str]


def ask(turn: Turn, step: str, buttons: Buttons, extra: list[Choice], **context: Any) -> None:
    """Ask the step's question with its buttons (the sub-types, Skip) above `extra` (Finish later, Back).
    A sub-type typed or tapped reads the same, so the buttons say the word."""
    question = QUESTIONS[step]
    choices = []
    if step == "property_sub_type":
        choices = [turn.choice(buttons.sub_type(name), f"sub_type_{name}") for name in SUB_TYPES]
    if question.skippable:
        choices.append(turn.choice(buttons.skip(), "skip"))
    extra = buttons_beside_a_number(turn, question.answer, extra)
    turn.ask(question.kind, choices=[*choices, *extra], **context)


def buttons_beside_a_number(turn: Turn, answer: AnswerKind, extra: list[Choice]) -> list[Choice]:
    """`extra` unless the answer is a number typed by SMS, where "1" would pick the first numbered choice
    (Finish later, Back) rather than mean one bedroom; `cancel` and `back` still work there as words."""
    return [] if answer == AnswerKind.NUMBER and turn.channel == Channel.SMS else extra


def read_address(step: str, text: str, address: Address) -> Address:
    """The address with what was typed for `step` filled in; refuses an answer that adds nothing."""
    if step == "postal_code":
        code = postcode(text)
        if code is None:
            raise BadAnswer("listings.form.bad_postcode", text=text.strip()[:20])
        return replace(address, postal_code=code)
    typed = parse_address(text)
    if typed.city is not None and typed.postal_code is None:
        typed = replace(typed, city=_OUTWARD_AT_END.sub("", typed.city) or None)
    if step == "city" and typed.street_name is not None and typed.street_number is None:
        # "Far Headingley, Leeds" for the town: the district and the town, no street
        if typed.city is None:
            typed = replace(typed, city=typed.street_name, street_name=None)
        else:
            typed = replace(typed, district=typed.district or typed.street_name, street_name=None)
    filled = address.filled_from(typed)
    if filled == address or (step == "address" and filled.street_name is None):
        raise BadAnswer("listings.form.bad_address" if step == "address" else f"listings.form.bad_{step}")
    return filled


def read_answer(step: str, text: str, fields: dict[str, Any]) -> dict[str, Any]:
    """The listing fields a typed answer to `step` gives, as a draft keeps them (JSON: numbers as text)."""
    if step == "property_sub_type":
        sub_type = read_sub_type(text)
        if sub_type is None:
            raise BadAnswer("listings.form.bad_type")
        return {step: sub_type}
    if step == "bedrooms_total":
        return {step: read_bedrooms(text, fields.get("property_sub_type"))}
    if step == "bathrooms_total_integer":
        return {step: read_bathrooms(text)}
    if step == "living_area":
        return {step: str(read_area(text))}
    if step == "list_price":
        return {step: str(read_price(text))}
    if step == "public_remarks":
        return {step: " ".join(text.split())}
    raise ValueError(f"{step} takes no typed answer")
