"""Search results: the listings on the market in an area, a page at a time, newest first."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, Select, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.listings.model import Listing, StandardStatus
from core.searches.places import AreaQuery

PAGE_SIZE = 5


@dataclass(frozen=True)
class SearchPage:
    """One page of search results and how many there are in all."""

    listings: list[Listing]
    total: int
    offset: int

    @property
    def has_more(self) -> bool:
        """True when another page follows this one."""
        return self.offset + len(self.listings) < self.total


def _area_filter(area: AreaQuery) -> ColumnElement[bool]:
    conditions = [
        func.lower(Listing.city) == area.name_key,
        func.lower(Listing.subdivision_name) == area.name_key,
    ]
    if area.postcode_key:
        compact = func.upper(func.replace(Listing.postal_code, " ", ""))
        conditions.append(compact.startswith(area.postcode_key, autoescape=True))
    return or_(*conditions)


def _active(area: AreaQuery | None) -> Select[Listing]:
    query = select(Listing).where(Listing.standard_status == StandardStatus.ACTIVE)
    return query.where(_area_filter(area)) if area else query


async def search_active(
    session: AsyncSession, area: AreaQuery | None, *, offset: int = 0, limit: int = PAGE_SIZE
) -> SearchPage:
    """Active listings in an area (all areas when None), newest on the market first."""
    query = _active(area)
    total = await session.scalar(select(func.count()).select_from(query.subquery()))
    rows = await session.scalars(
        query.order_by(Listing.on_market_timestamp.desc(), Listing.id.desc()).offset(offset).limit(limit)
    )
    return SearchPage(listings=list(rows), total=total or 0, offset=offset)
