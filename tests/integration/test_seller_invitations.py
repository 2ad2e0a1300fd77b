"""A broker's invitation to a seller, on a real database: every refusal with its text, and the rows after."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bots.texts import Texts
from core.db import create_engine, session_factory
from core.errors import DomainError, Forbidden, InvitationRefused, VerificationRequired
from core.events import Event, take
from core.listings.actions import set_listing_status
from core.listings.events import SellerInvitationAnswered, SellerInvitationCancelled, SellerInvited
from core.listings.invitations import accept_invitation, cancel_invitation, decline_invitation, invite_seller
from core.listings.model import Listing, SellerInvitation, StandardStatus
from core.people.model import ChannelIdentity, Person, PersonRole
from doorstep.seed import seed_demo_listings

SEEDED = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
NOW = SEEDED + timedelta(hours=1)
LATER = NOW + timedelta(hours=1)
KEY = "DS-MAN-001"
TEXTS = Texts("en")
BROKER_PHONE = "+447700900102"
SELLER_PHONE = "+447700900101"
NEW_PHONE = "+447700900555"
CANCELLED = "The broker has cancelled this invitation, so it can't be answered any more."
NOT_YOURS = "Sorry, this invitation is for the owner of another number, so only they can answer it."

Action = Callable[[AsyncSession, Person], Awaitable[object]]


@dataclass(frozen=True)
class Cast:
    """The people of these tests, by id."""

    broker: int
    seller: int
    stranger: int
    unverified: int
    other_broker: int


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
    session: AsyncSession, name: str, role: str, phone: str | None, *, proven: bool = True
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
    person.roles = [PersonRole(role=role, granted_at=SEEDED)]
    session.add(person)
    await session.flush()
    return person.id


@pytest.fixture
async def cast(sessions: async_sessionmaker[AsyncSession]) -> Cast:
    """DS-MAN-001 brokered by Bob, with no seller yet; Sally has proven the number Bob will name."""
    async with sessions() as session, session.begin():
        people = Cast(
            broker=await add_person(session, "Bob", "broker", BROKER_PHONE),
            seller=await add_person(session, "Sally", "buyer", SELLER_PHONE),
            stranger=await add_person(session, "Stan", "buyer", "+447700900103"),
            unverified=await add_person(session, "Una", "seller", "+447700900104", proven=False),
            other_broker=await add_person(session, "Otis", "broker", "+447700900105"),
        )
        await session.execute(
            update(Listing).where(Listing.listing_key == KEY).values(broker_id=people.broker)
        )
    return people


async def act(
    sessions: async_sessionmaker[AsyncSession], person_id: int, action: Action
) -> tuple[object | DomainError, list[Event]]:
    """One chat turn's worth of work by `person_id`, committed as a turn commits: its result and events."""
    async with sessions() as session, session.begin():
        person = await session.get_one(Person, person_id)
        try:
            result: object | DomainError = await action(session, person)
        except DomainError as error:
            result = error
        return result, take(session)


def invite(phone: str, key: str = KEY) -> Action:
    return lambda session, person: invite_seller(session, person, key, phone, "GB", NOW)


def accept(invitation_id: int, when: datetime = LATER) -> Action:
    return lambda session, person: accept_invitation(session, person, invitation_id, when)


def decline(invitation_id: int) -> Action:
    return lambda session, person: decline_invitation(session, person, invitation_id, LATER)


def cancel(invitation_id: int) -> Action:
    return lambda session, person: cancel_invitation(session, person, invitation_id, LATER)


def text_of(error: object) -> str:
    """The refusal as the person reads it (on Telegram)."""
    assert isinstance(error, DomainError), error
    return TEXTS.render(error.message_key, locale="en", channel="telegram", **error.context)


async def invitations(
    sessions: async_sessionmaker[AsyncSession],
) -> list[tuple[str, str, int | None, datetime | None]]:
    async with sessions() as session:
        rows = await session.scalars(select(SellerInvitation).order_by(SellerInvitation.id))
        return [(r.status, r.phone, r.invitee_id, r.answered_at) for r in rows]


async def seller_of(sessions: async_sessionmaker[AsyncSession], key: str = KEY) -> int | None:
    async with sessions() as session:
        return await session.scalar(select(Listing.seller_id).where(Listing.listing_key == key))


