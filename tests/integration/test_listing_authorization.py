"""Taking a listing off the market and putting it back, over a real database: who may, and what stays put."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.db import create_engine, session_factory
from core.errors import DomainError, Forbidden, NotFound, StatusChangeRefused, VerificationRequired
from core.listings.actions import set_listing_status
from core.listings.model import Listing, StandardStatus
from core.listings.queries import listings_managed_by
from core.people.model import Person, PersonRole
from core.searches.places import parse_area
from core.searches.results import search_active
from doorstep.seed import seed_demo_listings

SEEDED = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
NOW = SEEDED + timedelta(hours=3)
LATER = NOW + timedelta(hours=1)
# DS-LDS-001 went on the market two days before the seed ran.
LDS_001_LISTED = SEEDED - timedelta(days=2)


@dataclass(frozen=True)
class Cast:
    """The people of these tests, by id."""

    seller: int
    broker: int
    buyer: int
    unverified_seller: int
    other_seller: int
    admin: int


@pytest.fixture
async def sessions(database_url: str) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    """Sessions on an empty migrated database with the demo listings."""
    engine = create_engine(database_url)
    factory = session_factory(engine)
    async with factory() as session, session.begin():
        await seed_demo_listings(session, SEEDED)
    yield factory
    await engine.dispose()


async def add_person(
    session: AsyncSession, name: str, roles: tuple[str, ...], phone: str | None, *, proven: bool = True
) -> int:
    person = Person(
        display_name=name,
        locale="en",
        timezone="Europe/London",
        phone=phone,
        phone_verified_at=SEEDED if phone and proven else None,
        onboarded_at=SEEDED,
        created_at=SEEDED,
    )
    person.roles = [PersonRole(role=role, granted_at=SEEDED) for role in roles]
    session.add(person)
    await session.flush()
    return person.id


@pytest.fixture
async def cast(sessions: async_sessionmaker[AsyncSession]) -> Cast:
    """DS-LDS-001 sold by a verified seller through a verified broker; DS-LDS-002 sold by someone else."""
    async with sessions() as session, session.begin():
        people = Cast(
            seller=await add_person(session, "Sally", ("seller",), "+447700900101"),
            broker=await add_person(session, "Bob", ("broker",), "+447700900102"),
            buyer=await add_person(session, "Bea", ("buyer",), "+447700900103"),
            unverified_seller=await add_person(session, "Una", ("seller",), "+447700900104", proven=False),
            other_seller=await add_person(session, "Otto", ("seller",), "+447700900105"),
            admin=await add_person(session, "Ada", ("admin",), "+447700900106"),
        )
        await session.execute(
            update(Listing)
            .where(Listing.listing_key == "DS-LDS-001")
            .values(seller_id=people.seller, broker_id=people.broker)
        )
        await session.execute(
            update(Listing).where(Listing.listing_key == "DS-LDS-002").values(seller_id=people.other_seller)
        )
        await session.execute(
            update(Listing)
            .where(Listing.listing_key == "DS-LDS-003")
            .values(seller_id=people.unverified_seller)
        )
    return people


async def attempt(
    sessions: async_sessionmaker[AsyncSession],
    person_id: int,
    listing_key: str,
    status: StandardStatus,
    now: datetime = NOW,
) -> DomainError | tuple[str, datetime]:
    """One chat turn's worth of work: try the change, and commit whatever happened, as a turn does.

    Returns the refusal, or the listing's new (status, modification time) as the service returned it.
    """
    async with sessions() as session, session.begin():
        person = await session.get(Person, person_id)
        assert person is not None
        try:
            listing = await set_listing_status(session, person, listing_key, status, now)
        except DomainError as error:
            return error
        return listing.standard_status, listing.modification_timestamp


async def stored(sessions: async_sessionmaker[AsyncSession], listing_key: str) -> tuple[str, datetime]:
    """The listing's status and modification time, read back in a new session."""
    async with sessions() as session:
        listing = await session.scalar(select(Listing).where(Listing.listing_key == listing_key))
        assert listing is not None
        return listing.standard_status, listing.modification_timestamp


