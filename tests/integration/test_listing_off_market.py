"""A home withdrawn, sold or repriced: its offers and viewings to come close with it (or stay, on a new
price), and everyone concerned hears, each once, in words that say what happened; whoever acted is not
told.

The home has a confirmed viewing tomorrow, a request waiting, a viewing last week, a slot someone is holding,
and two buyers with live offers (one of them also the confirmed viewer).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bots.channels.text_limits import SMS_TEXT_AIM
from bots.flows.announce import notices_of
from bots.outbound.notify import send_notices
from core.events import Event, settle
from core.listings.actions import reprice, set_listing_status
from core.listings.events import ListingRelisted, ListingRepriced, ListingSold, ListingWithdrawn
from core.listings.model import Listing, StandardStatus
from core.message_log.model import OutboxMessage
from core.offers.events import OfferClosedWithListing
from core.offers.model import Offer, OfferEvent
from core.people.model import Person
from core.viewings.actions import confirm, hold, submit
from core.viewings.availability import give_default_hours
from core.viewings.events import ViewingClosedWithListing
from core.viewings.model import Viewing
from doorstep.admin import withdraw
from tests.integration.test_offer_rules import BACKENDS, LISTING, Cast, act, cast, offering
from tests.support import PUBLIC_BASE_URL, Platform

Change = Callable[[AsyncSession, datetime], Awaitable[object]]


def at(day: int, hour: int, minute: int = 0) -> datetime:
    """A moment of November 2026, when Leeds keeps UTC."""
    return datetime(2026, 11, day, hour, minute, tzinfo=UTC)


@dataclass(frozen=True)
class Home:
    """The people around 14 Cardigan Road (DS-LDS-001, £285,000) and what each has going on it."""

    people: Cast
    confirmed: int  # buyer 0's viewing tomorrow at 11:30, confirmed by the seller
    pending: int  # buyer 1's request for tomorrow at 14:30
    past: int  # buyer 2's viewing last Saturday
    held: int  # buyer 3 is holding tomorrow at 13:00
    offers: tuple[int, int]  # buyer 0's £260,000 and buyer 4's £270,000

    def buyer(self, n: int) -> int:
        return self.people.buyers[n]


async def book(platform: Platform, buyer: int, start: datetime, now: datetime, *, steps: int) -> int:
    """The buyer holds `start` (steps 1), sends the request (2), and the seller confirms it (3)."""
    async with platform.sessions() as session, session.begin():
        person = await session.get_one(Person, buyer)
        viewing = await hold(session, person, LISTING, start, now)
        if steps > 1:
            await submit(session, person, viewing.id, 1, now)
        if steps > 2:
            listing = await session.get_one(Listing, viewing.listing_id)
            await confirm(session, await session.get_one(Person, listing.seller_id), viewing.id, now)
        await settle(session, now)
        return viewing.id


async def home(platform: Platform) -> Home:
    """The home with its default viewing hours, and the buyers' viewings and offers on it."""
    people = await cast(platform, buyers=5)
    now = platform.clock.now()
    async with platform.sessions() as session, session.begin():
        listing_id = await session.scalar(select(Listing.id).where(Listing.listing_key == LISTING))
        assert listing_id is not None
        assert await give_default_hours(session, listing_id, at(1, 9))
    past = await book(platform, people.buyers[2], at(14, 10), at(10, 9), steps=3)
    confirmed = await book(platform, people.buyers[0], at(21, 11, 30), now, steps=3)
    pending = await book(platform, people.buyers[1], at(21, 14, 30), now, steps=2)
    held = await book(platform, people.buyers[3], at(21, 13), now, steps=1)
    first = await act(platform, people.buyers[0], offering("260000"))
    second = await act(platform, people.buyers[4], offering("270000"))
    return Home(people, confirmed, pending, past, held, (first.id, second.id))


async def change(platform: Platform, person_id: int, step: Callable[..., Awaitable[object]]) -> list[Event]:
    """The person changes the listing in one transaction, as a turn or a job does; the domain reacts and
    what every event owes is queued. Returns the events, in the order they happened."""
    now = platform.clock.advance(minutes=1)
    adapters = platform.runtime.adapters()
    async with platform.sessions() as session, session.begin():
        person = await session.get_one(Person, person_id)
        await step(session, person, now)
        events = await settle(session, now)
        notices = await notices_of(session, events)
        await send_notices(session, platform.runtime.texts, adapters, notices, now, PUBLIC_BASE_URL)
    for adapter in adapters.values():
        await adapter.aclose()
    return events


