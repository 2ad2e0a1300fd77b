"""A home being listed in chat: the draft kept between messages, what it still lacks, and publishing it."""

from __future__ import annotations

import secrets
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.events import record
from core.listings.address import Address
from core.listings.authz import require_verified
from core.listings.events import ListingPublished
from core.listings.form import PROPERTY_TYPE, SUB_TYPES, DraftIncomplete, TooManyPhotos
from core.listings.model import Listing, ListingDraft, Source, StandardStatus
from core.listings.photos import Photo, set_media
from core.listings.rules import MAX_PHOTOS
from core.people.actions import grant_role
from core.people.model import Person, Role

# What a draft asks for, in order; "address" stands for its four parts, "photos" for the photos being done.
STEPS = (
    "address",
    "property_sub_type",
    "bedrooms_total",
    "bathrooms_total_integer",
    "living_area",
    "list_price",
    "public_remarks",
    "photos",
)
ADDRESS_PARTS = ("street_number", "street_name", "city", "postal_code")
# Where a home listed in chat is: Doorstep reads UK postcodes, so these hold for every one of them.
_COUNTRY, _CURRENCY, _TIME_ZONE = "GB", "GBP", "Europe/London"


async def draft_of(session: AsyncSession, person_id: int, *, lock: bool = False) -> ListingDraft | None:
    """The person's unfinished listing, if they have one (locked for this transaction when asked)."""
    query = select(ListingDraft).where(ListingDraft.person_id == person_id)
    return await session.scalar(query.with_for_update() if lock else query)


async def open_draft(session: AsyncSession, person: Person, now: datetime) -> ListingDraft:
    """The person's draft, started empty when they have none; listing a home needs a proven phone."""
    require_verified(person)
    draft = await draft_of(session, person.id, lock=True)
    if draft is None:
        draft = ListingDraft(person_id=person.id, fields={}, photos=[], created_at=now, updated_at=now)
        session.add(draft)
        await session.flush()
    return draft


async def discard_draft(session: AsyncSession, person_id: int) -> bool:
    """Drop the person's draft; False when there was none."""
    draft = await draft_of(session, person_id, lock=True)
    if draft is None:
        return False
    await session.delete(draft)
    return True


def address_of(draft: ListingDraft) -> Address:
    """The address told so far."""
    fields = draft.fields or {}
    return Address(*(fields.get(part) for part in (*ADDRESS_PARTS, "unit", "district")))


def next_step(draft: ListingDraft) -> str | None:
    """The first thing the draft still lacks, in STEPS order; None when it is ready to publish."""
    fields = draft.fields or {}
    for step in STEPS:
        if step == "address":
            if address_of(draft).missing:
                return step
        elif step == "photos":
            if not fields.get("photos_done"):
                return step
        elif step not in fields:
            return step
    return None


def fill(draft: ListingDraft, now: datetime, **values: Any) -> None:
    """Note answers on the draft (None for one skipped); a new JSON value, so the change is saved."""
    draft.fields = {**(draft.fields or {}), **values}
    draft.updated_at = now


def unfill(draft: ListingDraft, step: str, now: datetime) -> None:
    """Forget a step's answer so it is asked again (Edit on the summary); photos start over."""
    fields = dict(draft.fields or {})
    names = (*ADDRESS_PARTS, "unit", "district") if step == "address" else (step,)
    for name in names:
        fields.pop(name, None)
    if step == "photos":
        fields.pop("photos_done", None)
        draft.photos = []
    if step == "property_sub_type":
        fields.pop("bedrooms_total", None)  # a house needs a bedroom a flat may not: ask again
    draft.fields = fields
    draft.updated_at = now


def add_photo(draft: ListingDraft, photo: Photo, now: datetime) -> int:
    """Add a photo after those sent before; returns how many the draft has. Past MAX_PHOTOS is refused."""
    photos = list(draft.photos or [])
    if len(photos) >= MAX_PHOTOS:
        raise TooManyPhotos()
    draft.photos = [*photos, photo.to_json()]
    draft.updated_at = now
    return len(draft.photos)


def photos_of(draft: ListingDraft) -> list[Photo]:
    """The draft's photos in the order sent; the first is the cover."""
    return [Photo.from_json(item) for item in draft.photos or []]


async def publish(session: AsyncSession, person: Person, now: datetime) -> Listing:
    """Put the person's finished draft on the market (Active) and drop the draft.

    The lister is its seller, or its broker when they are one; a seller is granted the seller role.
    """
    require_verified(person)
    draft = await draft_of(session, person.id, lock=True)
    if draft is None or next_step(draft) is not None:
        raise DraftIncomplete()
    listing = listing_from(draft, person, now)
    session.add(listing)
    if listing.seller_id is not None:
        grant_role(person, Role.SELLER, now)
    await session.delete(draft)
    await session.flush()
    record(session, ListingPublished(listing.id, by=person.id))
    return listing


def street_line(address: Address) -> str:
    """The address's first line (flat, number and street), as listings show it above the town."""
    street = " ".join(part for part in (address.street_number, address.street_name) if part)
    return ", ".join(part for part in (address.unit, street) if part)


def listing_from(draft: ListingDraft, person: Person, now: datetime) -> Listing:
    """The listing a finished draft describes, on the market from `now`."""
    fields, address = draft.fields, address_of(draft)
    key = f"DS-{secrets.token_hex(4).upper()}"
    price = Decimal(fields["list_price"])
    area = fields.get("living_area")
    as_broker = person.has_role(Role.BROKER)
    photos = photos_of(draft)
    listing = Listing(
        listing_key=key,
        listing_id=key,
        standard_status=StandardStatus.ACTIVE,
        list_price=price,
        original_list_price=price,
        currency_code=_CURRENCY,
        property_type=PROPERTY_TYPE,
        property_sub_type=SUB_TYPES[fields["property_sub_type"]],
        bedrooms_total=fields["bedrooms_total"],
        bathrooms_total_integer=fields["bathrooms_total_integer"],
        living_area=Decimal(area) if area is not None else None,
        living_area_units="sqm" if area is not None else None,
        unparsed_address=street_line(address),
        street_number=address.street_number,
        street_name=address.street_name,
        city=address.city,
        subdivision_name=address.district,
        postal_code=address.postal_code,
        country=_COUNTRY,
        public_remarks=fields.get("public_remarks"),
        time_zone=_TIME_ZONE,
        seller_id=None if as_broker else person.id,
        broker_id=person.id if as_broker else None,
        on_market_timestamp=now,
        modification_timestamp=now,
        photos_change_timestamp=now if photos else None,
        source=Source.CHAT,
    )
    set_media(listing, photos)
    return listing
