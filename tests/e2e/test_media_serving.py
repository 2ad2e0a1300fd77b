"""GET /media/{key}: kept photos served to the providers that fetch them, cached for good, 404 otherwise."""

from __future__ import annotations

import hashlib

import pytest

from core.listings.photos import media_url, store_photo
from tests.support import PUBLIC_BASE_URL, Platform

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"j" * 300
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"p" * 300
YEAR = "public, max-age=31536000, immutable"


async def _keep(platform: Platform, data: bytes, content_type: str) -> str:
    """Store a photo's bytes as the photos step does; returns its key."""
    async with platform.sessions() as session, session.begin():
        return store_photo(session, data, content_type, platform.clock.now()).media_key


@pytest.mark.parametrize("backend", ["postgresql", "sqlite"])
async def test_a_kept_photo_is_served_with_its_type_and_a_long_cache(platform: Platform) -> None:
    key = await _keep(platform, PNG, "image/png")
    assert media_url(PUBLIC_BASE_URL, key) == f"https://doorstep.test/media/{key}"
    response = await platform.client.get(f"/media/{key}")
    assert response.status == 200
    assert await response.read() == PNG
    assert response.headers["Content-Type"] == "image/png"
    assert response.headers["Cache-Control"] == YEAR
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["ETag"] == f'"{hashlib.sha256(PNG).hexdigest()}"'


async def test_a_photo_the_caller_holds_is_not_sent_again(platform: Platform) -> None:
    key = await _keep(platform, JPEG, "image/jpeg")
    etag = f'"{hashlib.sha256(JPEG).hexdigest()}"'
    for held in (etag, f"W/{etag}", f'"other", {etag}', "*"):
        response = await platform.client.get(f"/media/{key}", headers={"If-None-Match": held})
        assert (response.status, await response.read()) == (304, b"")
        assert response.headers["ETag"] == etag
    changed = await platform.client.get(f"/media/{key}", headers={"If-None-Match": '"other"'})
    assert (changed.status, await changed.read()) == (200, JPEG)


async def test_head_tells_the_type_and_size_without_the_bytes(platform: Platform) -> None:
    key = await _keep(platform, JPEG, "image/jpeg")
    response = await platform.client.head(f"/media/{key}")
    assert response.status == 200
    assert response.headers["Content-Type"] == "image/jpeg"
    assert response.headers["Content-Length"] == str(len(JPEG))
    assert await response.read() == b""


@pytest.mark.parametrize("key", ["no-such-key", "x" * 65, "bad%20key", "..%2Fsecrets"])
async def test_an_unknown_key_is_not_found(platform: Platform, key: str) -> None:
    await _keep(platform, JPEG, "image/jpeg")
    response = await platform.client.get(f"/media/{key}")
    assert response.status == 404