@pytest.mark.parametrize("backend", ["postgresql", "sqlite"])
@pytest.mark.parametrize(
    ("who", "status", "refused", "message_key"),
    [
        ("buyer", StandardStatus.WITHDRAWN, Forbidden, "errors.forbidden.set_listing_status"),
        ("other_seller", StandardStatus.WITHDRAWN, Forbidden, "errors.forbidden.set_listing_status"),
        ("admin", StandardStatus.WITHDRAWN, Forbidden, "errors.forbidden.set_listing_status"),
        ("unverified_seller", StandardStatus.WITHDRAWN, Forbidden, "errors.forbidden.set_listing_status"),
        ("buyer", StandardStatus.ACTIVE, Forbidden, "errors.forbidden.set_listing_status"),
    ],
)
async def test_anyone_but_the_seller_or_broker_is_refused_and_nothing_changes(
    sessions: async_sessionmaker[AsyncSession],
    cast: Cast,
    who: str,
    status: StandardStatus,
    refused: type[DomainError],
    message_key: str,
) -> None:
    error = await attempt(sessions, getattr(cast, who), "DS-LDS-001", status)
    assert isinstance(error, DomainError)
    assert type(error) is refused
    assert error.message_key == message_key
    assert await stored(sessions, "DS-LDS-001") == ("Active", LDS_001_LISTED)


@pytest.mark.parametrize("backend", ["postgresql", "sqlite"])
async def test_the_unverified_seller_of_a_listing_must_prove_their_phone_and_nothing_changes(
    sessions: async_sessionmaker[AsyncSession], cast: Cast
) -> None:
    error = await attempt(sessions, cast.unverified_seller, "DS-LDS-003", StandardStatus.WITHDRAWN)
    assert type(error) is VerificationRequired
    assert error.message_key == "errors.verification_required"
    assert await stored(sessions, "DS-LDS-003") == ("Active", SEEDED - timedelta(days=9))


@pytest.mark.parametrize("backend", ["postgresql", "sqlite"])
@pytest.mark.parametrize("who", ["seller", "broker"])
async def test_the_seller_and_the_broker_take_it_off_the_market_and_put_it_back(
    sessions: async_sessionmaker[AsyncSession], cast: Cast, who: str
) -> None:
    leeds = parse_area("Leeds")
    person_id = getattr(cast, who)

    assert await attempt(sessions, person_id, "DS-LDS-001", StandardStatus.WITHDRAWN) == ("Withdrawn", NOW)
    assert await stored(sessions, "DS-LDS-001") == ("Withdrawn", NOW)
    assert await stored(sessions, "DS-LDS-002") == ("Active", SEEDED - timedelta(days=5))
    async with sessions() as session:
        page = await search_active(session, leeds, limit=10)
    assert page.total == 5
    assert "DS-LDS-001" not in [listing.listing_key for listing in page.listings]

    again = await attempt(sessions, person_id, "DS-LDS-001", StandardStatus.WITHDRAWN, LATER)
    assert type(again) is StatusChangeRefused
    assert again.message_key == "errors.status_change_refused"
    assert await stored(sessions, "DS-LDS-001") == ("Withdrawn", NOW)

    assert await attempt(sessions, person_id, "DS-LDS-001", StandardStatus.ACTIVE, LATER) == (
        "Active",
        LATER,
    )
    assert await stored(sessions, "DS-LDS-001") == ("Active", LATER)
    async with sessions() as session:
        page = await search_active(session, leeds, limit=10)
    assert page.total == 6
    assert page.listings[0].listing_key == "DS-LDS-001"


@pytest.mark.parametrize(
    "status",
    [
        StandardStatus.ACTIVE_UNDER_CONTRACT,
        StandardStatus.PENDING,
        StandardStatus.COMING_SOON,
        StandardStatus.ACTIVE,
    ],
)
async def test_a_seller_moves_an_active_listing_only_off_the_market_or_to_sold(
    sessions: async_sessionmaker[AsyncSession], cast: Cast, status: StandardStatus
) -> None:
    error = await attempt(sessions, cast.seller, "DS-LDS-001", status)
    assert type(error) is StatusChangeRefused
    assert await stored(sessions, "DS-LDS-001") == ("Active", LDS_001_LISTED)


