"""An MLS feed flows into Doorstep over the RESO Web API: every record once, in order, changes as events."""

from __future__ import annotations

import socket
from collections import Counter
from collections.abc import AsyncIterator
from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import update

from core.feeds.changes import listing_key_for
from core.feeds.model import Feed
from core.listings.model import Listing
from core.offers.actions import Terms, make_offer
from core.offers.model import Offer
from core.offers.steps import Actor
from core.people.model import Person
from core.viewings.model import ViewingSettings
from tests.conftest import PlatformStarter
from tests.fakes.reso import FakeReso
from tests.fakes.reso_records import make_media, make_record
from tests.reso_support import (
    SYSTEM,
    T0,
    feed_listings,
    feed_row,
    feeds_env,
    put_records,
    raw_rows,
    spread,
    sync,
)
from tests.support import Platform


@pytest.fixture
async def fake() -> AsyncIterator[FakeReso]:
    """A feed that pages by nextLink, 100 records a page."""
    async with FakeReso(page_size=100, max_top=100) as server:
        yield server


@pytest.fixture
async def platform(start_platform: PlatformStarter, fake: FakeReso) -> AsyncIterator[Platform]:
    """The platform with the fake feed configured, photos not fetched unless a test asks."""
    async with start_platform(RESO_FEEDS=feeds_env(fake, media=False)) as running:
        yield running


async def test_a_first_sync_imports_every_record_with_its_fields_and_a_cursor_at_the_last(
    platform: Platform, fake: FakeReso
) -> None:
    keys = spread(fake, range(1, 251))

    report = await sync(platform)

    assert (report.counts, report.pages, report.finished) == (Counter(created=250), 3, True)
    assert report.error is None
    listings = await feed_listings(platform)
    assert sorted(listings) == sorted(keys)
    first = listings["FMLS0000001"]
    record = fake.get("FMLS0000001")
    assert record is not None
    assert (first.listing_key, first.listing_id, first.source) == (
        listing_key_for(SYSTEM, "FMLS0000001"),
        "L000001",
        "reso:FakeMLS",
    )
    assert (first.standard_status, first.list_price, first.city, first.postal_code) == (
        "Active",
        Decimal(record["ListPrice"]),
        record["City"],
        record["PostalCode"],
    )
    assert (first.feed_modification_timestamp, first.modification_timestamp) == (T0, platform.clock.now())
    feed = await feed_row(platform)
    assert (feed.cursor_timestamp, feed.cursor_key) == (T0 + timedelta(seconds=249), "FMLS0000250")
    assert (feed.imported, feed.failed, feed.withdrawn, feed.last_error) == (250, 0, 0, None)
    assert [row.outcome for row in await raw_rows(platform)] == ["created"] * 250
    hours = await platform.rows(ViewingSettings)
    # A home nobody in Doorstep answers for books at once: nobody would confirm a request.
    assert {h.instant for h in hours if h.listing_id in {x.id for x in listings.values()}} == {True}


async def test_paging_without_next_links_goes_on_after_the_last_record_read(
    start_platform: PlatformStarter,
) -> None:
    async with (
        FakeReso(paging="skip", max_top=100) as fake,
        start_platform(RESO_FEEDS=feeds_env(fake, media=False)) as platform,
    ):
        spread(fake, range(1, 251))
        report = await sync(platform)
        assert report.counts == Counter(created=250)
        filters = [r.query.get("$filter") for r in fake.data_requests]
        assert filters == [
            None,
            "ModificationTimestamp ge 2026-11-01T09:01:39Z and "
            "(ModificationTimestamp gt 2026-11-01T09:01:39Z or ListingKey gt 'FMLS0000100')",
            "ModificationTimestamp ge 2026-11-01T09:03:19Z and "
            "(ModificationTimestamp gt 2026-11-01T09:03:19Z or ListingKey gt 'FMLS0000200')",
        ]
        assert {r.query.get("$skip") for r in fake.data_requests} == {None}
        assert {r.query["$orderby"] for r in fake.data_requests} == {"ModificationTimestamp,ListingKey"}
        assert len(await feed_listings(platform)) == 250