async def invited(sessions: async_sessionmaker[AsyncSession], cast: Cast, phone: str = SELLER_PHONE) -> int:
    result, _ = await act(sessions, cast.broker, invite(phone))
    assert isinstance(result, SellerInvitation), result
    return result.id


@pytest.mark.parametrize("backend", ["postgresql", "sqlite"])
async def test_the_owner_of_the_number_accepts_and_both_then_manage_the_listing(
    sessions: async_sessionmaker[AsyncSession], cast: Cast
) -> None:
    result, events = await act(sessions, cast.broker, invite("07700 900101"))
    assert isinstance(result, SellerInvitation)
    assert events == [SellerInvited(result.listing_id, result.id, by=cast.broker)]
    assert await invitations(sessions) == [("pending", SELLER_PHONE, cast.seller, None)]

    _, events = await act(sessions, cast.seller, accept(result.id))
    assert events == [SellerInvitationAnswered(result.listing_id, result.id, accepted=True, by=cast.seller)]
    assert await invitations(sessions) == [("accepted", SELLER_PHONE, cast.seller, LATER)]
    assert await seller_of(sessions) == cast.seller
    async with sessions() as session:
        sally = await session.get_one(Person, cast.seller)
        assert sorted(r.role for r in sally.roles) == ["buyer", "seller"]

    again, events = await act(sessions, cast.seller, accept(result.id))
    assert text_of(again) == "This invitation has already been accepted."
    assert events == []

    withdrawn, _ = await act(
        sessions, cast.seller, lambda s, p: set_listing_status(s, p, KEY, StandardStatus.WITHDRAWN, LATER)
    )
    assert isinstance(withdrawn, Listing) and withdrawn.standard_status == "Withdrawn"
    relisted, _ = await act(
        sessions, cast.broker, lambda s, p: set_listing_status(s, p, KEY, StandardStatus.ACTIVE, LATER)
    )
    assert isinstance(relisted, Listing) and relisted.standard_status == "Active"
    withdrawn, _ = await act(
        sessions, cast.broker, lambda s, p: set_listing_status(s, p, KEY, StandardStatus.WITHDRAWN, LATER)
    )
    assert isinstance(withdrawn, Listing) and withdrawn.standard_status == "Withdrawn"


@pytest.mark.parametrize("backend", ["postgresql", "sqlite"])
async def test_someone_else_tapping_accept_is_refused_and_nothing_changes(
    sessions: async_sessionmaker[AsyncSession], cast: Cast
) -> None:
    invitation_id = await invited(sessions, cast)
    for who in (cast.stranger, cast.other_broker, cast.broker, cast.unverified):
        result, events = await act(sessions, who, accept(invitation_id))
        assert isinstance(result, Forbidden)
        assert text_of(result) == NOT_YOURS
        assert events == []
        result, events = await act(sessions, who, decline(invitation_id))
        assert text_of(result) == NOT_YOURS
    assert await invitations(sessions) == [("pending", SELLER_PHONE, cast.seller, None)]
    assert await seller_of(sessions) is None


async def test_a_number_new_to_doorstep_is_invited_as_a_person_of_its_own_who_must_prove_it(
    sessions: async_sessionmaker[AsyncSession], cast: Cast
) -> None:
    invitation_id = await invited(sessions, cast, NEW_PHONE)
    async with sessions() as session:
        identity = await session.scalar(select(ChannelIdentity).where(ChannelIdentity.address == NEW_PHONE))
        assert identity is not None and identity.channel == "sms"
        newcomer = await session.get_one(Person, identity.person_id)
        assert (newcomer.phone, newcomer.onboarded_at, newcomer.locale) == (None, None, "en")
    assert await invitations(sessions) == [("pending", NEW_PHONE, identity.person_id, None)]

    result, events = await act(sessions, identity.person_id, accept(invitation_id))
    assert isinstance(result, VerificationRequired)
    assert events == []
    assert await seller_of(sessions) is None

    declined, events = await act(sessions, identity.person_id, decline(invitation_id))
    assert events == [
        SellerInvitationAnswered(declined.listing_id, invitation_id, accepted=False, by=identity.person_id)
    ]  # type: ignore[attr-defined]
    assert await invitations(sessions) == [("declined", NEW_PHONE, identity.person_id, LATER)]