def to_status(status: StandardStatus, close_price: Decimal | None = None) -> Callable[..., Awaitable[object]]:
    async def step(session: AsyncSession, person: Person, now: datetime) -> object:
        return await set_listing_status(session, person, LISTING, status, now, close_price=close_price)

    return step


def to_price(price: str) -> Callable[..., Awaitable[object]]:
    async def step(session: AsyncSession, person: Person, now: datetime) -> object:
        return await reprice(session, person, LISTING, Decimal(price), now)

    return step


async def told(platform: Platform, since: int = 0) -> list[tuple[int, str, str]]:
    """Who was told what, in the order it was queued: (person, kind, text); SMS within its aim."""
    rows = await platform.rows(OutboxMessage, OutboxMessage.id > since)
    assert all(len(row.text) <= SMS_TEXT_AIM for row in rows if row.channel == "sms")
    return [(row.person_id, row.kind, row.text) for row in rows]


async def last_outbox_id(platform: Platform) -> int:
    rows = await platform.rows(OutboxMessage)
    return rows[-1].id if rows else 0


async def viewing_rows(platform: Platform, h: Home) -> dict[str, tuple[object, ...]]:
    """Each viewing's (status, cancelled by, reason), by its name in `Home`."""
    rows = {v.id: v for v in await platform.rows(Viewing)}
    return {
        name: (rows[vid].status, rows[vid].cancelled_by, rows[vid].cancel_reason)
        for name, vid in (
            ("confirmed", h.confirmed),
            ("pending", h.pending),
            ("past", h.past),
            ("held", h.held),
        )
    }


async def offer_rows(platform: Platform, h: Home) -> list[tuple[object, ...]]:
    """The two offers' statuses and their last audit event (kind, side, detail)."""
    offers = {o.id: o.status for o in await platform.rows(Offer)}
    last = {e.offer_id: (e.kind, e.side, e.detail) for e in await platform.rows(OfferEvent)}
    return [(offers[oid], *last[oid]) for oid in h.offers]


OFFER_CLOSED = (
    "14 Cardigan Road has been {}, so your offer of {} is closed. You are free to offer on another home."
)
WITHDRAWN_BY_SAM = (
    "Sam (the seller) took 14 Cardigan Road off the market. "
    "Any open offers and viewings on it are called off, and their buyers told."
)
VIEWING_CLOSED = (
    "14 Cardigan Road has been {}, so your viewing on {} is cancelled. You are free to view other homes."
)


@BACKENDS
async def test_the_seller_withdraws_the_home_its_offers_and_viewings_to_come_close_and_buyers_and_broker_hear(
    platform: Platform,
) -> None:
    h = await home(platform)
    seller, broker = h.people.seller, h.people.broker
    since = await last_outbox_id(platform)

    events = await change(platform, seller, to_status(StandardStatus.WITHDRAWN))

    [listing] = await platform.rows(Listing, Listing.listing_key == LISTING)
    assert events == [
        ListingWithdrawn(listing.id, by=seller),
        OfferClosedWithListing(h.offers[0], listing.id, "listing withdrawn"),
        OfferClosedWithListing(h.offers[1], listing.id, "listing withdrawn"),
        ViewingClosedWithListing(h.confirmed, listing.id, "listing withdrawn"),
        ViewingClosedWithListing(h.pending, listing.id, "listing withdrawn"),
    ]
    assert listing.standard_status == "Withdrawn"
    assert await viewing_rows(platform, h) == {
        "confirmed": ("cancelled", "system", "listing withdrawn"),
        "pending": ("cancelled", "system", "listing withdrawn"),
        "past": ("confirmed", None, None),
        "held": ("expired", None, None),
    }
    assert await offer_rows(platform, h) == [("rejected", "closed", "system", "listing withdrawn")] * 2
    assert await told(platform, since) == [
        (broker, "listings.withdrawn_by", WITHDRAWN_BY_SAM),
        (h.buyer(0), "offers.off_market", OFFER_CLOSED.format("taken off the market", "£260,000")),
        (h.buyer(4), "offers.off_market", OFFER_CLOSED.format("taken off the market", "£270,000")),
        (
            h.buyer(0),
            "viewings.off_market",
            VIEWING_CLOSED.format("taken off the market", "Sat 21 Nov, 11:30"),
        ),
        (
            h.buyer(1),
            "viewings.off_market",
            VIEWING_CLOSED.format("taken off the market", "Sat 21 Nov, 14:30"),
        ),
    ]

    # Back on the market, the broker hears of it; what was called off stays so, and no buyer is told.
    since = await last_outbox_id(platform)
    events = await change(platform, seller, to_status(StandardStatus.ACTIVE))
    assert events == [ListingRelisted(listing.id, by=seller)]
    assert await told(platform, since) == [
        (
            broker,
            "listings.relisted_by",
            "Sam (the seller) put 14 Cardigan Road back on the market: "
            "buyers can find it, book viewings and make offers again.",
        )
    ]
    assert (await viewing_rows(platform, h))["confirmed"] == ("cancelled", "system", "listing withdrawn")


