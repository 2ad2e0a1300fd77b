"""GET /calendar/{token}.ics: a viewing's calendar file, for channels that can only send a link."""

from __future__ import annotations

import re

from aiohttp import web
from sqlalchemy import select

from core.listings.model import Listing
from core.viewings.calendar import ICS_CONTENT_TYPE, ICS_FILENAME, viewing_calendar
from core.viewings.model import Viewing
from webhooks.state import STATE

# Tokens are URL-safe base64 of at most 32 characters; anything else is not looked up.
_TOKEN = re.compile(r"[A-Za-z0-9_-]{1,32}")


async def calendar_file(request: web.Request) -> web.Response:
    """The .ics of the viewing the token names, cancelled once the viewing is; 404 for anything else."""
    token = request.match_info["token"]
    if not _TOKEN.fullmatch(token):
        return _not_found()
    async with request.app[STATE].sessions() as session:
        found = (
            await session.execute(
                select(Viewing, Listing)
                .join(Listing, Listing.id == Viewing.listing_id)
                .where(Viewing.calendar_token == token)
            )
        ).first()
    if found is None:
        return _not_found()
    viewing, listing = found
    return web.Response(
        text=viewing_calendar(viewing, listing),
        content_type=ICS_CONTENT_TYPE,
        charset="utf-8",
        headers={"Content-Disposition": f'attachment; filename="{ICS_FILENAME}"'},
    )


def _not_found() -> web.Response:
    return web.Response(status=404, text="Not found")
