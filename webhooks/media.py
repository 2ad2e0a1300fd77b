"""GET /media/{media_key}: a kept photo's bytes, for providers that fetch a listing photo by URL."""

from __future__ import annotations

import re

from aiohttp import web
from sqlalchemy import select

from core.listings.model import StoredMedia
from webhooks.state import STATE

# Keys are URL-safe base64 (store_photo makes 24 characters); anything else is not looked up.
_KEY = re.compile(r"[A-Za-z0-9_-]{1,64}")
# A key names one photo forever and is unguessable, so anyone holding the URL may keep the bytes a year.
CACHE_CONTROL = "public, max-age=31536000, immutable"


async def media_file(request: web.Request) -> web.Response:
    """The photo's bytes with its type; 304 when the caller holds it already, 404 for an unknown key."""
    key = request.match_info["media_key"]
    if not _KEY.fullmatch(key):
        return _not_found()
    async with request.app[STATE].sessions() as session:
        found = (
            await session.execute(
                select(StoredMedia.content_type, StoredMedia.sha256).where(StoredMedia.media_key == key)
            )
        ).first()
        if found is None:
            return _not_found()
        content_type, sha256 = found
        etag = f'"{sha256}"'
        # The type was found from the bytes when the photo was kept; browsers must not guess another.
        headers = {"Cache-Control": CACHE_CONTROL, "ETag": etag, "X-Content-Type-Options": "nosniff"}
        held = _etags(request.headers.get("If-None-Match", ""))
        if etag in held or "*" in held:
            return web.Response(status=304, headers=headers)
        data = await session.scalar(select(StoredMedia.data).where(StoredMedia.media_key == key))
    return web.Response(body=data, content_type=content_type, headers=headers)


def _etags(header: str) -> set[str]:
    """The entity tags an If-None-Match header lists; weak ones compare as strong, as RFC 9110 says."""
    return {tag.strip().removeprefix("W/") for tag in header.split(",") if tag.strip()}


def _not_found() -> web.Response:
    return web.Response(status=404, text="Not found")
