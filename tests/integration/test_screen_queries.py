"""List screens cost the same number of SQL statements for one row as for ten: one query per screen.

Each screen runs as a turn runs it, on a session of its own engine; every statement sent while it runs is
counted (`before_cursor_execute`). The seller's side sees each row with another listing and another buyer,
which is where a query per row would show.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from functools import partial
from typing import Any

import pytest
from sqlalchemy import event, select
from sqlalchemy.ext.asyncio import AsyncEngine

from bots.dialog.turn import Turn
from bots.flows.listings import listings
from bots.flows.offers import offers
from bots.flows.searches import search
from bots.flows.viewings import viewings
from bots.messages import Inbound
from bots.texts import Texts
from core.db import create_engine, session_factory
from core.dialog_state import DialogState
from core.listings.model import Listing, StandardStatus
from core.offers.model import Offer, OfferSide, OfferStatus
from core.people.model import ChannelIdentity, Person, PersonRole
from core.viewings.model import Viewing, ViewingStatus

pytestmark = pytest.mark.parametrize("backend", ["postgresql", "sqlite"])

NOW = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
TEXTS = Texts("en")
Screen = Callable[[Turn], Awaitable[None]]


@dataclass
class Shown:
    """What a screen sent and how many statements it took."""

    text: str
    buttons: list[str]
    statements: int


@pytest.fixture
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    """An engine on the test's empty database."""
    engine = create_engine(database_url)
    yield engine
    await engine.dispose()


@contextmanager
def counting(engine: AsyncEngine) -> Iterator[list[str]]:
    """Every SQL statement the engine sends inside the block."""
    sent: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        sent.append(statement)

    event.listen(engine.sync_engine, "before_cursor_execute", record)
    try:
        yield sent
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", record)


def person(name: str, phone: str, *roles: str) -> Person:
    """Someone with a proven phone, on Telegram."""
    someone = Person(
        display_name=name,
        locale="en",
        timezone="Europe/London",
        phone=phone,
        phone_verified_at=NOW,
        onboarded_at=NOW,
        created_at=NOW,
    )
    someone.roles = [PersonRole(role=role, granted_at=NOW) for role in roles]
    someone.identities = [ChannelIdentity(channel="telegram", address=phone[-9:], created_at=NOW)]
    return someone


def listing(n: int, seller: Person) -> Listing:
    """The seller's nth home in Leeds, on the market since n days ago."""
    listed = NOW - timedelta(days=n)
    return Listing(
        listing_key=f"DS-Q-{n:03d}",
        standard_status=StandardStatus.ACTIVE,
        list_price=Decimal(200_000 + n * 1000),
        currency_code="GBP",
        property_type="Residential",
        property_sub_type="Terraced house",
        bedrooms_total=3,
        unparsed_address=f"{n} Query Street",
        city="Leeds",
        country="GB",
        time_zone="Europe/London",
        seller_id=seller.id,
        on_market_timestamp=listed,
        modification_timestamp=listed,
    )


async def seller_with(engine: AsyncEngine, rows: int) -> int:
    """A seller with `rows` homes, each with one buyer's confirmed viewing and pending offer; their id."""
    async with session_factory(engine)() as session, session.begin():
        seller = person("Sam", "+447700900100", "seller")
        session.add(seller)
        await session.flush()
        for n in range(1, rows + 1):
            home, buyer = listing(n, seller), person(f"Buyer {n}", f"+4477009002{n:02d}", "buyer")
            session.add_all([home, buyer])
            await session.flush()
            start = NOW + timedelta(days=1, hours=n)
            session.add(
                Viewing(
                    listing_id=home.id,
                    buyer_id=buyer.id,
                    status=ViewingStatus.CONFIRMED,
                    starts_at=start,
                    ends_at=start + timedelta(minutes=30),
                    blocked_until=start + timedelta(minutes=30),
                    proposals=[],
                    calendar_token=f"token-{n}",
                    created_at=NOW,
                    updated_at=NOW - timedelta(minutes=n),
                )
            )
            session.add(
                Offer(
                    listing_id=home.id,
                    buyer_id=buyer.id,
                    made_by=OfferSide.BUYER,
                    made_by_person_id=buyer.id,
                    amount=home.list_price,
                    currency_code="GBP",
                    status=OfferStatus.PENDING,
                    expires_at=NOW + timedelta(hours=48),
                    created_at=NOW,
                    updated_at=NOW - timedelta(minutes=n),
                )
            )
        return seller.id


async def negotiation(engine: AsyncEngine, offers_made: int) -> tuple[int, int, int]:
    """A seller's home with one buyer's opening offer and counters up to `offers_made` offers, each answering
    the one before; the seller's id, the opening offer's id and the latest's."""
    seller_id = await seller_with(engine, 1)
    async with session_factory(engine)() as session, session.begin():
        opening = await session.scalar(select(Offer))
        assert opening is not None
        previous = opening
        for n in range(1, offers_made):
            previous.status = OfferStatus.SUPERSEDED
            side = OfferSide.SELLER if n % 2 else OfferSide.BUYER
            counter = Offer(
                listing_id=opening.listing_id,
                buyer_id=opening.buyer_id,
                made_by=side,
                made_by_person_id=seller_id if side == OfferSide.SELLER else opening.buyer_id,
                answers_id=previous.id,
                amount=opening.amount + 500 * n,
                currency_code="GBP",
                status=OfferStatus.PENDING,
                expires_at=NOW + timedelta(hours=48),
                created_at=NOW + timedelta(minutes=n),
                updated_at=NOW + timedelta(minutes=n),
            )
            session.add(counter)
            await session.flush()
            previous = counter
        return seller_id, opening.id, previous.id


