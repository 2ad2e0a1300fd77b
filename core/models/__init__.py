"""Mapped tables; importing this package registers every one on Base.metadata."""

from core.models.base import Base
from core.models.dialog import DialogState
from core.models.listings import Listing, ListingMedia, StandardStatus
from core.models.messaging import InboundMessage, InboundStatus, OutboxMessage, OutboxStatus
from core.models.offers import BuyingPosition, Offer, OfferEvent, OfferSide, OfferStatus, ReviewFlag
from core.models.people import Channel, ChannelIdentity, Person, PersonRole, Role
from core.models.verification import OtpAttempt, OtpCode, OtpStatus, PersonMerge
from core.models.viewings import (
    BLOCKING_STATUSES,
    OPEN_STATUSES,
    Viewing,
    ViewingOverride,
    ViewingSettings,
    ViewingStatus,
)

__all__ = [
    "BLOCKING_STATUSES",
    "OPEN_STATUSES",
    "Base",
    "BuyingPosition",
    "Channel",
    "ChannelIdentity",
    "DialogState",
    "InboundMessage",
    "InboundStatus",
    "Listing",
    "ListingMedia",
    "Offer",
    "OfferEvent",
    "OfferSide",
    "OfferStatus",
    "OtpAttempt",
    "OtpCode",
    "OtpStatus",
    "OutboxMessage",
    "OutboxStatus",
    "Person",
    "PersonMerge",
    "PersonRole",
    "ReviewFlag",
    "Role",
    "StandardStatus",
    "Viewing",
    "ViewingOverride",
    "ViewingSettings",
    "ViewingStatus",
]