@pytest.mark.parametrize("backend", ["postgresql", "sqlite"])
@pytest.mark.parametrize("status", [StandardStatus.WITHDRAWN, StandardStatus.ACTIVE])
async def test_a_listing_under_contract_can_only_be_marked_sold_by_its_seller_or_broker(
    sessions: async_sessionmaker[AsyncSession], cast: Cast, status: StandardStatus
) -> None:
    async with sessions() as session, session.begin():
        await session.execute(
            update(Listing)
            .where(Listing.listing_key == "DS-LDS-001")
            .values(standard_status=StandardStatus.ACTIVE_UNDER_CONTRACT)
        )
    for person_id in (cast.seller, cast.broker):
        error = await attempt(sessions, person_id, "DS-LDS-001", status)
        assert type(error) is StatusChangeRefused
        assert error.message_key == "errors.status_change_refused"
        assert await stored(sessions, "DS-LDS-001") == ("Active Under Contract", LDS_001_LISTED)
    stranger = await attempt(sessions, cast.buyer, "DS-LDS-001", status)
    assert type(stranger) is Forbidden


@pytest.mark.parametrize("backend", ["postgresql", "sqlite"])
async def test_an_unknown_listing_is_not_found(
    sessions: async_sessionmaker[AsyncSession], cast: Cast
) -> None:
    for person_id in (cast.seller, cast.buyer):
        error = await attempt(sessions, person_id, "DS-NOPE-404", StandardStatus.WITHDRAWN)
        assert type(error) is NotFound
        assert error.message_key == "errors.not_found"
    async with sessions() as session:
        assert await session.scalar(select(Listing).where(Listing.listing_key == "DS-NOPE-404")) is None


async def test_each_person_manages_only_the_listings_they_sell_or_broker(
    sessions: async_sessionmaker[AsyncSession], cast: Cast
) -> None:
    async with sessions() as session, session.begin():
        await session.execute(
            update(Listing).where(Listing.listing_key == "DS-LDS-004").values(broker_id=cast.broker)
        )

    async def keys(person_id: int) -> list[str]:
        async with sessions() as session:
            person = await session.get(Person, person_id)
            assert person is not None
            return [listing.listing_key for listing in await listings_managed_by(session, person)]

    assert await keys(cast.seller) == ["DS-LDS-001"]
    assert await keys(cast.broker) == ["DS-LDS-001", "DS-LDS-004"]
    assert await keys(cast.other_seller) == ["DS-LDS-002"]
    assert await keys(cast.buyer) == []
    assert await keys(cast.admin) == []


@pytest.mark.parametrize("backend", ["postgresql", "sqlite"])
@pytest.mark.parametrize(
    "before", [StandardStatus.ACTIVE, StandardStatus.WITHDRAWN, StandardStatus.ACTIVE_UNDER_CONTRACT]
)
async def test_a_seller_marks_a_listing_sold_from_the_market_a_pause_or_a_contract_and_sold_is_final(
    sessions: async_sessionmaker[AsyncSession], cast: Cast, before: StandardStatus
) -> None:
    async with sessions() as session, session.begin():
        await session.execute(
            update(Listing).where(Listing.listing_key == "DS-LDS-001").values(standard_status=before)
        )
    assert await attempt(sessions, cast.seller, "DS-LDS-001", StandardStatus.CLOSED) == ("Closed", NOW)
    for status in (StandardStatus.ACTIVE, StandardStatus.WITHDRAWN, StandardStatus.CLOSED):
        error = await attempt(sessions, cast.broker, "DS-LDS-001", status, NOW + timedelta(hours=1))
        assert type(error) is StatusChangeRefused
    assert await stored(sessions, "DS-LDS-001") == ("Closed", NOW)
