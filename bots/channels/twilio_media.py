"""Media people send on SMS and WhatsApp, fetched from Twilio with the account's credentials."""

from __future__ import annotations

from urllib.parse import urlsplit

from aiohttp import ClientError, ClientResponse, ClientSession, ClientTimeout

from bots.channels.twilio_client import (
    DEFAULT_API_BASE_URL,
    basic_authorization,
    is_twilio_api_url,
    rewrite_twilio_url,
)
from bots.photos import PhotoRefused, ReceivedPhoto, taken
from core.listings.photos import MAX_PHOTO_BYTES

TIMEOUT_SECONDS = 15.0
# Twilio answers a media URL with a redirect to a signed CDN address; one or two hops, never a chain.
MAX_REDIRECTS = 5
_CHUNK = 64 * 1024


class TwilioMedia:
    """Fetches MediaUrls with HTTP basic auth over one aiohttp session, opened on first use."""

    def __init__(
        self,
        account_sid: str,
        auth_token: str,
        api_base_url: str = DEFAULT_API_BASE_URL,
        *,
        limit: int = MAX_PHOTO_BYTES,
        timeout: float = TIMEOUT_SECONDS,
    ) -> None:
        self._authorization = {"Authorization": basic_authorization(account_sid, auth_token)}
        self._api_base_url = api_base_url
        self._api_origin = _origin(api_base_url)
        self._limit = limit
        self._timeout = ClientTimeout(total=timeout)
        self._session: ClientSession | None = None

    async def fetch(self, url: str, content_type: str = "") -> ReceivedPhoto:
        """The photo at a MediaUrl; a type Twilio states as not an image is refused without fetching it."""
        stated = content_type.strip().lower()
        if stated and not stated.startswith("image/"):
            raise PhotoRefused("not_image")
        url = rewrite_twilio_url(url, self._api_base_url)
        if not self.is_twilio_media(url):
            raise PhotoRefused("unreachable")
        try:
            async with self._client().get(
                url, headers=self._authorization, allow_redirects=True, max_redirects=MAX_REDIRECTS
            ) as response:
                data = await self._body(response)
        except (ClientError, TimeoutError):
            raise PhotoRefused("unreachable") from None
        return taken(data, limit=self._limit)

    def is_twilio_media(self, url: str) -> bool:
        """Only Twilio's own URLs get the account's credentials (aiohttp drops them on a redirect away)."""
        return is_twilio_api_url(url) or _origin(url) == self._api_origin

    async def _body(self, response: ClientResponse) -> bytes:
        """The response's bytes, read no further than one past the limit."""
        if response.status != 200:
            raise PhotoRefused("unreachable")
        if response.content_length is not None and response.content_length > self._limit:
            raise PhotoRefused("too_large")
        data = bytearray()
        async for chunk in response.content.iter_chunked(_CHUNK):
            data += chunk
            if len(data) > self._limit:
                raise PhotoRefused("too_large")
        return bytes(data)

    def _client(self) -> ClientSession:
        if self._session is None or self._session.closed:
            self._session = ClientSession(timeout=self._timeout)
        return self._session

    async def aclose(self) -> None:
        """Close the session; a later fetch opens a new one."""
        session, self._session = self._session, None
        if session is not None:
            await session.close()


def _origin(url: str) -> tuple[str, str, int | None]:
    parts = urlsplit(url)
    try:
        port = parts.port
    except ValueError:
        port = None
    return parts.scheme.lower(), (parts.hostname or "").lower(), port
