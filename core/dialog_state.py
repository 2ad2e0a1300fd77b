"""Where each person is in a conversation, persisted so every channel runs the same flows."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from core.tables import Base, Json


class DialogState(Base):
    """A person's current flow and step, what they told us so far, and the choices last offered."""

    __tablename__ = "dialog_states"

    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id", ondelete="CASCADE"), primary_key=True)
    flow: Mapped[str] = mapped_column(String(40))
    step: Mapped[str] = mapped_column(String(40))
    data: Mapped[dict[str, Any]] = mapped_column(Json, default=dict)
    choices: Mapped[list[dict[str, str]]] = mapped_column(Json, default=list)
    # Plain JSON, not JSONB: the map is trimmed to its newest entries, so its key order must survive.
    recent_choices: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    version: Mapped[int] = mapped_column(Integer, default=0)
    expires_at: Mapped[datetime]
    updated_at: Mapped[datetime]
