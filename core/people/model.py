"""People, their roles, and the channel identities (chat ids, phone numbers) they talk to us from."""

from __future__ import annotations

from datetime import datetime, time
from enum import StrEnum

from sqlalchemy import ForeignKey, String, Time, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.tables import Base, Id


class Role(StrEnum):
    """What a person may do on the platform."""

    BUYER = "buyer"
    SELLER = "seller"
    BROKER = "broker"
    ADMIN = "admin"


class Channel(StrEnum):
    """The chat networks Doorstep speaks on."""

    TELEGRAM = "telegram"
    SMS = "sms"
    WHATSAPP = "whatsapp"


class Person(Base):
    """One human, whatever channels they use."""

    __tablename__ = "persons"

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    display_name: Mapped[str | None] = mapped_column(String(200))
    locale: Mapped[str] = mapped_column(String(20))
    timezone: Mapped[str] = mapped_column(String(64))
    phone: Mapped[str | None] = mapped_column(String(20), unique=True)
    phone_verified_at: Mapped[datetime | None]
    quiet_start: Mapped[time | None] = mapped_column(Time)
    quiet_end: Mapped[time | None] = mapped_column(Time)
    preferred_channel: Mapped[str | None] = mapped_column(String(20))
    onboarded_at: Mapped[datetime | None]
    created_at: Mapped[datetime]

    roles: Mapped[list[PersonRole]] = relationship(cascade="all, delete-orphan", lazy="selectin")
    identities: Mapped[list[ChannelIdentity]] = relationship(back_populates="person", lazy="selectin")

    def has_role(self, role: Role) -> bool:
        """True when the person holds `role`."""
        return any(r.role == role for r in self.roles)

    @property
    def verified(self) -> bool:
        """True once the person has proven a phone number."""
        return self.phone is not None and self.phone_verified_at is not None


class PersonRole(Base):
    """A role granted to a person."""

    __tablename__ = "person_roles"

    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id", ondelete="CASCADE"), primary_key=True)
    role: Mapped[str] = mapped_column(String(20), primary_key=True)
    granted_at: Mapped[datetime]


class ChannelIdentity(Base):
    """An address on one channel (Telegram chat id, E.164 number) that belongs to a person."""

    __tablename__ = "channel_identities"
    __table_args__ = (UniqueConstraint("channel", "address"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id", ondelete="CASCADE"), index=True)
    channel: Mapped[str] = mapped_column(String(20))
    address: Mapped[str] = mapped_column(String(64))
    display_name: Mapped[str | None] = mapped_column(String(200))
    language_code: Mapped[str | None] = mapped_column(String(20))
    verified_at: Mapped[datetime | None]
    unreachable_at: Mapped[datetime | None]
    unreachable_reason: Mapped[str | None] = mapped_column(String(200))
    opted_out_at: Mapped[datetime | None]
    last_inbound_at: Mapped[datetime | None]
    created_at: Mapped[datetime]

    person: Mapped[Person] = relationship(back_populates="identities")
