"""A feed's word on one listing, applied through events as a seller's own changes would be."""

from __future__ import annotations

import base64
import hashlib
from datetime import datetime
from decimal import Decimal
from typing import Any, Final

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncSession

from core.events import record
from core.feeds.media import FeedMedia
from core.feeds.model import Outcome
from core.feeds.records import FeedRecord
from core.listings.events import (
    ListingDetailsChanged,
    ListingPublished,
    ListingRelisted,
    ListingRepriced,
    ListingSold,
    ListingUnderContract,
    ListingWithdrawn,
)
from core.listings.model import Listing, ListingMedia, Source, StandardStatus
from core.viewings.availability import default_settings, published_weekly
from core.viewings.model import ViewingSettings

ON_MARKET: Final = frozenset({StandardStatus.ACTIVE, StandardStatus.COMING_SOON})
UNDER_CONTRACT: Final = frozenset({StandardStatus.ACTIVE_UNDER_CONTRACT, StandardStatus.PENDING})
OFF_MARKET: Final = frozenset({StandardStatus.WITHDRAWN, StandardStatus.EXPIRED, StandardStatus.CANCELED})
# Columns whose change is the market's own move (status, price) or bookkeeping, not what the listing says.
_NOT_DETAILS: Final = frozenset(
    {"list_price", "original_list_price", "close_price", "on_market_timestamp", "originating_system_name"}
)


def listing_key_for(system: str, feed_key: str) -> str:
    """Doorstep's key of a feed's listing: short enough for a button's data, the same on every import."""
    digest = hashlib.sha256(f"{system}\x00{feed_key}".encode()).digest()
    return "MLS-" + base64.b32encode(digest).decode()[:12]


def new_row(
    system: str, rec: FeedRecord, managers: tuple[int | None, int | None], now: datetime
) -> dict[str, Any]:
    """The listings row of a home new to Doorstep, as the record describes it."""
    fields = dict(rec.fields)
    fields["originating_system_name"] = system
    fields["on_market_timestamp"] = fields.get("on_market_timestamp") or rec.modification_timestamp
    fields["listing_id"] = fields.get("listing_id") or rec.listing_key
    return {
        **fields,
        "listing_key": listing_key_for(system, rec.listing_key),
        "standard_status": rec.status,
        "feed_listing_key": rec.listing_key,
        "feed_modification_timestamp": rec.modification_timestamp,
        "photos_change_timestamp": rec.photos_change_timestamp,
        "modification_timestamp": now,
        "seller_id": managers[0],
        "broker_id": managers[1],
        "source": Source.reso(system),
    }


async def create_all(
    session: AsyncSession,
    system: str,
    new: list[tuple[FeedRecord, tuple[FeedMedia, ...]]],
    managers: tuple[int | None, int | None],
    now: datetime,
) -> list[ViewingSettings]:
    """Homes new to Doorstep, inserted a page at a time (one statement each for listings and photos); those
    on the market get their hours and are announced (ListingPublished).

    The hours are added and flushed here for the whole page, so ListingPublished's own reaction finds them
    in the session and adds nothing, as long as the caller holds on to them (the session only keeps weak
    references); a home nobody answers for books at once, as nobody would confirm a request.
    """
    rows = [new_row(system, rec, managers, now) for rec, _ in new]
    inserted = await session.execute(
        insert(Listing).returning(Listing.id, sort_by_parameter_order=True), rows
    )
    ids = list(inserted.scalars())
    photos = [
        {
            "listing_id": listing_id,
            "media_url": item.media_url[:500],
            "order": item.order,
            "short_description": (item.short_description or "")[:200] or None,
        }
        for listing_id, (_, media) in zip(ids, new, strict=True)
        for item in media
    ]
    if photos:
        await session.execute(insert(ListingMedia), photos)
    unmanaged = managers == (None, None)
    weekly = published_weekly()
    published = [listing_id for listing_id, (rec, _) in zip(ids, new, strict=True) if rec.status in ON_MARKET]
    hours = [default_settings(listing_id, now, weekly=weekly, instant=unmanaged) for listing_id in published]
    session.add_all(hours)
    await session.flush()
    for listing_id in published:
        record(session, ListingPublished(listing_id))
    return hours


