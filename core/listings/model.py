"""Listings and their photos, named after the RESO Data Dictionary (snake_case of its field names)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import ForeignKey, Index, Integer, LargeBinary, Numeric, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.tables import Base, Id, Json


class StandardStatus(StrEnum):
    """RESO StandardStatus values Doorstep uses."""

    COMING_SOON = "Coming Soon"
    ACTIVE = "Active"
    ACTIVE_UNDER_CONTRACT = "Active Under Contract"
    PENDING = "Pending"
    CLOSED = "Closed"
    WITHDRAWN = "Withdrawn"
    EXPIRED = "Expired"
    CANCELED = "Canceled"


class Source(StrEnum):
    """Where a listing came from: typed in chat, a RESO feed (`reso:<OriginatingSystemName>`), or the demo."""

    CHAT = "chat"
    DEMO = "demo"

    @staticmethod
    def reso(system: str) -> str:
        """The source of a listing from the feed of `system`."""
        return f"reso:{system}"


class Side(StrEnum):
    """Which side of a buyer's dealing on a listing (a viewing, an offer) someone is on."""

    BUYER = "buyer"
    SELLER = "seller"


class Listing(Base):
    """A property on the market (RESO Property resource)."""

    __tablename__ = "listings"
    __table_args__ = (
        Index("ix_listings_status_city", "standard_status", text("lower(city)")),
        Index("ix_listings_status_subdivision", "standard_status", text("lower(subdivision_name)")),
        Index("uq_listings_feed_key", "feed_listing_key", "originating_system_name", unique=True),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    listing_key: Mapped[str] = mapped_column(String(64), unique=True)
    listing_id: Mapped[str | None] = mapped_column(String(64))
    standard_status: Mapped[str] = mapped_column(String(40))
    list_price: Mapped[Decimal] = mapped_column(Numeric(14, 2))
    original_list_price: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    close_price: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    currency_code: Mapped[str] = mapped_column(String(3))
    property_type: Mapped[str] = mapped_column(String(40))
    property_sub_type: Mapped[str | None] = mapped_column(String(40))
    bedrooms_total: Mapped[int | None] = mapped_column(Integer)
    bathrooms_total_integer: Mapped[int | None] = mapped_column(Integer)
    living_area: Mapped[Decimal | None] = mapped_column(Numeric(10, 2))
    living_area_units: Mapped[str | None] = mapped_column(String(20))
    unparsed_address: Mapped[str | None] = mapped_column(String(300))
    street_number: Mapped[str | None] = mapped_column(String(20))
    street_name: Mapped[str | None] = mapped_column(String(100))
    city: Mapped[str] = mapped_column(String(100))
    state_or_province: Mapped[str | None] = mapped_column(String(100))
    subdivision_name: Mapped[str | None] = mapped_column(String(100))
    postal_code: Mapped[str | None] = mapped_column(String(20))
    country: Mapped[str] = mapped_column(String(2))
    public_remarks: Mapped[str | None] = mapped_column(Text)
    latitude: Mapped[Decimal | None] = mapped_column(Numeric(9, 6))
    longitude: Mapped[Decimal | None] = mapped_column(Numeric(9, 6))
    time_zone: Mapped[str] = mapped_column(String(64))
    seller_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id", ondelete="SET NULL"), index=True)
    broker_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id", ondelete="SET NULL"), index=True)
    minimum_offer_percent: Mapped[int] = mapped_column(Integer, default=90)
    offer_expiry_hours: Mapped[int] = mapped_column(Integer, default=48, server_default="48")
    on_market_timestamp: Mapped[datetime]
    modification_timestamp: Mapped[datetime]
    photos_change_timestamp: Mapped[datetime | None]
    originating_system_name: Mapped[str | None] = mapped_column(String(100))
    # A feed's own ListingKey and ModificationTimestamp, as last applied; unique within its feed.
    feed_listing_key: Mapped[str | None] = mapped_column(String(64))
    feed_modification_timestamp: Mapped[datetime | None]
    source: Mapped[str] = mapped_column(String(120), default=Source.CHAT, server_default=Source.CHAT)

    media: Mapped[list[ListingMedia]] = relationship(
        order_by="ListingMedia.order", cascade="all, delete-orphan", lazy="selectin"
    )


class ListingMedia(Base):
    """A photo of a listing (RESO Media resource)."""

    __tablename__ = "listing_media"

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    listing_id: Mapped[int] = mapped_column(ForeignKey("listings.id", ondelete="CASCADE"), index=True)
    media_key: Mapped[str | None] = mapped_column(String(64), unique=True)
    media_url: Mapped[str] = mapped_column(String(500))
    order: Mapped[int] = mapped_column(Integer, default=0)
    short_description: Mapped[str | None] = mapped_column(String(200))
    # The same photo on Telegram, sent by file_id there rather than fetched again from media_url.
    telegram_file_id: Mapped[str | None] = mapped_column(String(200))


class StoredMedia(Base):
    """A photo's bytes, kept by Doorstep and served at /media/<media_key> for providers to fetch."""

    __tablename__ = "stored_media"

    media_key: Mapped[str] = mapped_column(String(64), primary_key=True)
    content_type: Mapped[str] = mapped_column(String(40))
    byte_size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    data: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime]


class ListingDraft(Base):
    """A home being listed in chat, kept between messages (and restarts) until it is published or dropped.

    `fields` holds what the seller has told so far, by the listing's column names; `photos` the photos sent,
    in order, each {"media_key", "media_url", "telegram_file_id"}. One draft per person at a time.
    """

    __tablename__ = "listing_drafts"

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id", ondelete="CASCADE"), unique=True)
    fields: Mapped[dict[str, Any]] = mapped_column(Json, default=dict)
    photos: Mapped[list[dict[str, Any]]] = mapped_column(Json, default=list)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class InvitationStatus(StrEnum):
    """Where a broker's invitation to a seller stands."""

    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    CANCELLED = "cancelled"


class SellerInvitation(Base):
    """A broker named the seller of a listing by phone; the seller becomes it when they accept in chat."""

    __tablename__ = "seller_invitations"
    __table_args__ = (
        Index(
            "uq_seller_invitations_pending",
            "listing_id",
            unique=True,
            postgresql_where=text("status = 'pending'"),
            sqlite_where=text("status = 'pending'"),
        ),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    listing_id: Mapped[int] = mapped_column(ForeignKey("listings.id", ondelete="CASCADE"), index=True)
    broker_id: Mapped[int] = mapped_column(ForeignKey("persons.id", ondelete="CASCADE"))
    phone: Mapped[str] = mapped_column(String(20))
    invitee_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id", ondelete="SET NULL"), index=True)
    status: Mapped[str] = mapped_column(String(12))
    created_at: Mapped[datetime]
    answered_at: Mapped[datetime | None]