@BACKENDS
async def test_the_broker_marks_the_home_sold_and_the_buyers_hear_it_was_sold_and_the_seller_for_how_much(
    platform: Platform,
) -> None:
    h = await home(platform)
    seller, broker = h.people.seller, h.people.broker
    since = await last_outbox_id(platform)

    events = await change(platform, broker, to_status(StandardStatus.CLOSED, Decimal("280000")))

    [listing] = await platform.rows(Listing, Listing.listing_key == LISTING)
    assert events == [
        ListingSold(listing.id, Decimal("280000"), by=broker),
        OfferClosedWithListing(h.offers[0], listing.id, "listing sold"),
        OfferClosedWithListing(h.offers[1], listing.id, "listing sold"),
        ViewingClosedWithListing(h.confirmed, listing.id, "listing sold"),
        ViewingClosedWithListing(h.pending, listing.id, "listing sold"),
    ]
    assert (listing.standard_status, listing.close_price) == ("Closed", Decimal("280000"))
    assert await viewing_rows(platform, h) == {
        "confirmed": ("cancelled", "system", "listing sold"),
        "pending": ("cancelled", "system", "listing sold"),
        "past": ("confirmed", None, None),
        "held": ("expired", None, None),
    }
    assert await offer_rows(platform, h) == [("rejected", "closed", "system", "listing sold")] * 2
    assert await told(platform, since) == [
        (
            seller,
            "listings.sold_by",
            "Bo (your broker) marked 14 Cardigan Road sold for £280,000. "
            "Any open offers and viewings on it are called off, and their buyers told.",
        ),
        (h.buyer(0), "offers.sold", OFFER_CLOSED.format("sold", "£260,000")),
        (h.buyer(4), "offers.sold", OFFER_CLOSED.format("sold", "£270,000")),
        (h.buyer(0), "viewings.off_market", VIEWING_CLOSED.format("sold", "Sat 21 Nov, 11:30")),
        (h.buyer(1), "viewings.off_market", VIEWING_CLOSED.format("sold", "Sat 21 Nov, 14:30")),
    ]


@BACKENDS
async def test_a_withdrawn_home_sold_later_closes_nothing_twice_and_tells_only_the_other_manager(
    platform: Platform,
) -> None:
    h = await home(platform)
    await change(platform, h.people.seller, to_status(StandardStatus.WITHDRAWN))
    since = await last_outbox_id(platform)

    events = await change(platform, h.people.seller, to_status(StandardStatus.CLOSED))

    [listing] = await platform.rows(Listing, Listing.listing_key == LISTING)
    assert events == [ListingSold(listing.id, None, by=h.people.seller)]
    assert await told(platform, since) == [
        (
            h.people.broker,
            "listings.sold_by",
            "Sam (the seller) marked 14 Cardigan Road sold. "
            "Any open offers and viewings on it are called off, and their buyers told.",
        )
    ]


@BACKENDS
async def test_a_new_price_reaches_each_buyer_with_an_offer_or_a_viewing_to_come_once_and_the_broker(
    platform: Platform,
) -> None:
    h = await home(platform)
    since = await last_outbox_id(platform)

    events = await change(platform, h.people.seller, to_price("270000"))

    [listing] = await platform.rows(Listing, Listing.listing_key == LISTING)
    assert events == [ListingRepriced(listing.id, Decimal("285000"), Decimal("270000"), by=h.people.seller)]
    assert (listing.list_price, listing.original_list_price, listing.standard_status) == (
        Decimal("270000"),
        Decimal("285000"),
        "Active",
    )
    assert await viewing_rows(platform, h) == {
        "confirmed": ("confirmed", None, None),
        "pending": ("pending", None, None),
        "past": ("confirmed", None, None),
        "held": ("held", None, None),
    }
    assert [status for status, *_ in await offer_rows(platform, h)] == ["pending", "pending"]
    now_price = "The asking price of 14 Cardigan Road is now £270,000 (it was £285,000)."
    assert await told(platform, since) == [
        (
            h.buyer(0),
            "listings.repriced_buyer",
            f"{now_price} Your offer of £260,000 stands as it was. "
            "Your viewing on Sat 21 Nov, 11:30 is unchanged.",
        ),
        (
            h.buyer(1),
            "listings.repriced_buyer",
            f"{now_price} Your viewing on Sat 21 Nov, 14:30 is unchanged.",
        ),
        (h.buyer(4), "listings.repriced_buyer", f"{now_price} Your offer of £270,000 stands as it was."),
        (
            h.people.broker,
            "listings.repriced_by",
            "Sam (the seller) changed the asking price of 14 Cardigan Road from £285,000 to £270,000.",
        ),
    ]

    # A second change is a second notice (not taken for a retry of the first); the first price stays original.
    since = await last_outbox_id(platform)
    await change(platform, h.people.broker, to_price("265000"))
    [listing] = await platform.rows(Listing, Listing.listing_key == LISTING)
    assert listing.original_list_price == Decimal("285000")
    assert [(person, kind) for person, kind, _ in await told(platform, since)] == [
        (h.buyer(0), "listings.repriced_buyer"),
        (h.buyer(1), "listings.repriced_buyer"),
        (h.buyer(4), "listings.repriced_buyer"),
        (h.people.seller, "listings.repriced_by"),
    ]


