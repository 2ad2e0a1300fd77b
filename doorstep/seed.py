"""Demo listings for the embedded mode and for trying a fresh install: `doorstep seed-demo`."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.listings.model import Listing, ListingMedia, Source, StandardStatus
from core.viewings.availability import give_default_hours
from core.viewings.model import ViewingSettings
from doorstep.seed_people import confirms_viewings, give_demo_listings_sellers, seed_demo_people

PHOTO_BASE = "https://demo.doorstep.homes/photos"

_DEMO: list[dict[str, Any]] = [
    dict(
        key="DS-LDS-001",
        price=285000,
        type="Residential",
        sub="Flat",
        beds=2,
        baths=1,
        area=75,
        address="14 Cardigan Road",
        city="Leeds",
        sub_area="Headingley",
        postcode="LS6 3AG",
        days=2,
        remarks="Bright second-floor flat with a south-facing balcony, ten minutes' walk from the park.",
    ),
    dict(
        key="DS-LDS-002",
        price=425000,
        type="Residential",
        sub="Semi-detached house",
        beds=3,
        baths=2,
        area=118,
        address="7 Weetwood Lane",
        city="Leeds",
        sub_area="Far Headingley",
        postcode="LS16 5NP",
        days=5,
        remarks="Family home with a long garden, off-street parking and a loft ready to convert.",
    ),
    dict(
        key="DS-LDS-003",
        price=189950,
        type="Residential",
        sub="Terraced house",
        beds=2,
        baths=1,
        area=68,
        address="31 Harold Grove",
        city="Leeds",
        sub_area="Hyde Park",
        postcode="LS6 1PH",
        days=9,
        remarks="Through terrace close to the university, new boiler and double glazing throughout.",
    ),
    dict(
        key="DS-LDS-004",
        price=650000,
        type="Residential",
        sub="Detached house",
        beds=4,
        baths=3,
        area=190,
        address="2 Park Avenue",
        city="Leeds",
        sub_area="Roundhay",
        postcode="LS8 2JH",
        days=12,
        remarks="Edwardian house opposite Roundhay Park with a kitchen-garden room and a double garage.",
    ),
    dict(
        key="DS-LDS-005",
        price=159000,
        type="Residential",
        sub="Flat",
        beds=1,
        baths=1,
        area=48,
        address="Apartment 9, 20 Wharf Street",
        city="Leeds",
        sub_area="City Centre",
        postcode="LS2 7EQ",
        days=15,
        remarks="Warehouse conversion in the Calls with exposed brick and a river view.",
    ),
    dict(
        key="DS-LDS-006",
        price=235000,
        type="Residential",
        sub="Terraced house",
        beds=3,
        baths=1,
        area=92,
        address="88 Kirkstall Lane",
        city="Leeds",
        sub_area="Kirkstall",
        postcode="LS5 3BE",
        days=20,
        remarks="Stone terrace with a cellar, a sunny yard and easy access to the train station.",
    ),
    dict(
        key="DS-MAN-001",
        price=310000,
        type="Residential",
        sub="Flat",
        beds=2,
        baths=2,
        area=82,
        address="Flat 41, 1 Ancoats Street",
        city="Manchester",
        sub_area="Ancoats",
        postcode="M4 6AE",
        days=3,
        remarks="Corner apartment with floor-to-ceiling windows, a concierge and a residents' roof terrace.",
    ),
    dict(
        key="DS-MAN-002",
        price=495000,
        type="Residential",
        sub="Semi-detached house",
        beds=4,
        baths=2,
        area=140,
        address="19 Beech Road",
        city="Manchester",
        sub_area="Chorlton",
        postcode="M21 9EQ",
        days=7,
        remarks="Victorian semi on Chorlton's favourite street, with a cellar and a landscaped garden.",
    ),
    dict(
        key="DS-LON-001",
        price=725000,
        type="Residential",
        sub="Flat",
        beds=2,
        baths=1,
        area=71,
        address="Flat 3, 54 Mare Street",
        city="London",
        sub_area="Hackney",
        postcode="E8 4RP",
        days=1,
        remarks="Period conversion with high ceilings and a private garden, five minutes from London Fields.",
    ),
    dict(
        key="DS-BRS-001",
        price=375000,
        type="Residential",
        sub="Terraced house",
        beds=3,
        baths=1,
        area=96,
        address="12 Raleigh Road",
        city="Bristol",
        sub_area="Southville",
        postcode="BS3 1QR",
        days=4,
        remarks="Colourful terrace near North Street with a kitchen extension and a low-maintenance garden.",
    ),
]


def _listing(item: dict[str, Any], now: datetime) -> Listing:
    listed = now - timedelta(days=item["days"])
    return Listing(
        listing_key=item["key"],
        listing_id=item["key"],
        standard_status=StandardStatus.ACTIVE,
        list_price=Decimal(item["price"]),
        original_list_price=Decimal(item["price"]),
        currency_code="GBP",
        property_type=item["type"],
        property_sub_type=item["sub"],
        bedrooms_total=item["beds"],
        bathrooms_total_integer=item["baths"],
        living_area=Decimal(item["area"]),
        living_area_units="sqm",
        unparsed_address=item["address"],
        city=item["city"],
        subdivision_name=item["sub_area"],
        postal_code=item["postcode"],
        country="GB",
        public_remarks=item["remarks"],
        time_zone="Europe/London",
        minimum_offer_percent=90,
        on_market_timestamp=listed,
        modification_timestamp=listed,
        source=Source.DEMO,
        media=[
            ListingMedia(media_url=f"{PHOTO_BASE}/{item['key'].lower()}-{n}.jpg", order=n) for n in (1, 2)
        ],
    )


async def seed_demo_listings(session: AsyncSession, now: datetime, *, with_sellers: bool = False) -> int:
    """Add the demo listings that are missing; returns how many were added (running twice adds none).

    `with_sellers` adds the demo sellers and broker too, and hands them the demo homes nobody manages.
    """
    existing = set(await session.scalars(select(Listing.listing_key)))
    added = [_listing(item, now) for item in _DEMO if item["key"] not in existing]
    session.add_all(added)
    await session.flush()
    if with_sellers:
        await give_demo_listings_sellers(session, await seed_demo_people(session, now))
    return len(added)


async def seed_demo_viewing_hours(session: AsyncSession, now: datetime) -> int:
    """The hours a published home starts with, for demo listings that have none.

    Bookings are confirmed at once, except on homes whose demo seller confirms each viewing; a home
    without a seller always books at once, as nobody would answer a request.
    """
    have = select(ViewingSettings.listing_id)
    listings = list(await session.scalars(select(Listing).where(Listing.id.not_in(have))))
    for listing in listings:
        instant = listing.seller_id is None or not confirms_viewings(listing.listing_key)
        await give_default_hours(session, listing.id, now, instant=instant)
    return len(listings)
