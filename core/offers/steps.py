"""The steps every offer action is made of: lock the offer, move its status, note the step in its history."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from core.locks import lock_row
from core.offers.model import Offer, OfferEvent, OfferSide, OfferStatus
from core.people.model import Person


@dataclass(frozen=True)
class Actor:
    """Who acts on an offer and on which channel they wrote, for the record."""

    person: Person
    channel: str | None


def move_to(offer: Offer, status: OfferStatus, now: datetime) -> None:
    """The offer leaves pending for `status` now (answered, countered, withdrawn, closed or expired)."""
    offer.status = status
    offer.answered_at = offer.updated_at = now


def note(
    session: AsyncSession,
    offer: Offer,
    kind: str,
    side: OfferSide,
    actor: Actor | None,
    now: datetime,
    *,
    detail: str | None = None,
) -> None:
    """Write the step into the offer's history: what happened, its status after, who did it and where."""
    session.add(
        OfferEvent(
            offer_id=offer.id,
            kind=kind,
            status=offer.status,
            side=side,
            actor_id=actor.person.id if actor else None,
            channel=actor.channel if actor else None,
            detail=detail,
            at=now,
        )
    )


async def lock_offer(session: AsyncSession, offer_id: int) -> Offer:
    """The offer, locked for this transaction and read afresh; refuses an unknown id."""
    return await lock_row(session, Offer, Offer.id == offer_id)