@pytest.mark.parametrize("paging", ["nextlink", "skip"])
async def test_five_hundred_records_of_one_instant_across_pages_are_each_read_once(
    start_platform: PlatformStarter, paging: str
) -> None:
    async with (
        FakeReso(paging=paging, max_top=100, page_size=100) as fake,
        start_platform(  # type: ignore[arg-type]
            RESO_FEEDS=feeds_env(fake, media=False)
        ) as platform,
    ):
        keys = put_records(fake, range(1, 501))
        report = await sync(platform)
        assert report.counts == Counter(created=500)
        kept = [row.listing_key for row in await raw_rows(platform)]
        assert sorted(kept) == sorted(keys)
        assert len(await feed_listings(platform)) == 500


async def test_a_sync_with_nothing_new_asks_once_and_changes_nothing(
    platform: Platform, fake: FakeReso
) -> None:
    spread(fake, range(1, 151))
    await sync(platform)
    before = (len(fake.data_requests), len(await raw_rows(platform)))
    platform.clock.advance(minutes=15)

    report = await sync(platform)

    assert (report.counts, report.pages, report.finished) == (Counter(), 1, True)
    assert (len(fake.data_requests), len(await raw_rows(platform))) == (before[0] + 1, before[1])
    assert (await feed_row(platform)).cursor_key == "FMLS0000150"


async def test_changes_on_the_feed_change_the_listings(platform: Platform, fake: FakeReso) -> None:
    spread(fake, range(1, 5))
    await sync(platform)
    later = T0 + timedelta(hours=2)
    record = fake.get("FMLS0000001")
    assert record is not None
    fake.put(make_record(1, later, ListPrice=record["ListPrice"] - 10000, OriginalListPrice=None))
    fake.put(make_record(2, later + timedelta(seconds=1), StandardStatus="Pending"))
    fake.put(make_record(3, later + timedelta(seconds=2), StandardStatus="Closed", ClosePrice=199000))
    fake.put(make_record(4, later + timedelta(seconds=3), PublicRemarks="Now with a new kitchen."))

    report = await sync(platform)

    assert report.counts == Counter(updated=4)
    listings = await feed_listings(platform)
    assert listings["FMLS0000001"].list_price == Decimal(record["ListPrice"] - 10000)
    assert listings["FMLS0000002"].standard_status == "Pending"
    assert (listings["FMLS0000003"].standard_status, listings["FMLS0000003"].close_price) == (
        "Closed",
        Decimal(199000),
    )
    assert listings["FMLS0000004"].public_remarks == "Now with a new kitchen."
    assert listings["FMLS0000004"].feed_modification_timestamp == later + timedelta(seconds=3)


async def test_an_older_record_never_takes_a_listing_back_in_time(platform: Platform, fake: FakeReso) -> None:
    fake.put(make_record(1, T0 + timedelta(hours=1), ListPrice=300000))
    await sync(platform)
    async with platform.sessions() as session, session.begin():
        await session.execute(update(Feed).values(cursor_timestamp=None, cursor_key=None))
    fake.put(make_record(1, T0, ListPrice=250000))

    report = await sync(platform)

    assert report.counts == Counter(unchanged=1)
    assert (await feed_listings(platform))["FMLS0000001"].list_price == Decimal(300000)
    assert [(r.outcome, r.reason) for r in await raw_rows(platform)][-1] == (
        "unchanged",
        "not newer than what was applied",
    )


async def test_deleted_and_hidden_records_take_their_homes_off_the_market(
    platform: Platform, fake: FakeReso
) -> None:
    spread(fake, range(1, 4))
    await sync(platform)
    later = T0 + timedelta(hours=1)
    fake.put(make_record(1, later, StandardStatus="Delete"))
    fake.put(make_record(2, later + timedelta(seconds=1), MlgCanView=False))
    fake.put(make_record(9, later + timedelta(seconds=2), StandardStatus="Delete"))

    report = await sync(platform)

    assert report.counts == Counter(withdrawn=2, unchanged=1)
    listings = await feed_listings(platform)
    assert {key: listing.standard_status for key, listing in listings.items()} == {
        "FMLS0000001": "Withdrawn",
        "FMLS0000002": "Withdrawn",
        "FMLS0000003": "Active",
    }
    assert [(r.listing_key, r.outcome, r.reason) for r in await raw_rows(platform)][-1] == (
        "FMLS0000009",
        "unchanged",
        "deleted before it was imported",
    )
    assert (await feed_row(platform)).withdrawn == 2


