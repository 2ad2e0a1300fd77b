"""Listings and their photos, named after the RESO Data Dictionary (snake_case of its field names)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, Integer, Numeric, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.tables import Base, Id


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
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    listing_key: Mapped[str] = mapped_column(String(64), unique=True)
    standard_status: Mapped[str] = mapped_column(String(40))
    list_price: Mapped[Decimal] = mapped_column(Numeric(14, 2))
    currency_code: Mapped[str] = mapped_column(String(3))
    property_type: Mapped[str] = mapped_column(String(40))
    property_sub_type: Mapped[str | None] = mapped_column(String(40))
    bedrooms_total: Mapped[int | None] = mapped_column(Integer)
    bathrooms_total_integer: Mapped[int | None] = mapped_column(Integer)
    living_area: Mapped[Decimal | None] = mapped_column(Numeric(10, 2))
    living_area_units: Mapped[str | None] = mapped_column(String(20))
    unparsed_address: Mapped[str | None] = mapped_column(String(300))
    city: Mapped[str] = mapped_column(String(100))
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

    media: Mapped[list[ListingMedia]] = relationship(
        order_by="ListingMedia.order", cascade="all, delete-orphan", lazy="selectin"
    )


class ListingMedia(Base):
    """A photo of a listing (RESO Media resource)."""

    __tablename__ = "listing_media"

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    listing_id: Mapped[int] = mapped_column(ForeignKey("listings.id", ondelete="CASCADE"), index=True)
    media_url: Mapped[str] = mapped_column(String(500))
    order: Mapped[int] = mapped_column(Integer, default=0)
    short_description: Mapped[str | None] = mapped_column(String(200))
