"""A twilio.rest.Client on the SDK's async HTTP client, optionally pointed at another API base URL."""

from __future__ import annotations

import base64
import json
from typing import Any
from urllib.parse import urlsplit

from aiohttp import ClientSession
from twilio.http.async_http_client import AsyncTwilioHttpClient
from twilio.http.response import Response
from twilio.rest import Client

DEFAULT_API_BASE_URL = "https://api.twilio.com"
DEFAULT_TIMEOUT_SECONDS = 30.0
_TWILIO_DOMAIN = "twilio.com"
_JSON_CONTENT_TYPES = frozenset({"application/json", "application/scim+json"})


def is_twilio_api_url(url: str) -> bool:
    """True when the URL is https on twilio.com or one of its subdomains (api., content., regional...)."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    return parts.scheme == "https" and (host == _TWILIO_DOMAIN or host.endswith("." + _TWILIO_DOMAIN))


def rewrite_twilio_url(url: str, api_base_url: str = DEFAULT_API_BASE_URL) -> str:
    """Move a Twilio API URL onto api_base_url keeping path and query; other URLs are returned as they are."""
    base = api_base_url.rstrip("/")
    if base == DEFAULT_API_BASE_URL or not is_twilio_api_url(url):
        return url
    parts = urlsplit(url)
    query = f"?{parts.query}" if parts.query else ""
    return f"{base}{parts.path}{query}"


def _json_body(data: Any, headers: dict[str, str] | None) -> Any:
    """Serialise the body as JSON when the SDK asks for a JSON request (the async client forgets to)."""
    content_type = (headers or {}).get("Content-Type", "").split(";", 1)[0].strip().lower()
    if content_type in _JSON_CONTENT_TYPES and isinstance(data, dict | list):
        return json.dumps(data)
    return data


def basic_authorization(username: str, password: str) -> str:
    """Return the HTTP Basic Authorization header value for the credentials."""
    return "Basic " + base64.b64encode(f"{username}:{password}".encode()).decode("ascii")


class RewritingAsyncHttpClient(AsyncTwilioHttpClient):
    """AsyncTwilioHttpClient that sends Twilio API requests to api_base_url and sends JSON bodies as JSON.

    Also: the aiohttp session is opened on first use (so the client can be built outside an event loop),
    Basic auth goes in the Authorization header (aiohttp deprecates auth=), and a per-request timeout of
    None falls back to the client's timeout instead of meaning "no timeout at all".
    """

    session: ClientSession | None  # the SDK's own annotation is inferred as ClientSession only

    def __init__(self, api_base_url: str = DEFAULT_API_BASE_URL, timeout: float | None = None) -> None:
        super().__init__(pool_connections=False, timeout=timeout)
        self.api_base_url = api_base_url.rstrip("/")

    async def request(
        self,
        method: str,
        url: str,
        params: dict[str, object] | None = None,
        data: dict[str, object] | None = None,
        headers: dict[str, str] | None = None,
        auth: tuple[str, str] | None = None,
        timeout: float | None = None,  # noqa: ASYNC109 - the SDK's HttpClient.request signature
        allow_redirects: bool = False,
    ) -> Response:
        """Rewrite the URL, encode JSON bodies and send through the shared aiohttp session."""
        if self.session is None:
            self.session = ClientSession()
        if auth is not None:
            headers = {**(headers or {}), "Authorization": basic_authorization(*auth)}
        return await super().request(
            method,
            rewrite_twilio_url(url, self.api_base_url),
            params=params,
            data=_json_body(data, headers),
            headers=headers,
            timeout=timeout if timeout is not None else self.timeout,
            allow_redirects=allow_redirects,
        )

    async def close(self) -> None:
        """Close the aiohttp session; a later request opens a new one."""
        session, self.session = self.session, None
        if session is not None:
            await session.close()


def make_twilio_client(
    account_sid: str,
    auth_token: str,
    api_base_url: str = DEFAULT_API_BASE_URL,
    *,
    timeout: float | None = DEFAULT_TIMEOUT_SECONDS,
) -> Client:
    """Build a twilio Client whose *_async methods work and whose API requests go to api_base_url."""
    http_client = RewritingAsyncHttpClient(api_base_url, timeout=timeout)
    return Client(account_sid, auth_token, http_client=http_client)


async def close_twilio_client(client: Client) -> None:
    """Close the aiohttp session behind a client from make_twilio_client (safe to call twice)."""
    http_client = client.http_client
    if isinstance(http_client, AsyncTwilioHttpClient):
        await http_client.close()
