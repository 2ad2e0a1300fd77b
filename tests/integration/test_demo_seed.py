"""`doorstep seed-demo`: demo homes with their demo sellers and broker, and the plain listings tests use."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.db import create_engine, session_factory
from core.listings.model import Listing
from core.listings.queries import managers_of
from core.people.model import ChannelIdentity, Person
from core.viewings.model import ViewingSettings
from doorstep.database import seed
from doorstep.seed import seed_demo_listings, seed_demo_viewing_hours

SEEDED = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
pytestmark = pytest.mark.parametrize("backend", ["postgresql", "sqlite"])

# Who manages each demo home once the sellers are seeded: (seller, broker).
MANAGERS = {
    "DS-LDS-001": ("Priya Shah", None),
    "DS-LDS-002": ("Tom Barker", None),
    "DS-LDS-003": ("Priya Shah", None),
    "DS-LDS-004": (None, "Grace Mensah"),
    "DS-LDS-005": (None, "Grace Mensah"),
    "DS-LDS-006": ("Tom Barker", None),
    "DS-MAN-001": ("Priya Shah", None),
    "DS-MAN-002": (None, "Grace Mensah"),
    "DS-LON-001": (None, "Grace Mensah"),
    "DS-BRS-001": ("Tom Barker", None),
}
PEOPLE = [
    ("Priya Shah", "+447700900201", ["seller"], [("telegram", "4301")]),
    ("Tom Barker", "+447700900202", ["seller"], [("sms", "+447700900202")]),
    ("Grace Mensah", "+447700900203", ["broker"], [("telegram", "4302")]),
]


@pytest.fixture
async def sessions(database_url: str) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    """Sessions on an empty migrated database."""
    engine = create_engine(database_url)
    yield session_factory(engine)
    await engine.dispose()


async def seeded(sessions: async_sessionmaker[AsyncSession], *, with_sellers: bool) -> int:
    async with sessions() as session, session.begin():
        added = await seed_demo_listings(session, SEEDED, with_sellers=with_sellers)
        await seed_demo_viewing_hours(session, SEEDED)
        return added


async def managers(sessions: async_sessionmaker[AsyncSession]) -> dict[str, tuple[str | None, str | None]]:
    async with sessions() as session:
        names = {p.id: p.display_name for p in await session.scalars(select(Person))}
        return {
            listing.listing_key: (names.get(listing.seller_id), names.get(listing.broker_id))
            for listing in await session.scalars(select(Listing))
        }


async def people(sessions: async_sessionmaker[AsyncSession]) -> list[tuple[object, ...]]:
    async with sessions() as session:
        rows = await session.scalars(select(Person).order_by(Person.id))
        return [
            (
                p.display_name,
                p.phone,
                [r.role for r in p.roles],
                [(i.channel, i.address) for i in p.identities],
                p.verified,
                p.onboarded_at is not None,
                (p.quiet_start, p.quiet_end),
            )
            for p in rows
        ]


async def test_the_tests_listings_have_no_seller(sessions: async_sessionmaker[AsyncSession]) -> None:
    assert await seeded(sessions, with_sellers=False) == 10

    assert set((await managers(sessions)).values()) == {(None, None)}
    assert await people(sessions) == []
    async with sessions() as session:
        assert set(await session.scalars(select(ViewingSettings.instant))) == {True}


async def test_demo_homes_get_named_sellers_and_a_broker_with_confirmed_phones(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    assert await seeded(sessions, with_sellers=True) == 10

    assert await managers(sessions) == MANAGERS
    assert await people(sessions) == [
        (name, phone, roles, identities, True, True, (None, None))
        for name, phone, roles, identities in PEOPLE
    ]
    async with sessions() as session:
        instant = {
            key: flag
            for key, flag in await session.execute(
                select(Listing.listing_key, ViewingSettings.instant).join(
                    ViewingSettings, ViewingSettings.listing_id == Listing.id
                )
            )
        }
        identities = list(await session.scalars(select(ChannelIdentity)))
        flat = await session.scalar(select(Listing).where(Listing.listing_key == "DS-LDS-001"))
        assert flat is not None
        assert [p.display_name for p in await managers_of(session, flat)] == ["Priya Shah"]
    # Priya confirms each viewing herself; every other home is booked at once.
    assert {key for key, flag in instant.items() if not flag} == {"DS-LDS-001", "DS-LDS-003", "DS-MAN-001"}
    assert all(identity.verified_at == SEEDED for identity in identities)


async def test_seeding_again_adds_nobody_and_gives_sellers_to_an_older_demo(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    await seeded(sessions, with_sellers=False)

    assert await seeded(sessions, with_sellers=True) == 0
    assert await seeded(sessions, with_sellers=True) == 0

    assert await managers(sessions) == MANAGERS
    async with sessions() as session:
        assert await session.scalar(select(func.count()).select_from(Person)) == 3
        assert await session.scalar(select(func.count()).select_from(ChannelIdentity)) == 3


async def test_seed_demo_adds_the_sellers_the_command_promises(
    sessions: async_sessionmaker[AsyncSession], database_url: str
) -> None:
    assert await seed(database_url) == 10
    assert await seed(database_url) == 0

    assert await managers(sessions) == MANAGERS


async def test_a_demo_home_someone_already_manages_keeps_them(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    await seeded(sessions, with_sellers=False)
    async with sessions() as session, session.begin():
        owner = Person(display_name="Ana", locale="en", timezone="Europe/London", created_at=SEEDED)
        session.add(owner)
        await session.flush()
        flat = await session.scalar(select(Listing).where(Listing.listing_key == "DS-LDS-001"))
        house = await session.scalar(select(Listing).where(Listing.listing_key == "DS-LDS-004"))
        assert flat is not None and house is not None
        flat.seller_id, house.broker_id = owner.id, owner.id

    await seeded(sessions, with_sellers=True)

    assert await managers(sessions) == {
        **MANAGERS,
        "DS-LDS-001": ("Ana", None),
        "DS-LDS-004": (None, "Ana"),
    }
