"""A message to someone other than the person talking: what to say, which buttons, how urgent."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession


@dataclass(frozen=True)
class Button:
    """A choice offered with a notice; its label is rendered in the recipient's language.

    A button for a time (`at`, shown in zone `tz`) is labelled with its day and time instead.
    """

    choice_id: str
    label_key: str
    params: dict[str, Any] = field(default_factory=dict)
    at: datetime | None = None
    tz: str = "UTC"


@dataclass(frozen=True)
class Notice:
    """A message kind and its context for one person, sent once per `dedupe_key`.

    `context` is rendered for the recipient, who also gets `tz` (their time zone) in it. `calendar` names a
    viewing whose calendar file goes with the message.
    """

    person_id: int
    kind: str
    dedupe_key: str
    context: dict[str, Any] = field(default_factory=dict)
    buttons: tuple[Button, ...] = ()
    urgent: bool = False
    important: bool = True
    calendar: Any = None


# Builds the notices one kind of domain event owes, from the event and the session it happened in.
NoticeBuilder = Callable[[AsyncSession, Any], Awaitable[list[Notice]]]
