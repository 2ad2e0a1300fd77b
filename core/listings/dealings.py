"""Viewings and offers, a buyer's dealings on a listing: finding one, its listing, the locks answers take."""

from __future__ import annotations

from typing import Protocol, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession

from core.errors import NotFound
from core.listings.model import Listing
from core.locks import lock_row


class Dealing(Protocol):
    """A row a buyer has on a listing (a viewing, an offer)."""

    @property
    def id(self) -> int: ...

    @property
    def listing_id(self) -> int: ...

    @property
    def buyer_id(self) -> int: ...


D = TypeVar("D", bound=Dealing)


async def listing_of(session: AsyncSession, dealing: Dealing) -> Listing:
    """The listing a viewing or an offer is on."""
    return await session.get_one(Listing, dealing.listing_id)


async def find(session: AsyncSession, entity: type[D], dealing_id: int) -> D:
    """The viewing or offer with that id; refuses an unknown id."""
    found = await session.get(entity, dealing_id)
    if found is None:
        raise NotFound(str(dealing_id))
    return found


async def lock_for_answer(session: AsyncSession, entity: type[D], dealing_id: int) -> tuple[D, Listing]:
    """The viewing or offer and its listing, both locked and read afresh: the listing first, so answers on
    one listing (a confirmation declining the requests it clashes with, an acceptance closing the other
    offers) take their locks in one order and never wait on each other."""
    found = await find(session, entity, dealing_id)
    listing = await lock_row(session, Listing, Listing.id == found.listing_id)
    return await lock_row(session, entity, entity.id == dealing_id), listing
