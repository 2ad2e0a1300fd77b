"""Abuse signals: a buyer who makes or withdraws many offers in a short time is flagged for an operator."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from core.offers.model import Offer, OfferEvent, OfferSide, ReviewFlag
from core.people.model import Person

WINDOW = timedelta(days=7)
MAX_OFFERS = 10
MAX_WITHDRAWALS = 5
MANY_OFFERS = "many_offers"
MANY_WITHDRAWALS = "many_withdrawals"


@dataclass(frozen=True)
class FlaggedPerson:
    """An open flag with the person it is about, as `doorstep admin flags` lists it."""

    flag: ReviewFlag
    person: Person


async def check_offer_activity(session: AsyncSession, person_id: int, now: datetime) -> list[ReviewFlag]:
    """Flag the person (once per reason while one is open) when their last 7 days of offers pass a limit.

    More than 10 opening offers, or more than 5 withdrawals, within 7 days. Flags only inform an operator;
    they change nothing the person can do.
    """
    since = now - WINDOW
    offers = await session.scalar(
        select(func.count()).where(
            Offer.buyer_id == person_id, Offer.answers_id.is_(None), Offer.created_at > since
        )
    )
    withdrawals = await session.scalar(
        select(func.count())
        .select_from(OfferEvent)
        .join(Offer, Offer.id == OfferEvent.offer_id)
        .where(
            Offer.buyer_id == person_id,
            OfferEvent.kind == "withdrawn",
            OfferEvent.side == OfferSide.BUYER,
            OfferEvent.at > since,
        )
    )
    raised = []
    if (offers or 0) > MAX_OFFERS:
        raised.append(await _flag(session, person_id, MANY_OFFERS, f"{offers} offers in 7 days", now))
    if (withdrawals or 0) > MAX_WITHDRAWALS:
        detail = f"{withdrawals} withdrawals in 7 days"
        raised.append(await _flag(session, person_id, MANY_WITHDRAWALS, detail, now))
    return [flag for flag in raised if flag is not None]


async def open_flags(session: AsyncSession) -> list[FlaggedPerson]:
    """Every flag not yet cleared, oldest first."""
    rows = await session.execute(
        select(ReviewFlag, Person)
        .join(Person, Person.id == ReviewFlag.person_id)
        .where(ReviewFlag.cleared_at.is_(None))
        .order_by(ReviewFlag.flagged_at, ReviewFlag.id)
    )
    return [FlaggedPerson(flag, person) for flag, person in rows.all()]


async def clear_flags(session: AsyncSession, person_id: int, now: datetime) -> int:
    """An operator has looked: the person's open flags are cleared; returns how many."""
    result = await session.execute(
        update(ReviewFlag)
        .where(ReviewFlag.person_id == person_id, ReviewFlag.cleared_at.is_(None))
        .values(cleared_at=now)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


async def merge_flags(session: AsyncSession, survivor_id: int, other_id: int, now: datetime) -> None:
    """Before two people become one: the other's open flags for reasons the survivor is flagged for close."""
    mine = select(ReviewFlag.reason).where(
        ReviewFlag.person_id == survivor_id, ReviewFlag.cleared_at.is_(None)
    )
    await session.execute(
        update(ReviewFlag)
        .where(ReviewFlag.person_id == other_id, ReviewFlag.cleared_at.is_(None), ReviewFlag.reason.in_(mine))
        .values(cleared_at=now)
        .execution_options(synchronize_session=False)
    )


async def _flag(
    session: AsyncSession, person_id: int, reason: str, detail: str, now: datetime
) -> ReviewFlag | None:
    """A new open flag, or None when one for that reason is open already."""
    already = await session.scalar(
        select(ReviewFlag.id).where(
            ReviewFlag.person_id == person_id, ReviewFlag.reason == reason, ReviewFlag.cleared_at.is_(None)
        )
    )
    if already is not None:
        return None
    flag = ReviewFlag(person_id=person_id, reason=reason, detail=detail, flagged_at=now)
    try:
        async with session.begin_nested():
            session.add(flag)
            await session.flush()
    except IntegrityError:
        return None
    return flag