async def test_photos_are_read_when_new_and_again_only_when_their_timestamp_moves(
    start_platform: PlatformStarter, fake: FakeReso
) -> None:
    async with start_platform(RESO_FEEDS=feeds_env(fake)) as platform:
        fake.put(make_record(1, T0, PhotosChangeTimestamp="2026-10-30T08:00:00Z"))
        fake.put_media("FMLS0000001", make_media("FMLS0000001", 3, T0))
        await sync(platform)
        [listing] = (await feed_listings(platform)).values()
        assert [m.media_url for m in listing.media] == [
            f"https://media.fakemls.example/FMLS0000001/{n}.jpg" for n in (1, 2, 3)
        ]
        media_requests = sum(r.path == "/odata/Media" for r in fake.data_requests)
        assert media_requests == 1

        fake.put(make_record(1, T0 + timedelta(hours=1), PhotosChangeTimestamp="2026-10-30T08:00:00Z"))
        await sync(platform)
        assert sum(r.path == "/odata/Media" for r in fake.data_requests) == 1

        fake.put(make_record(1, T0 + timedelta(hours=2), PhotosChangeTimestamp="2026-11-01T10:00:00Z"))
        fake.put_media("FMLS0000001", make_media("FMLS0000001", 2, T0)[::-1])
        await sync(platform)
        assert sum(r.path == "/odata/Media" for r in fake.data_requests) == 2
        [listing] = (await feed_listings(platform)).values()
        assert [(m.order, m.media_url) for m in listing.media] == [
            (1, "https://media.fakemls.example/FMLS0000001/1.jpg"),
            (2, "https://media.fakemls.example/FMLS0000001/2.jpg"),
        ]


async def test_bad_records_are_kept_with_their_reason_and_the_rest_goes_on(
    platform: Platform, fake: FakeReso
) -> None:
    spread(fake, range(1, 6))
    fake.put(make_record(6, T0 + timedelta(minutes=1), ListPrice="N/A"))
    fake.put(make_record(7, T0 + timedelta(minutes=2), StandardStatus="Sold-ish"))
    fake.put(make_record(8, T0 + timedelta(minutes=3), ModificationTimestamp="2026-11-01 09:03:00"))
    fake.put(make_record(9, T0 + timedelta(minutes=4), City=None))
    spread(fake, range(10, 13), start=T0 + timedelta(minutes=5))

    report = await sync(platform)

    assert report.counts == Counter(created=9, rejected=3)
    rejected = [(r.listing_key, r.reason) for r in await raw_rows(platform) if r.outcome == "rejected"]
    assert [key for key, _ in rejected] == ["FMLS0000006", "FMLS0000007", "FMLS0000009"]
    assert all(reason for _, reason in rejected)
    listings = await feed_listings(platform)
    assert "FMLS0000008" in listings and "FMLS0000012" in listings
    assert (await feed_row(platform)).failed == 3


async def test_reconciliation_withdraws_homes_the_feed_no_longer_serves_and_imports_those_it_missed(
    platform: Platform, fake: FakeReso
) -> None:
    spread(fake, range(1, 41))
    await sync(platform)
    fake.remove("FMLS0000003")
    fake.remove("FMLS0000017")
    # A record the pages never showed: older than the cursor, as a shifting $skip page can leave one.
    fake.put(make_record(99, T0 - timedelta(days=1)))

    report = await sync(platform, reconcile=True)

    assert (report.counts, report.reconciled) == (Counter(withdrawn=2, created=1), True)
    listings = await feed_listings(platform)
    assert listings["FMLS0000003"].standard_status == "Withdrawn"
    assert listings["FMLS0000099"].standard_status == "Active"
    assert (await feed_row(platform)).last_reconciled_at == platform.clock.now()


