"""Actions record what happened; the reactions table acts on it in core; the notices tables say who is told.

Each test acts in one session, as a turn or a job does, and reads the events, the reactions' effects and
the notices owed before the session commits.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import cast

from sqlalchemy import select

from bots.flows.announce import notices_of
from core.events import record, settle, unreacted
from core.listings.events import ListingUnderContract, ListingWithdrawn
from core.listings.model import Listing
from core.offers.actions import Terms, accept, make_offer
from core.offers.events import OfferAccepted, OfferClosedWithListing, OfferExpired, OfferMade, OfferWithdrawn
from core.offers.model import OfferSide
from core.offers.steps import Actor
from core.people.events import PeopleMerged
from core.people.merging import merge_into
from core.people.model import Person
from tests.integration.test_offer_rules import LISTING, OTHER, act, offering, set_listing
from tests.integration.test_offer_rules import cast as cast_people
from tests.support import Platform


async def test_acceptance_records_the_sale_and_the_closed_offers_and_each_owes_its_notices(
    platform: Platform,
) -> None:
    people = await cast_people(platform)
    first, second = people.buyers[:2]
    closing = await act(platform, first, offering("260000"))
    accepted = await act(platform, second, offering("270000"))
    now = platform.clock.advance(minutes=5)
    async with platform.sessions() as session, session.begin():
        seller = await session.get_one(Person, people.seller)
        settled = await accept(session, Actor(seller, "telegram"), accepted.id, now)
        listing_id = settled.listing.id
        events = await settle(session, now)
        assert events == [
            OfferAccepted(accepted.id, listing_id, OfferSide.SELLER),
            ListingUnderContract(listing_id),
            OfferClosedWithListing(closing.id, listing_id, "another offer accepted"),
        ]
        notices = await notices_of(session, events)
    assert [(n.person_id, n.kind, n.dedupe_key) for n in notices] == [
        (second, "offers.agreed", f"offer:{accepted.id}:offers.agreed:{second}"),
        (first, "offers.under_offer", f"offer:{closing.id}:offers.under_offer:{first}"),
    ]
    assert notices[0].context["contacts"] == ["Sam, +44 7700 900555", "Bo, +44 7700 900556"]


async def test_an_offer_made_over_a_lapsed_one_tells_of_both_in_the_order_they_happened(
    platform: Platform,
) -> None:
    people = await cast_people(platform)
    buyer = people.buyers[0]
    lapsed = await act(platform, buyer, offering("270000"))
    now = platform.clock.advance(hours=49)
    async with platform.sessions() as session, session.begin():
        person = await session.get_one(Person, buyer)
        offer, _ = await make_offer(session, Actor(person, "sms"), OTHER, Terms(Decimal("400000")), now)
        other_id = await session.scalar(select(Listing.id).where(Listing.listing_key == OTHER))
        events = await settle(session, now)
        assert events == [
            OfferExpired(lapsed.id, lapsed.listing_id),
            OfferMade(offer.id, cast(int, other_id)),
        ]
        notices = await notices_of(session, events)
    answers = [f"offers:{a}:{offer.id}" for a in ("accept", "reject", "counter")]
    assert [(n.person_id, n.kind, [b.choice_id for b in n.buttons]) for n in notices] == [
        (buyer, "offers.expired", [f"offer:start:{LISTING}"]),
        (people.seller, "offers.expired", []),
        (people.broker, "offers.expired", []),
        (people.seller, "offers.received", answers),
        (people.broker, "offers.received", answers),
    ]


async def test_a_merge_reacts_at_once_and_its_withdrawal_is_told_to_nobody(platform: Platform) -> None:
    people = await cast_people(platform)
    survivor, other = people.buyers[:2]
    older = await act(platform, survivor, offering("270000"))
    platform.clock.advance(hours=1)
    await act(platform, other, offering("400000", OTHER))
    merged_at = platform.clock.advance(hours=1)
    async with platform.sessions() as session, session.begin():
        person = await session.get_one(Person, survivor)
        await merge_into(session, person, other, "+447700900301", merged_at)
        assert unreacted(session) == []
        events = await settle(session, merged_at + timedelta(seconds=1))
        assert events == [
            PeopleMerged(survivor, other),
            OfferWithdrawn(older.id, older.listing_id, OfferSide.SYSTEM),
        ]
        assert await notices_of(session, events) == []


async def test_a_withdrawal_of_a_listing_without_offers_or_viewings_tells_only_its_managers(
    platform: Platform,
) -> None:
    people = await cast_people(platform)
    await set_listing(platform, LISTING, standard_status="Withdrawn")
    async with platform.sessions() as session:
        listing_id = await session.scalar(select(Listing.id).where(Listing.listing_key == LISTING))
        record(session, ListingWithdrawn(cast(int, listing_id)))
        events = await settle(session, platform.clock.now())
        assert events == [ListingWithdrawn(cast(int, listing_id))]
        notices = await notices_of(session, events)
    assert [(n.person_id, n.kind) for n in notices] == [
        (people.seller, "listings.withdrawn_by"),
        (people.broker, "listings.withdrawn_by"),
    ]