async def test_a_declined_invitation_cannot_then_be_accepted(
    sessions: async_sessionmaker[AsyncSession], cast: Cast
) -> None:
    invitation_id = await invited(sessions, cast)
    await act(sessions, cast.seller, decline(invitation_id))
    result, events = await act(sessions, cast.seller, accept(invitation_id))
    assert text_of(result) == (
        "This invitation was declined, so it can't be answered again. The broker can send a new one."
    )
    assert events == []
    assert await invitations(sessions) == [("declined", SELLER_PHONE, cast.seller, LATER)]
    assert await seller_of(sessions) is None


@pytest.mark.parametrize("backend", ["postgresql", "sqlite"])
async def test_the_broker_cancels_and_the_invitation_can_no_longer_be_answered(
    sessions: async_sessionmaker[AsyncSession], cast: Cast
) -> None:
    invitation_id = await invited(sessions, cast)
    result, events = await act(sessions, cast.other_broker, cancel(invitation_id))
    assert text_of(result) == "Sorry, only the broker who sent this invitation can cancel it."
    result, events = await act(sessions, cast.seller, cancel(invitation_id))
    assert text_of(result) == "Sorry, only the broker who sent this invitation can cancel it."

    cancelled, events = await act(sessions, cast.broker, cancel(invitation_id))
    assert isinstance(cancelled, SellerInvitation)
    assert events == [
        SellerInvitationCancelled(cancelled.listing_id, invitation_id, replaced=False, by=cast.broker)
    ]
    assert await invitations(sessions) == [("cancelled", SELLER_PHONE, cast.seller, LATER)]

    result, events = await act(sessions, cast.seller, accept(invitation_id))
    assert text_of(result) == "The broker has cancelled this invitation, so it can't be answered any more."
    assert events == []
    result, _ = await act(sessions, cast.broker, cancel(invitation_id))
    assert text_of(result) == "The broker has cancelled this invitation, so it can't be answered any more."
    assert await seller_of(sessions) is None


async def test_inviting_again_replaces_the_invitation_waiting(
    sessions: async_sessionmaker[AsyncSession], cast: Cast
) -> None:
    first = await invited(sessions, cast)
    result, events = await act(sessions, cast.broker, invite("+44 7700 900103"))
    assert isinstance(result, SellerInvitation)
    assert events == [
        SellerInvitationCancelled(result.listing_id, first, replaced=True, by=cast.broker),
        SellerInvited(result.listing_id, result.id, by=cast.broker),
    ]
    assert await invitations(sessions) == [
        ("cancelled", SELLER_PHONE, cast.seller, NOW),
        ("pending", "+447700900103", cast.stranger, None),
    ]
    refused, _ = await act(sessions, cast.seller, accept(first))
    assert text_of(refused) == "The broker has cancelled this invitation, so it can't be answered any more."


@pytest.mark.parametrize("backend", ["postgresql", "sqlite"])
@pytest.mark.parametrize(
    ("who", "typed", "key", "refused", "text"),
    [
        (
            "broker",
            "07700 900102",
            KEY,
            InvitationRefused,
            "That's your own number. Please type the seller's mobile number.",
        ),
        (
            "broker",
            "+44 7700 900102",
            KEY,
            InvitationRefused,
            "That's your own number. Please type the seller's mobile number.",
        ),
        (
            "broker",
            "0113 496 0000",
            KEY,
            InvitationRefused,
            'Sorry, "0113 496 0000" isn\'t a mobile number I can text. '
            "Please type the seller's mobile number, for example +44 7700 900123.",
        ),
        (
            "broker",
            "call me",
            KEY,
            InvitationRefused,
            'Sorry, "call me" isn\'t a mobile number I can text. '
            "Please type the seller's mobile number, for example +44 7700 900123.",
        ),
        (
            "other_broker",
            "07700 900101",
            KEY,
            Forbidden,
            "Sorry, only the broker of this home can invite its seller.",
        ),
        (
            "seller",
            "07700 900103",
            KEY,
            Forbidden,
            "Sorry, only the broker of this home can invite its seller.",
        ),
        (
            "broker",
            "07700 900101",
            "DS-LDS-001",
            InvitationRefused,
            "14 Cardigan Road already has a seller on Doorstep, so nobody else can be invited to sell it.",
        ),
    ],
)
async def test_an_invitation_that_cannot_be_sent_is_refused_and_nothing_is_written(
    sessions: async_sessionmaker[AsyncSession],
    cast: Cast,
    who: str,
    typed: str,
    key: str,
    refused: type[DomainError],
    text: str,
) -> None:
    async with sessions() as session, session.begin():
        await session.execute(
            update(Listing)
            .where(Listing.listing_key == "DS-LDS-001")
            .values(seller_id=cast.stranger, broker_id=cast.broker)
        )
    result, events = await act(sessions, getattr(cast, who), invite(typed, key))
    assert isinstance(result, refused)
    assert text_of(result) == text
    assert events == []
    assert await invitations(sessions) == []


