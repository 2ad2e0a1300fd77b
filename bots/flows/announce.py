"""From what happened to who is told: every domain's notice table in one place."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bots.flows.listings import invitation_notices
from bots.flows.listings import notices as listing_notices
from bots.flows.offers import notices as offer_notices
from bots.flows.viewings import notices as viewing_notices
from bots.notice import Notice, NoticeBuilder
from core.events import Event, settle

NOTICES: Mapping[type[Event], NoticeBuilder] = {
    **invitation_notices.NOTICES,
    **listing_notices.NOTICES,
    **offer_notices.NOTICES,
    **viewing_notices.NOTICES,
}


async def notices_of(session: AsyncSession, events: Iterable[Event]) -> list[Notice]:
    """The notices the events owe, in the order the events happened; an event with no notice owes none."""
    owed: list[Notice] = []
    for event in events:
        builder = NOTICES.get(type(event))
        if builder is not None:
            owed += await builder(session, event)
    return owed


async def settle_notices(session: AsyncSession, now: datetime) -> list[Notice]:
    """Let the domain react to what the session's actions did, and return the notices every event owes."""
    return await notices_of(session, await settle(session, now))
