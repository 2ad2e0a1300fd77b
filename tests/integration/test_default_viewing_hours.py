"""A home put on the market gets viewing hours at once (weekday evenings and Saturdays, the seller confirming
each request), shown to its seller as two lines; hours it already has are kept."""

from __future__ import annotations

from sqlalchemy import select

from core.events import record, settle
from core.listings.events import ListingPublished
from core.listings.model import Listing
from core.viewings.model import ViewingSettings
from core.viewings.queries import open_slots
from tests.integration.test_listing_off_market import at
from tests.integration.test_offer_rules import BACKENDS, LISTING, cast
from tests.support import Platform

WEEKLY = [
    *({"day": day, "start": "17:00", "end": "19:00"} for day in range(5)),
    {"day": 5, "start": "10:00", "end": "16:00"},
]


async def publish(platform: Platform, by: int) -> None:
    """The listing goes on the market, as the listings actions record it; the domain reacts."""
    async with platform.sessions() as session, session.begin():
        listing = await session.scalar(select(Listing).where(Listing.listing_key == LISTING))
        assert listing is not None
        record(session, ListingPublished(listing.id, by=by))
        await settle(session, platform.clock.now())


@BACKENDS
async def test_a_published_home_can_be_booked_on_weekday_evenings_and_saturdays_the_seller_confirming(
    platform: Platform,
) -> None:
    people = await cast(platform, buyers=0)
    await publish(platform, people.seller)

    [settings] = await platform.rows(ViewingSettings)
    assert (settings.weekly, settings.instant, settings.slot_minutes, settings.buffer_minutes) == (
        WEEKLY,
        False,
        30,
        15,
    )
    async with platform.sessions() as session:
        listing = await session.scalar(select(Listing).where(Listing.listing_key == LISTING))
        assert listing is not None
        starts = [slot.start for slot in await open_slots(session, listing, platform.clock.now())]
    # Friday 10:00 now, a day's notice: Saturday from 10:00, then Monday's evening.
    assert starts[:9] == [
        at(21, 10),
        at(21, 10, 45),
        at(21, 11, 30),
        at(21, 12, 15),
        at(21, 13),
        at(21, 13, 45),
        at(21, 14, 30),
        at(21, 15, 15),
        at(23, 17),
    ]

    await platform.converse("/start")
    await platform.converse(tap="listings:show")
    await platform.converse(tap=f"listing:open:{LISTING}")
    [hours] = await platform.converse(tap=f"hours:show:{LISTING}")
    assert hours.params["text"] == (
        "Viewing hours for 14 Cardigan Road, Headingley, Leeds LS6 3AG:\n"
        "Mondays, Tuesdays, Wednesdays, Thursdays, Fridays, 17:00-19:00\n"
        "Saturdays, 10:00-16:00\n"
        "30-minute viewings, 15 minutes apart: one can start every 45 minutes\n"
        "You confirm each booking.\n"
        "Bookable from 24 hours to 30 days ahead."
    )


async def test_hours_a_home_already_has_are_kept_when_it_is_published(platform: Platform) -> None:
    people = await cast(platform, buyers=0)
    await publish(platform, people.seller)
    async with platform.sessions() as session, session.begin():
        settings = await session.get_one(
            ViewingSettings, (await platform.rows(ViewingSettings))[0].listing_id
        )
        settings.weekly = [{"day": 2, "start": "09:00", "end": "12:00"}]
        settings.instant = True

    await publish(platform, people.seller)

    [settings] = await platform.rows(ViewingSettings)
    assert (settings.weekly, settings.instant) == ([{"day": 2, "start": "09:00", "end": "12:00"}], True)
