"""Viewings: when a listing can be seen (weekly hours, date overrides) and the bookings made against it."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint, func, text
from sqlalchemy.dialects.postgresql import ExcludeConstraint
from sqlalchemy.orm import Mapped, mapped_column

from core.tables import Base, Id, Json


class ViewingStatus(StrEnum):
    """Where a booking stands; a HELD or CONFIRMED booking keeps its slot from anyone else.

    PENDING requests do not: several buyers may ask for one time, and the seller confirms one of them.
    """

    HELD = "held"
    PENDING = "pending"
    PROPOSED = "proposed"
    CONFIRMED = "confirmed"
    DECLINED = "declined"
    CANCELLED = "cancelled"
    RESCHEDULED = "rescheduled"
    COMPLETED = "completed"
    NO_SHOW = "no_show"
    LAPSED = "lapsed"
    EXPIRED = "expired"


BLOCKING_STATUSES = (ViewingStatus.HELD, ViewingStatus.CONFIRMED)
OPEN_STATUSES = (ViewingStatus.HELD, ViewingStatus.PENDING, ViewingStatus.PROPOSED, ViewingStatus.CONFIRMED)
_BLOCKING_SQL = "status IN ('held', 'confirmed')"


class ViewingSettings(Base):
    """A listing's viewing hours and rules; weekly windows are [{"day": 0-6 (Monday 0), "start", "end"}]."""

    __tablename__ = "viewing_settings"

    listing_id: Mapped[int] = mapped_column(ForeignKey("listings.id", ondelete="CASCADE"), primary_key=True)
    weekly: Mapped[list[dict[str, Any]]] = mapped_column(Json, default=list)
    slot_minutes: Mapped[int] = mapped_column(Integer, default=30)
    notice_minutes: Mapped[int] = mapped_column(Integer, default=24 * 60)
    window_days: Mapped[int] = mapped_column(Integer, default=30)
    buffer_minutes: Mapped[int] = mapped_column(Integer, default=15)
    max_viewers: Mapped[int] = mapped_column(Integer, default=4)
    instant: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[datetime]


class ViewingOverride(Base):
    """Other hours for one date of a listing, replacing that day's weekly hours; no windows is a day off."""

    __tablename__ = "viewing_overrides"
    __table_args__ = (UniqueConstraint("listing_id", "day", name="uq_viewing_overrides_listing_day"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    listing_id: Mapped[int] = mapped_column(ForeignKey("listings.id", ondelete="CASCADE"))
    day: Mapped[date] = mapped_column(Date)
    windows: Mapped[list[dict[str, str]]] = mapped_column(Json, default=list)


class Viewing(Base):
    """A buyer's booking of one slot; it blocks [starts_at, blocked_until), the slot plus the buffer."""

    __tablename__ = "viewings"
    __table_args__ = (
        Index("ix_viewings_listing_starts", "listing_id", "starts_at"),
        Index("ix_viewings_buyer_starts", "buyer_id", "starts_at"),
        Index("ix_viewings_status_starts", "status", "starts_at"),
        ExcludeConstraint(
            (text("listing_id"), "="),
            (func.tstzrange(text("starts_at"), text("blocked_until"), "[)"), "&&"),
            name="ex_viewings_no_overlap",
            using="gist",
            where=text(_BLOCKING_SQL),
        ).ddl_if(dialect="postgresql"),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    listing_id: Mapped[int] = mapped_column(ForeignKey("listings.id", ondelete="CASCADE"))
    buyer_id: Mapped[int] = mapped_column(ForeignKey("persons.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(12))
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    blocked_until: Mapped[datetime]
    viewers: Mapped[int] = mapped_column(Integer, default=1)
    hold_expires_at: Mapped[datetime | None]
    requested_at: Mapped[datetime | None]
    confirmed_at: Mapped[datetime | None]
    answered_at: Mapped[datetime | None]
    cancelled_at: Mapped[datetime | None]
    cancelled_by: Mapped[str | None] = mapped_column(String(12))
    cancel_reason: Mapped[str | None] = mapped_column(Text)
    rescheduled_from_id: Mapped[int | None] = mapped_column(ForeignKey("viewings.id", ondelete="SET NULL"))
    proposals: Mapped[list[str]] = mapped_column(Json, default=list)
    nudged_at: Mapped[datetime | None]
    reminded_24h_at: Mapped[datetime | None]
    reminded_1h_at: Mapped[datetime | None]
    calendar_token: Mapped[str] = mapped_column(String(32), unique=True)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]

    @property
    def open(self) -> bool:
        """True until the booking is settled: held, waiting for an answer, or confirmed."""
        return self.status in OPEN_STATUSES
