"""Notices for those who answer for a listing (its seller and broker) about one buyer's viewing or offer."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bots.notice import Button, Notice
from core.listings.model import Listing
from core.listings.queries import managers_of
from core.people.model import Person


async def to_managers(
    session: AsyncSession,
    listing: Listing,
    buyer_id: int,
    kind: str,
    *,
    dedupe: str,
    context: dict[str, Any],
    buttons: tuple[Button, ...] = (),
    urgent: bool = False,
    calendar: Any = None,
) -> list[Notice]:
    """The same notice for the listing's seller and broker, naming the buyer; keyed `dedupe:manager id`."""
    buyer = await session.get_one(Person, buyer_id)
    return [
        Notice(
            person_id=manager.id,
            kind=kind,
            dedupe_key=f"{dedupe}:{manager.id}",
            context={"buyer": buyer.display_name or "", **context},
            buttons=buttons,
            urgent=urgent,
            calendar=calendar,
        )
        for manager in await managers_of(session, listing)
    ]
