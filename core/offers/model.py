"""Offers on listings, the counter chain between buyer and seller, every step on record, and review flags."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import Date, ForeignKey, Index, Numeric, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from core.tables import Base, Id


class OfferStatus(StrEnum):
    """Where an offer stands; only a PENDING one waits for an answer, and a buyer has at most one."""

    PENDING = "pending"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"
    EXPIRED = "expired"
    SUPERSEDED = "superseded"


class BuyingPosition(StrEnum):
    """How the buyer would pay, as UK agents ask it."""

    FIRST_TIME = "first_time"
    CHAIN = "chain"
    CASH = "cash"
    MORTGAGE_AIP = "mortgage_aip"


class OfferSide(StrEnum):
    """Who made an offer or an event: the buyer, the seller's side (seller or broker), or the platform."""

    BUYER = "buyer"
    SELLER = "seller"
    SYSTEM = "system"


_ACTIVE_SQL = "status = 'pending'"


class Offer(Base):
    """One amount put to the other side; a counter is a new offer that answers (and supersedes) the last.

    Every offer of one negotiation carries the buyer's id, so "one active offer per buyer" is one index.
    """

    __tablename__ = "offers"
    __table_args__ = (
        Index(
            "uq_offers_one_active_per_buyer",
            "buyer_id",
            unique=True,
            postgresql_where=text(_ACTIVE_SQL),
            sqlite_where=text(_ACTIVE_SQL),
        ),
        Index("ix_offers_listing_status", "listing_id", "status"),
        Index("ix_offers_status_expires", "status", "expires_at"),
        Index("ix_offers_buyer_created", "buyer_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    listing_id: Mapped[int] = mapped_column(ForeignKey("listings.id", ondelete="CASCADE"))
    buyer_id: Mapped[int] = mapped_column(ForeignKey("persons.id", ondelete="CASCADE"))
    made_by: Mapped[str] = mapped_column(String(8))
    made_by_person_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id", ondelete="SET NULL"))
    answers_id: Mapped[int | None] = mapped_column(ForeignKey("offers.id", ondelete="SET NULL"), index=True)
    amount: Mapped[Decimal] = mapped_column(Numeric(14, 2))
    currency_code: Mapped[str] = mapped_column(String(3))
    position: Mapped[str | None] = mapped_column(String(16))
    completion_date: Mapped[date | None] = mapped_column(Date)
    message: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(12))
    expires_at: Mapped[datetime]
    answered_at: Mapped[datetime | None]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class OfferEvent(Base):
    """A transition of an offer: what happened, who did it, on which channel, and when."""

    __tablename__ = "offer_events"

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    offer_id: Mapped[int] = mapped_column(ForeignKey("offers.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(12))
    side: Mapped[str] = mapped_column(String(8))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id", ondelete="SET NULL"))
    channel: Mapped[str | None] = mapped_column(String(16))
    detail: Mapped[str | None] = mapped_column(String(200))
    at: Mapped[datetime]


class ReviewFlag(Base):
    """A person flagged for an operator to look at (too many offers or withdrawals); open until cleared."""

    __tablename__ = "review_flags"
    __table_args__ = (
        Index(
            "uq_review_flags_open",
            "person_id",
            "reason",
            unique=True,
            postgresql_where=text("cleared_at IS NULL"),
            sqlite_where=text("cleared_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id", ondelete="CASCADE"), index=True)
    reason: Mapped[str] = mapped_column(String(32))
    detail: Mapped[str] = mapped_column(String(200))
    flagged_at: Mapped[datetime]
    cleared_at: Mapped[datetime | None]