WITHDRAWN_BY_DOORSTEP = (
    "Doorstep took 14 Cardigan Road off the market. "
    "Any open offers and viewings on it are called off, and their buyers told."
)


@pytest.mark.parametrize("way", ["chat", "admin"])
async def test_the_seller_in_chat_and_an_operator_withdraw_through_the_one_action_with_all_it_brings(
    platform: Platform, way: str
) -> None:
    h = await home(platform)
    seller, broker = h.people.seller, h.people.broker
    since = await last_outbox_id(platform)

    if way == "chat":
        await platform.converse("/start")
        await platform.converse(tap="listings:show")
        await platform.converse(tap=f"listing:open:{LISTING}")
        await platform.converse(tap=f"listings:withdraw:{LISTING}")
        managers = [(broker, "listings.withdrawn_by", WITHDRAWN_BY_SAM)]
    else:
        done = await withdraw(platform.runtime, LISTING)
        assert done == f"{LISTING} is withdrawn; 2 open offers closed, 2 viewings called off."
        managers = [
            (seller, "listings.withdrawn_by", WITHDRAWN_BY_DOORSTEP),
            (broker, "listings.withdrawn_by", WITHDRAWN_BY_DOORSTEP),
        ]

    own_screens = {"welcome", "listings.mine", "listings.one", "listings.withdrawn"}  # the seller's own
    assert [t for t in await told(platform, since) if t[1] not in own_screens] == [
        *managers,
        (h.buyer(0), "offers.off_market", OFFER_CLOSED.format("taken off the market", "£260,000")),
        (h.buyer(4), "offers.off_market", OFFER_CLOSED.format("taken off the market", "£270,000")),
        (
            h.buyer(0),
            "viewings.off_market",
            VIEWING_CLOSED.format("taken off the market", "Sat 21 Nov, 11:30"),
        ),
        (
            h.buyer(1),
            "viewings.off_market",
            VIEWING_CLOSED.format("taken off the market", "Sat 21 Nov, 14:30"),
        ),
    ]
    assert await viewing_rows(platform, h) == {
        "confirmed": ("cancelled", "system", "listing withdrawn"),
        "pending": ("cancelled", "system", "listing withdrawn"),
        "past": ("confirmed", None, None),
        "held": ("expired", None, None),
    }
    assert await offer_rows(platform, h) == [("rejected", "closed", "system", "listing withdrawn")] * 2


async def test_my_viewings_shows_a_viewing_called_off_with_its_home_and_why(platform: Platform) -> None:
    h = await home(platform)
    await change(platform, h.people.broker, to_status(StandardStatus.CLOSED))
    buyer_phone = "+447700900300"  # buyer 0, on SMS
    await platform.text("sms", "menu", From=buyer_phone)
    [mine] = await platform.text("sms", "2", From=buyer_phone)
    assert mine.params["Body"] == (
        "Past and called off:\n"
        "1. Sat 21 Nov, 11:30, 14 Cardigan Road (cancelled: the home was sold)\n\n"
        "1 Viewing 1\n2 Menu\nReply 1 or 2"
    )
    [detail] = await platform.text("sms", "1", From=buyer_phone)
    assert detail.params["Body"] == (
        "Viewing of 14 Cardigan Road, Headingley, Leeds LS6 3AG\n"
        "Sat 21 Nov, 11:30, 1 person\n"
        "Status: cancelled: the home was sold\n\n"
        "1 My viewings\n2 Menu\nReply 1 or 2"
    )