async def test_reconciliation_refuses_to_empty_the_market_when_the_feed_answers_in_part(
    platform: Platform, fake: FakeReso
) -> None:
    keys = spread(fake, range(1, 41))
    await sync(platform)
    for key in keys[:25]:
        fake.remove(key)

    report = await sync(platform, reconcile=True)

    assert report.error is not None and report.error.startswith(
        "reconciliation would take 25 of 40 homes off the market; refused"
    )
    listings = await feed_listings(platform)
    assert {listing.standard_status for listing in listings.values()} == {"Active"}
    assert (await feed_row(platform)).last_error == report.error


async def test_a_sync_leaves_a_feed_another_live_sync_holds_and_takes_one_whose_process_died(
    platform: Platform, fake: FakeReso
) -> None:
    spread(fake, range(1, 4))
    await sync(platform)
    held_until = platform.clock.now() + timedelta(minutes=4)
    async with platform.sessions() as session, session.begin():
        await session.execute(update(Feed).values(lease_holder="elsewhere:123:abc", lease_until=held_until))
    fake.put(make_record(5, T0 + timedelta(hours=1)))

    skipped = await sync(platform)
    assert skipped.summary() == f"{SYSTEM}: another sync of this feed is running; nothing done."

    async with platform.sessions() as session, session.begin():
        dead = f"{socket.gethostname()}:{2**22 + 7}:abc"
        await session.execute(update(Feed).values(lease_holder=dead, lease_until=held_until))
    taken = await sync(platform)
    assert (taken.skipped, taken.counts) == (False, Counter(created=1))
    listing = await platform.rows(Listing, Listing.feed_listing_key == "FMLS0000005")
    assert len(listing) == 1


async def test_a_run_whose_retries_would_outlast_it_stops_with_the_error_kept(
    start_platform: PlatformStarter, fake: FakeReso
) -> None:
    async with start_platform(RESO_FEEDS=feeds_env(fake, media=False, run_seconds=5)) as platform:
        spread(fake, range(1, 4))
        fake.fail(500, times=10)

        report = await sync(platform)

        assert report.error == (
            "/odata/Property answered 500; the next try would come after this run's time, so the next run "
            "tries again"
        )
        feed = await feed_row(platform)
        assert (feed.last_error, feed.last_success_at) == (report.error, None)
        assert await feed_listings(platform) == {}


BROKER_PHONE = "+447700900444"
BUYER_PHONE = "+447700900777"


async def test_a_home_the_feed_deletes_closes_its_offer_and_tells_the_buyer_but_not_its_broker(
    start_platform: PlatformStarter, fake: FakeReso
) -> None:
    async with start_platform(
        RESO_FEEDS=feeds_env(fake, media=False, broker_phone="07700 900444")
    ) as platform:
        broker = await platform.returning(roles=("broker",), phone=BROKER_PHONE, name="Bea")
        fake.put(make_record(1, T0, ListPrice=300000, UnparsedAddress="12 Otley Road, Leeds LS6 1AA"))
        await sync(platform)
        [home] = (await feed_listings(platform)).values()
        assert (home.broker_id, home.seller_id) == (broker, None)
        [hours] = await platform.rows(ViewingSettings, ViewingSettings.listing_id == home.id)
        assert hours.instant is False  # the broker confirms each request
        buyer = await platform.returning("sms", BUYER_PHONE, name="Omar", phone=BUYER_PHONE)
        async with platform.sessions() as session, session.begin():
            person = await session.get_one(Person, buyer)
            await make_offer(
                session, Actor(person, "sms"), home.listing_key, Terms(Decimal(290000)), platform.clock.now()
            )
        await platform.deliver_all()
        seen = len(platform.twilio.calls)
        before_broker = len(platform.telegram.calls)
        fake.put(make_record(1, T0 + timedelta(hours=1), StandardStatus="Delete"))

        report = await sync(platform)
        await platform.deliver_all()

        assert report.counts == Counter(withdrawn=1)
        [offer] = await platform.rows(Offer)
        assert offer.status == "rejected"
        [told] = [c for c in platform.twilio.calls[seen:] if c.path.endswith("Messages.json")]
        assert (told.params["To"], told.params["Body"]) == (
            BUYER_PHONE,
            "12 Otley Road, Leeds LS6 1AA has been taken off the market, so your offer of £290,000 is "
            "closed. You are free to offer on another home.",
        )
        assert platform.telegram.calls[before_broker:] == []
