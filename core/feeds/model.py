"""Each MLS feed's sync state (cursor, lease, counts) and every raw record it sent, kept for replay."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import BigInteger, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from core.tables import Base, Id, Json


class Outcome(StrEnum):
    """What a sync did with one record."""

    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    WITHDRAWN = "withdrawn"
    REJECTED = "rejected"


class Feed(Base):
    """One RESO feed, named by its OriginatingSystemName: where its sync stands and how it went.

    The cursor is the (ModificationTimestamp, ListingKey) of the last record of the last committed page; a
    sync holds the feed by a lease, so two syncs of one feed never run at once;
    a killed one's lease runs out.
    """

    __tablename__ = "feeds"

    name: Mapped[str] = mapped_column(String(100), primary_key=True)
    cursor_timestamp: Mapped[datetime | None]
    cursor_key: Mapped[str | None] = mapped_column(String(64))
    lease_holder: Mapped[str | None] = mapped_column(String(100))
    lease_until: Mapped[datetime | None]
    last_started_at: Mapped[datetime | None]
    last_finished_at: Mapped[datetime | None]
    last_success_at: Mapped[datetime | None]
    last_reconciled_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    last_run: Mapped[dict[str, Any]] = mapped_column(Json, default=dict)
    imported: Mapped[int] = mapped_column(BigInteger, default=0)
    withdrawn: Mapped[int] = mapped_column(BigInteger, default=0)
    failed: Mapped[int] = mapped_column(BigInteger, default=0)


class RawRecord(Base):
    """A record exactly as a feed sent it, with what the sync made of it (and why, when it was refused)."""

    __tablename__ = "feed_records"
    __table_args__ = (Index("ix_feed_records_feed_key", "feed", "listing_key", "modification_timestamp"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    feed: Mapped[str] = mapped_column(String(100))
    listing_key: Mapped[str | None] = mapped_column(String(64))
    modification_timestamp: Mapped[datetime | None]
    received_at: Mapped[datetime]
    payload: Mapped[Any] = mapped_column(Json)
    outcome: Mapped[str] = mapped_column(String(12))
    reason: Mapped[str | None] = mapped_column(Text)
