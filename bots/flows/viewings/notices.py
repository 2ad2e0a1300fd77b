"""What each side of a viewing is told when the other side (or the clock) moves it on."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bots.flows.managers import to_managers
from bots.outbound.notice import Button, Notice, NoticeBuilder
from core.events import Event
from core.listings.model import Listing
from core.people.model import Person
from core.viewings.model import Viewing, ViewingStatus


def to_buyer(
    viewing: Viewing,
    listing: Listing,
    kind: str,
    *,
    buttons: tuple[Button, ...] = (),
    calendar: bool = False,
    urgent: bool = False,
    key: str | None = None,
    **context: Any,
) -> Notice:
    """A notice about the viewing for its buyer."""
    return Notice(
        person_id=viewing.buyer_id,
        kind=kind,
        dedupe_key=f"viewing:{viewing.id}:{key or kind}:{viewing.buyer_id}",
        context={"l": listing, "v": viewing, **context},
        buttons=buttons,
        urgent=urgent,
        calendar=viewing if calendar else None,
    )


async def to_hosts(
    session: AsyncSession,
    viewing: Viewing,
    listing: Listing,
    kind: str,
    *,
    buttons: tuple[Button, ...] = (),
    calendar: bool = False,
    urgent: bool = False,
    key: str | None = None,
    **context: Any,
) -> list[Notice]:
    """The same notice for each host of the listing (its seller and broker), naming the buyer."""
    return await to_managers(
        session,
        listing,
        viewing.buyer_id,
        kind,
        dedupe=f"viewing:{viewing.id}:{key or kind}",
        context={"l": listing, "v": viewing, **context},
        buttons=buttons,
        urgent=urgent,
        calendar=viewing if calendar else None,
    )


def answer_buttons(viewing: Viewing) -> tuple[Button, ...]:
    """Confirm / Decline / Propose another time, under a request."""
    return (
        Button(f"viewings:confirm:{viewing.id}", "confirm"),
        Button(f"viewings:decline:{viewing.id}", "decline"),
        Button(f"viewings:propose:{viewing.id}", "propose_time"),
    )


async def host_notices_for_request(
    session: AsyncSession, viewing: Viewing, listing: Listing, buyer: Person
) -> list[Notice]:
    """A new booking reaches the hosts: confirmed already (instant booking) or a request to answer."""
    if viewing.status == ViewingStatus.CONFIRMED:
        return await to_hosts(session, viewing, listing, "viewings.booked_host", calendar=True)
    return await to_hosts(session, viewing, listing, "viewings.request", buttons=answer_buttons(viewing))


NOTICES: Mapping[type[Event], NoticeBuilder] = {}
