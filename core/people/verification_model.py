"""One-time codes that prove a phone number, each wrong try, and the merges a proven number caused."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from core.tables import Base, Id


class OtpStatus(StrEnum):
    """Where a code is in its life: waiting to be sent, sent, used, or spent (wrong tries, newer code)."""

    PENDING = "pending"
    ISSUED = "issued"
    USED = "used"
    DEAD = "dead"
    REPLACED = "replaced"


class OtpCode(Base):
    """A code asked for by a person for a phone; only its HMAC is kept, set when the code is sent."""

    __tablename__ = "otp_codes"
    __table_args__ = (
        Index("ix_otp_codes_phone_created", "phone", "created_at"),
        Index("ix_otp_codes_person_created", "person_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id", ondelete="CASCADE"))
    phone: Mapped[str] = mapped_column(String(20))
    channel: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(12))
    code_hash: Mapped[str | None] = mapped_column(String(64))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime]
    issued_at: Mapped[datetime | None]
    expires_at: Mapped[datetime | None]
    used_at: Mapped[datetime | None]


class OtpAttempt(Base):
    """One code typed by a person, right or wrong: the record behind the per-person failure limit."""

    __tablename__ = "otp_attempts"
    __table_args__ = (Index("ix_otp_attempts_person_at", "person_id", "attempted_at"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id", ondelete="CASCADE"))
    otp_id: Mapped[int | None] = mapped_column(ForeignKey("otp_codes.id", ondelete="SET NULL"))
    succeeded: Mapped[bool]
    attempted_at: Mapped[datetime]


class PersonMerge(Base):
    """A person folded into another because both proved the same phone: kept for support and audit."""

    __tablename__ = "person_merges"

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    survivor_id: Mapped[int] = mapped_column(ForeignKey("persons.id", ondelete="CASCADE"), index=True)
    merged_person_id: Mapped[int] = mapped_column(Id)
    phone: Mapped[str] = mapped_column(String(20))
    moved: Mapped[str] = mapped_column(String(500))
    merged_at: Mapped[datetime]