async def show(engine: AsyncEngine, person_id: int, screen: Screen) -> Shown:
    """Run the screen for the person as a turn would, counting the statements it sends."""
    async with session_factory(engine)() as session, session.begin():
        someone = await session.get_one(Person, person_id)
        state = DialogState(person_id=person_id, flow="menu", step="main", data={}, choices=[], version=0)
        inbound = Inbound(channel="telegram", address=someone.identities[0].address, external_id="1")
        turn = Turn(session, someone, someone.identities[0], state, inbound, TEXTS, NOW)
        with counting(engine) as sent:
            await screen(turn)
    [reply] = turn.replies
    return Shown(reply.text, [choice.label for choice in reply.choices], len(sent))


async def empty(engine: AsyncEngine) -> None:
    """Remove every row the cases here write, for the next case."""
    async with session_factory(engine)() as session, session.begin():
        for table in ("offers", "viewings", "listings", "person_roles", "channel_identities", "persons"):
            await session.execute(Person.metadata.tables[table].delete())


async def results_in_leeds(turn: Turn) -> None:
    """Search results for Leeds, as typed after Find a home."""
    await search.on_area(turn, "Leeds")


SCREENS = {
    "my viewings": viewings.start,
    "my offers": offers.start,
    "my listings": listings.start,
    "search results": results_in_leeds,
}


@pytest.mark.parametrize("screen", list(SCREENS))
async def test_a_screen_of_ten_rows_sends_as_many_statements_as_one_of_one(
    engine: AsyncEngine, screen: str
) -> None:
    one = await show(engine, await seller_with(engine, 1), SCREENS[screen])
    await empty(engine)
    ten = await show(engine, await seller_with(engine, 10), SCREENS[screen])
    assert one.text != ten.text
    assert len(ten.buttons) > len(one.buttons)
    assert ten.statements == one.statements <= 3


async def test_an_offers_history_of_ten_sends_as_many_statements_as_one_of_one(engine: AsyncEngine) -> None:
    # From My offers (the latest offer) and from an older notice (the opening offer, followed to the latest).
    seller_id, _, latest_id = await negotiation(engine, 1)
    one = await show(engine, seller_id, partial(offers.show, offer_id=latest_id))
    await empty(engine)
    seller_id, opening_id, _ = await negotiation(engine, 2)
    two_from_opening = await show(engine, seller_id, partial(offers.show, offer_id=opening_id))
    await empty(engine)
    seller_id, opening_id, latest_id = await negotiation(engine, 10)
    ten = await show(engine, seller_id, partial(offers.show, offer_id=latest_id))
    ten_from_opening = await show(engine, seller_id, partial(offers.show, offer_id=opening_id))
    assert one.text.splitlines()[1:3] == [
        "Fri 20 Nov, 10:00: Buyer 1 offered £201,000",
        "Now: £201,000 (100% of the asking price), waiting for your answer, 2 days left",
    ]
    assert ten.text.splitlines()[1:4] == [
        "Fri 20 Nov, 10:00: Buyer 1 offered £201,000",
        "Fri 20 Nov, 10:01: you countered with £201,500",
        "Fri 20 Nov, 10:02: Buyer 1 countered with £202,000",
    ]
    assert ten.text.splitlines()[10:12] == [
        "Fri 20 Nov, 10:09: you countered with £205,500",
        "Now: £205,500 (102.2% of the asking price), waiting for the buyer, 2 days left",
    ]
    assert ten_from_opening.text == ten.text
    assert ten.statements == one.statements
    assert ten_from_opening.statements == two_from_opening.statements


async def test_my_viewings_from_the_hosts_side(engine: AsyncEngine) -> None:
    shown = await show(engine, await seller_with(engine, 10), viewings.start)
    assert shown.text.splitlines()[:3] == [
        "Your upcoming viewings:",
        "1. Sat 21 Nov, 11:00, 1 Query Street with Buyer 1 (confirmed)",
        "2. Sat 21 Nov, 12:00, 2 Query Street with Buyer 2 (confirmed)",
    ]
    # Eight upcoming, and the two after them with the past ones, as the screen has always listed them.
    assert shown.text.splitlines()[-3:] == [
        "Past and called off:",
        "9. Sat 21 Nov, 19:00, 9 Query Street with Buyer 9 (confirmed)",
        "10. Sat 21 Nov, 20:00, 10 Query Street with Buyer 10 (confirmed)",
    ]
    assert shown.buttons == [*(f"Viewing {n}" for n in range(1, 11)), "Menu"]


async def test_my_offers_from_the_sellers_side(engine: AsyncEngine) -> None:
    shown = await show(engine, await seller_with(engine, 10), offers.start)
    lines = shown.text.splitlines()
    assert lines[:2] == [
        "Offers on your listings:",
        "1. 1 Query Street: Buyer 1, £201,000, waiting for your answer, 2 days left",
    ]
    assert lines[-1] == "8. 8 Query Street: Buyer 8, £208,000, waiting for your answer, 2 days left"
    assert shown.buttons == [*(f"Offer {n}" for n in range(1, 9)), "Menu"]