async def test_an_unverified_broker_proves_their_phone_first(
    sessions: async_sessionmaker[AsyncSession], cast: Cast
) -> None:
    async with sessions() as session, session.begin():
        await session.execute(
            update(Listing).where(Listing.listing_key == KEY).values(broker_id=cast.unverified)
        )
    result, _ = await act(sessions, cast.unverified, invite("07700 900101"))
    assert isinstance(result, VerificationRequired)
    assert await invitations(sessions) == []


async def test_a_seller_set_meanwhile_is_not_replaced_by_an_acceptance(
    sessions: async_sessionmaker[AsyncSession], cast: Cast
) -> None:
    invitation_id = await invited(sessions, cast)
    async with sessions() as session, session.begin():
        await session.execute(
            update(Listing).where(Listing.listing_key == KEY).values(seller_id=cast.stranger)
        )
    result, events = await act(sessions, cast.seller, accept(invitation_id))
    assert text_of(result) == (
        "Flat 41, 1 Ancoats Street already has a seller on Doorstep, "
        "so nobody else can be invited to sell it."
    )
    assert events == []
    assert await seller_of(sessions) == cast.stranger
    assert await invitations(sessions) == [("pending", SELLER_PHONE, cast.seller, None)]


async def test_a_number_that_opted_out_of_texts_is_not_invited(
    sessions: async_sessionmaker[AsyncSession], cast: Cast
) -> None:
    async with sessions() as session, session.begin():
        quiet = await add_person(session, "Quinn", "buyer", None)
        session.add(
            ChannelIdentity(
                person_id=quiet, channel="sms", address=NEW_PHONE, opted_out_at=SEEDED, created_at=SEEDED
            )
        )
    result, events = await act(sessions, cast.broker, invite(NEW_PHONE))
    assert text_of(result) == (
        "That number has asked not to get texts from Doorstep, so the invitation can't reach it. "
        "The seller can text START to us to allow them again."
    )
    assert events == []
    assert await invitations(sessions) == []


@pytest.mark.parametrize("backend", ["postgresql", "sqlite"])
async def test_a_seller_accepting_while_the_broker_invites_another_number_ends_one_way_only(
    sessions: async_sessionmaker[AsyncSession], cast: Cast
) -> None:
    invitation_id = await invited(sessions, cast)
    start_line = asyncio.Event()

    async def run(person_id: int, action: Action) -> object:
        async with sessions() as session, session.begin():
            await start_line.wait()
            person = await session.get_one(Person, person_id)
            try:
                return await action(session, person)
            except DomainError as error:
                return error

    jobs = asyncio.gather(
        run(cast.seller, accept(invitation_id)), run(cast.broker, invite("+44 7700 900103"))
    )
    await asyncio.sleep(0.05)
    start_line.set()
    accepted, reinvited = await asyncio.wait_for(jobs, timeout=10)

    rows = await invitations(sessions)
    if isinstance(accepted, SellerInvitation):
        assert text_of(reinvited).startswith("Flat 41, 1 Ancoats Street already has a seller on Doorstep")
        assert rows == [("accepted", SELLER_PHONE, cast.seller, LATER)]
        assert await seller_of(sessions) == cast.seller
    else:
        assert isinstance(reinvited, SellerInvitation)
        assert text_of(accepted) == CANCELLED
        assert rows == [
            ("cancelled", SELLER_PHONE, cast.seller, NOW),
            ("pending", "+447700900103", cast.stranger, None),
        ]
        assert await seller_of(sessions) is None
