"""A home an MLS feed keeps changes only through its feed: chat's listing actions refuse it, an operator may
still take it off the market."""

from __future__ import annotations

from collections.abc import AsyncIterator
from decimal import Decimal

import pytest

from core.errors import ListingFromFeed
from core.listings.actions import change_details, reprice, set_listing_status, withdraw_listing
from core.listings.model import Listing, StandardStatus
from core.people.model import Person
from tests.conftest import PlatformStarter
from tests.fakes.reso import FakeReso
from tests.fakes.reso_records import make_record
from tests.reso_support import T0, feed_listings, feeds_env, sync
from tests.support import PHONE, Platform


@pytest.fixture
async def home(start_platform: PlatformStarter) -> AsyncIterator[tuple[Platform, Listing, int]]:
    """The platform, a home its feed brought for broker Bea, and Bea's id."""
    async with (
        FakeReso() as fake,
        start_platform(RESO_FEEDS=feeds_env(fake, media=False, broker_phone=PHONE)) as platform,
    ):
        broker = await platform.returning(roles=("broker",), phone=PHONE, name="Bea")
        fake.put(make_record(1, T0, ListPrice=300000))
        await sync(platform)
        [listing] = (await feed_listings(platform)).values()
        yield platform, listing, broker


@pytest.mark.parametrize("change", ["price", "details", "pause", "sold"])
async def test_its_broker_cannot_change_it_in_chat(home: tuple[Platform, Listing, int], change: str) -> None:
    platform, listing, broker = home
    now, key = platform.clock.now(), listing.listing_key
    async with platform.sessions() as session, session.begin():
        person = await session.get_one(Person, broker)
        with pytest.raises(ListingFromFeed) as refused:
            if change == "price":
                await reprice(session, person, key, Decimal(250000), now)
            elif change == "details":
                await change_details(session, person, key, now, bedrooms_total=9)
            elif change == "pause":
                await set_listing_status(session, person, key, StandardStatus.WITHDRAWN, now)
            else:
                await set_listing_status(session, person, key, StandardStatus.CLOSED, now)
    assert refused.value.message_key == "errors.listing_from_feed"
    [after] = await platform.rows(Listing, Listing.listing_key == key)
    assert (after.standard_status, after.list_price, after.bedrooms_total) == (
        "Active",
        Decimal(300000),
        listing.bedrooms_total,
    )


async def test_an_operator_may_still_take_it_off_the_market(home: tuple[Platform, Listing, int]) -> None:
    platform, listing, _ = home
    async with platform.sessions() as session, session.begin():
        await withdraw_listing(session, listing.listing_key, platform.clock.now())
    [after] = await platform.rows(Listing, Listing.listing_key == listing.listing_key)
    assert after.standard_status == "Withdrawn"