def update(
    listing: Listing,
    session: AsyncSession,
    rec: FeedRecord,
    media: tuple[FeedMedia, ...] | None,
    now: datetime,
    *,
    by: int | None,
) -> Outcome:
    """Bring a listing in line with a newer record, each change an event; UNCHANGED when nothing moved."""
    listing.feed_modification_timestamp = rec.modification_timestamp
    events: list[Any] = []
    old_status, new_status = listing.standard_status, rec.status
    fields = dict(rec.fields)
    fields.pop("originating_system_name", None)
    if fields.get("listing_id") is None:
        fields["listing_id"] = listing.listing_id
    if fields.get("on_market_timestamp") is None:
        fields["on_market_timestamp"] = listing.on_market_timestamp
    old_price, new_price = listing.list_price, fields["list_price"]
    changed = sorted(name for name, value in fields.items() if not _same(getattr(listing, name), value))
    for name in changed:
        setattr(listing, name, fields[name])
    if media is not None:
        listing.media = _media_rows(media)
        listing.photos_change_timestamp = rec.photos_change_timestamp
        changed.append("media")
    if new_price != old_price and "list_price" in changed:
        events.append(ListingRepriced(listing.id, old_price, new_price, by=by))
    details = tuple(name for name in changed if name not in _NOT_DETAILS)
    if details:
        events.append(ListingDetailsChanged(listing.id, details, by=by))
    if new_status is not None and new_status != old_status:
        listing.standard_status = new_status
        events += _status_events(listing, old_status, new_status, by)
    if not changed and new_status == old_status:
        return Outcome.UNCHANGED
    listing.modification_timestamp = now
    for event in events:
        record(session, event)
    return Outcome.UPDATED


def withdraw(
    session: AsyncSession, listing: Listing, rec: FeedRecord, now: datetime, *, by: int | None
) -> Outcome:
    """The feed deleted or hid the home (MlgCanView false): off the market; offers and viewings close."""
    listing.feed_modification_timestamp = rec.modification_timestamp
    return withdraw_missing(session, listing, now, by=by)


def withdraw_missing(session: AsyncSession, listing: Listing, now: datetime, *, by: int | None) -> Outcome:
    """Take a feed's listing off the market, as its seller withdrawing it would; one already off stays."""
    if listing.standard_status in (StandardStatus.CLOSED, *OFF_MARKET):
        return Outcome.UNCHANGED
    listing.standard_status = StandardStatus.WITHDRAWN
    listing.modification_timestamp = now
    record(session, ListingWithdrawn(listing.id, by=by))
    return Outcome.WITHDRAWN


def _status_events(listing: Listing, old: str, new: StandardStatus, by: int | None) -> list[Any]:
    """The events of a feed's status move, as the same move made in chat records them."""
    if new == StandardStatus.CLOSED:
        return [ListingSold(listing.id, listing.close_price, by=by)]
    if new in OFF_MARKET and old not in OFF_MARKET and old != StandardStatus.CLOSED:
        return [ListingWithdrawn(listing.id, by=by)]
    if new in UNDER_CONTRACT and old in ON_MARKET:
        return [ListingUnderContract(listing.id, by=by)]
    if new == StandardStatus.ACTIVE and old not in ON_MARKET:
        return [ListingRelisted(listing.id, by=by)]
    return []


def _media_rows(media: tuple[FeedMedia, ...]) -> list[ListingMedia]:
    return [
        ListingMedia(
            media_url=item.media_url[:500],
            order=item.order,
            short_description=(item.short_description or "")[:200] or None,
        )
        for item in media
    ]


def _same(old: Any, new: Any) -> bool:
    """Equal as the database keeps them: 250000 and 250000.00 are one price."""
    if isinstance(old, Decimal) and isinstance(new, (Decimal, int)):
        return old == Decimal(new)
    return bool(old == new)


def needs_media(listing: Listing | None, rec: FeedRecord) -> bool:
    """True when the record's photos must be read: a new home with photos, or its photos changed since."""
    if rec.gone or rec.photos_change_timestamp is None:
        return False
    return listing is None or listing.photos_change_timestamp != rec.photos_change_timestamp
