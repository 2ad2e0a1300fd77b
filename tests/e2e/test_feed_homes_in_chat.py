"""A broker's homes from an MLS feed in chat: shown with their feed, changed only there, booked and offered on
like any other."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from core.listings.model import Listing
from tests.conftest import PlatformStarter
from tests.fakes.reso import FakeReso
from tests.fakes.reso_records import make_record
from tests.reso_support import T0, feed_listings, feeds_env, sync
from tests.support import PHONE, Platform, buttons


@pytest.fixture
async def fake() -> AsyncIterator[FakeReso]:
    """The agency's MLS feed."""
    async with FakeReso() as server:
        yield server


@pytest.fixture
async def platform(start_platform: PlatformStarter, fake: FakeReso) -> AsyncIterator[Platform]:
    """The platform syncing the feed for the broker who confirmed PHONE."""
    async with start_platform(RESO_FEEDS=feeds_env(fake, media=False, broker_phone=PHONE)) as running:
        yield running


async def broker_opens_the_feed_home(platform: Platform, fake: FakeReso) -> Listing:
    """Bea, the agency's broker on Telegram, opens the home the feed brought from My listings."""
    await platform.returning(roles=("broker",), phone=PHONE, name="Bea")
    fake.put(make_record(1, T0, ListPrice=300000, UnparsedAddress="12 Otley Road"))
    await sync(platform)
    [home] = (await feed_listings(platform)).values()
    await platform.converse("/start")
    await platform.converse(tap="listings:show")
    return home


async def test_the_screen_names_the_feed_and_offers_no_change_the_feed_would_undo(
    platform: Platform, fake: FakeReso
) -> None:
    home = await broker_opens_the_feed_home(platform, fake)

    [screen] = await platform.converse(tap=f"listing:open:{home.listing_key}")

    text = screen.params.get("text") or screen.params["caption"]
    assert text.endswith(
        "From the FakeMLS feed (MLS number L000001): its price, details, photos and status change there."
    )
    assert buttons(screen) == [["Viewing hours", "Invite the seller"], ["My listings", "Menu"]]
