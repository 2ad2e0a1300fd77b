"""The demo's sellers and broker: named people with confirmed phones, reachable on the stand-in channels."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.listings.model import Listing
from core.people.model import Channel, ChannelIdentity, Person, PersonRole, Role


@dataclass(frozen=True)
class DemoPerson:
    """A demo seller or broker: who they are, where the bot reaches them, and the demo homes they manage.

    `phone` is one of Ofcom's +44 7700 900xxx drama numbers; `address` is their Telegram chat id or, on
    SMS, their phone. With `confirms_viewings`, buyers' viewing requests on their homes wait for them.
    They keep no quiet hours, so what the bot tells them shows in the demo at once, day or night.
    """

    key: str
    name: str
    role: Role
    phone: str
    channel: Channel
    address: str
    listings: tuple[str, ...]
    confirms_viewings: bool = False

    @property
    def first_name(self) -> str:
        """What the terminal calls them."""
        return self.name.split()[0]


DEMO_PEOPLE: tuple[DemoPerson, ...] = (
    DemoPerson(
        key="priya",
        name="Priya Shah",
        role=Role.SELLER,
        phone="+447700900201",
        channel=Channel.TELEGRAM,
        address="4301",
        listings=("DS-LDS-001", "DS-LDS-003", "DS-MAN-001"),
        confirms_viewings=True,
    ),
    DemoPerson(
        key="tom",
        name="Tom Barker",
        role=Role.SELLER,
        phone="+447700900202",
        channel=Channel.SMS,
        address="+447700900202",
        listings=("DS-LDS-002", "DS-LDS-006", "DS-BRS-001"),
    ),
    DemoPerson(
        key="grace",
        name="Grace Mensah",
        role=Role.BROKER,
        phone="+447700900203",
        channel=Channel.TELEGRAM,
        address="4302",
        listings=("DS-LDS-004", "DS-LDS-005", "DS-MAN-002", "DS-LON-001"),
    ),
)


async def seed_demo_people(session: AsyncSession, now: datetime) -> dict[str, Person]:
    """The demo sellers and broker by key, added when missing (found again by their confirmed phone)."""
    people = {}
    for demo in DEMO_PEOPLE:
        person = await session.scalar(select(Person).where(Person.phone == demo.phone))
        if person is None:
            person = _person(demo, now)
            session.add(person)
            await session.flush()
            session.add(_identity(demo, person, now))
        people[demo.key] = person
    await session.flush()
    return people


async def give_demo_listings_sellers(session: AsyncSession, people: dict[str, Person]) -> int:
    """Make each demo person the seller or broker of their demo homes that nobody manages yet."""
    given = 0
    for demo in DEMO_PEOPLE:
        unmanaged = await session.scalars(
            select(Listing).where(
                Listing.listing_key.in_(demo.listings),
                Listing.seller_id.is_(None),
                Listing.broker_id.is_(None),
            )
        )
        for listing in unmanaged:
            if demo.role == Role.BROKER:
                listing.broker_id = people[demo.key].id
            else:
                listing.seller_id = people[demo.key].id
            given += 1
    await session.flush()
    return given


def confirms_viewings(listing_key: str) -> bool:
    """True when the demo home's seller confirms each viewing rather than having it booked at once."""
    return any(demo.confirms_viewings and listing_key in demo.listings for demo in DEMO_PEOPLE)


def _person(demo: DemoPerson, now: datetime) -> Person:
    return Person(
        display_name=demo.name,
        locale="en",
        timezone="Europe/London",
        phone=demo.phone,
        phone_verified_at=now,
        quiet_start=None,
        quiet_end=None,
        onboarded_at=now,
        created_at=now,
        roles=[PersonRole(role=demo.role, granted_at=now)],
    )


def _identity(demo: DemoPerson, person: Person, now: datetime) -> ChannelIdentity:
    return ChannelIdentity(
        person_id=person.id,
        channel=demo.channel,
        address=demo.address,
        display_name=demo.first_name,
        language_code="en",
        verified_at=now,
        created_at=now,
    )
