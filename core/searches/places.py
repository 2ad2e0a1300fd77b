"""Pure rules for understanding what a person typed as a place to search."""

from __future__ import annotations

import re
from dataclasses import dataclass

from core.answers import ANSWER_LIMITS, AnswerKind

_POSTCODE_PREFIX = re.compile(r"^[A-Z]{1,2}\d[A-Z\d]?(\d[A-Z]{2})?$")
_LONGEST = ANSWER_LIMITS[AnswerKind.WORDS]
_FILLER = re.compile(r"^(?:in|near|around|at)(?:\s+|$)", re.IGNORECASE)


@dataclass(frozen=True)
class AreaQuery:
    """A place to search: how to show it, and the normalised keys to match listings by."""

    display: str
    name_key: str
    postcode_key: str | None


def parse_area(text: str) -> AreaQuery | None:
    """Understand "Leeds", "in headingley", "LS6" or "ls6 2ab"; None when nothing usable was typed."""
    cleaned = _FILLER.sub("", " ".join(text.split())).strip(" .,!?")
    if not cleaned or len(cleaned) > _LONGEST or not any(ch.isalnum() for ch in cleaned):
        return None
    compact = cleaned.replace(" ", "").upper()
    if _POSTCODE_PREFIX.match(compact):
        return AreaQuery(display=_format_postcode(compact), name_key=cleaned.casefold(), postcode_key=compact)
    display = cleaned if any(ch.isupper() for ch in cleaned) else cleaned.title()
    return AreaQuery(display=display, name_key=cleaned.casefold(), postcode_key=None)


def _format_postcode(compact: str) -> str:
    return f"{compact[:-3]} {compact[-3:]}" if len(compact) > 4 and compact[-3].isdigit() else compact
