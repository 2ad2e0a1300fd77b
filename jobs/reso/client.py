"""The RESO Web API client: OAuth2 client credentials, OData paging, and patience with a busy server."""

from __future__ import annotations

import email.utils
import json
import logging
import time
from collections.abc import AsyncIterator, Callable, Sequence
from datetime import UTC, datetime
from typing import Any, Final

import aiohttp
from yarl import URL

from core.feeds.pages import Cursor
from core.feeds.values import read_timestamp
from doorstep.feed_settings import ResoFeed
from jobs.reso import odata
from jobs.reso.limits import Limiter, OutOfTime

log = logging.getLogger(__name__)
ATTEMPTS: Final = 6
FIRST_BACKOFF_SECONDS: Final = 1.0
LONGEST_RETRY_AFTER: Final = 3600.0
TOKEN_MARGIN_SECONDS: Final = 30.0
TIMEOUT: Final = aiohttp.ClientTimeout(total=120, connect=15)
MEDIA_KEYS_PER_REQUEST: Final = 50


class FeedError(Exception):
    """The feed cannot be read now; the message says what the server answered, for the operator."""


class ResoClient:
    """Reads one feed; every request waits its turn with the limiter, and a token is fetched when needed."""

    def __init__(
        self,
        feed: ResoFeed,
        http: aiohttp.ClientSession,
        limiter: Limiter,
        *,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.feed, self._http, self._limiter, self._monotonic = feed, http, limiter, monotonic
        self._token: str | None = None
        self._token_until = 0.0
        self.requests = 0
        self.deadline: datetime | None = None

    async def pages(self, after: Cursor | None) -> AsyncIterator[list[dict[str, Any]]]:
        """The feed's records after `after`, page by page in (ModificationTimestamp, ListingKey) order.

        The server's nextLink is followed when it gives one (unless the feed says not to); otherwise the next
        page is asked for after the last record read (keyset paging), which no change on the server can
        shift the way a $skip inside a nextLink can.
        """
        url: URL | str = self._resource()
        params: dict[str, str] | None = self._query(after)
        linked = False
        while True:
            body = await self.get(url, params)
            records = _records(body)
            yield records
            link = body.get("@odata.nextLink") if self.feed.follow_next_links else None
            if isinstance(link, str) and link:
                url, params, linked = URL(link, encoded=True), None, True
                continue
            # A server that links its pages links every page but the last; without links, a page short of
            # $top is the last (an OData server that caps a page below $top must link on).
            if linked or len(records) < self.feed.max_top:
                return
            last = _position(records[-1])
            if last is None:
                raise FeedError("a page ended with a record that has no ListingKey or timestamp")
            if last == after:
                raise FeedError("a page did not move past the one before: does the server ignore $filter?")
            after = last
            url, params = self._resource(), self._query(last)

    async def media(self, keys: Sequence[str]) -> dict[str, list[dict[str, Any]]]:
        """The Media records of each listing key, in Order, a few keys per request."""
        found: dict[str, list[dict[str, Any]]] = {key: [] for key in keys}
        for start in range(0, len(keys), MEDIA_KEYS_PER_REQUEST):
            chunk = keys[start : start + MEDIA_KEYS_PER_REQUEST]
            params: dict[str, str] | None = {
                "$filter": f"ResourceName eq 'Property' and ({odata.one_of('ResourceRecordKey', chunk)})",
                "$orderby": "ResourceRecordKey,Order",
                "$top": str(self.feed.max_top),
            }
            url: URL | str = f"{self.feed.base_url}/Media"
            skip = 0
            while True:
                body = await self.get(url, params)
                items = _records(body)
                for item in items:
                    owner = item.get("ResourceRecordKey")
                    if isinstance(owner, str) and owner in found:
                        found[owner].append(item)
                link = body.get("@odata.nextLink")
                if isinstance(link, str) and link:
                    url, params = URL(link, encoded=True), None
                elif len(items) >= self.feed.max_top and params is not None:
                    skip += len(items)
                    params = {**params, "$skip": str(skip)}
                else:
                    break
        return found

    async def keys(self) -> AsyncIterator[list[str]]:
        """Every ListingKey the feed serves now, page by page in key order (for the reconciliation pass)."""
        last: str | None = None
        url: URL | str = self._resource()
        params: dict[str, str] | None = self._keys_query(last)
        while True:
            body = await self.get(url, params)
            keys = [str(r["ListingKey"]) for r in _records(body) if r.get("ListingKey") not in (None, "")]
            yield keys
            link = body.get("@odata.nextLink")
            if isinstance(link, str) and link:
                url, params = URL(link, encoded=True), None
                continue
            if len(keys) < self.feed.max_top:
                return
            if keys[-1] == last:
                raise FeedError("the server sent a page of keys that does not move past the last one")
            last = keys[-1]
            url, params = self._resource(), self._keys_query(last)

    async def records(self, keys: Sequence[str]) -> list[dict[str, Any]]:
        """The named records, as the incremental sync reads them."""
        found: list[dict[str, Any]] = []
        for start in range(0, len(keys), MEDIA_KEYS_PER_REQUEST):
            chunk = keys[start : start + MEDIA_KEYS_PER_REQUEST]
            params = {"$filter": odata.one_of("ListingKey", chunk), "$orderby": odata.ORDER}
            found += _records(await self.get(self._resource(), params))
        return found

    async def get(self, url: URL | str, params: dict[str, str] | None) -> dict[str, Any]:
        """One GET answered with JSON: a 401 renews the token once; 429, 5xx and broken connections are
        tried again (after Retry-After, or backing off); any other refusal is a FeedError."""
        backoff, renewed = FIRST_BACKOFF_SECONDS, False
        for attempt in range(1, ATTEMPTS + 1):
            await self._limiter.wait(self.deadline)
            headers = {"Authorization": f"Bearer {await self._bearer()}", "Accept": "application/json"}
            self.requests += 1
            try:
                async with self._http.get(url, params=params, headers=headers, timeout=TIMEOUT) as response:
                    status, text = response.status, await response.text()
                    retry_after = _retry_after(response.headers.get("Retry-After"))
            except (TimeoutError, aiohttp.ClientError) as exc:
                status, text, retry_after = 0, f"{type(exc).__name__}: {exc}", None
            if status == 200:
                return _json(text, url)
            if status == 401 and not renewed:
                self._token, renewed = None, True
                continue
            if (status != 429 and status != 0 and status < 500) or attempt == ATTEMPTS:
                raise FeedError(f"{_where(url)} answered {status or 'nothing'}: {_gist(text)}")
            wait = retry_after if retry_after is not None else backoff
            if status == 429:
                self._limiter.pause(wait)
            log.warning(
                "reso %s: %s answered %s; trying again in %.1f s",
                self.feed.originating_system_name,
                _where(url),
                status or "nothing",
                wait,
            )
            try:
                await self._limiter.sleep(wait, self.deadline)
            except OutOfTime:
                raise FeedError(
                    f"{_where(url)} answered {status or 'nothing'}; the next try would come after this run's "
                    "time, so the next run tries again"
                ) from None
            backoff *= 2
        raise AssertionError("unreachable")

    async def _bearer(self) -> str:
        if self._token is None or self._monotonic() >= self._token_until:
            self._token, lifetime = await self._fetch_token()
            self._token_until = self._monotonic() + max(0.0, lifetime - TOKEN_MARGIN_SECONDS)
        return self._token

    async def _fetch_token(self) -> tuple[str, float]:
        feed = self.feed
        form = {
            "grant_type": "client_credentials",
            "client_id": feed.client_id,
            "client_secret": feed.client_secret.get_secret_value(),
        }
        if feed.scope:
            form["scope"] = feed.scope
        try:
            async with self._http.post(feed.token_url, data=form, timeout=TIMEOUT) as response:
                status, text = response.status, await response.text()
        except (TimeoutError, aiohttp.ClientError) as exc:
            raise FeedError(f"the token endpoint could not be reached: {exc}") from None
        if status != 200:
            raise FeedError(f"the token endpoint answered {status}: {_gist(text)}")
        body = _json(text, feed.token_url)
        token, lifetime = body.get("access_token"), body.get("expires_in", 3600)
        if not isinstance(token, str) or not token:
            raise FeedError("the token endpoint gave no access_token")
        return token, float(lifetime) if isinstance(lifetime, (int, float)) else 3600.0

    def _resource(self) -> str:
        return f"{self.feed.base_url}/{self.feed.resource}"

    def _query(self, after: Cursor | None) -> dict[str, str]:
        query = {"$orderby": odata.ORDER, "$top": str(self.feed.max_top)}
        condition = odata.after(after)
        if condition:
            query["$filter"] = condition
        return query

    def _keys_query(self, after: str | None) -> dict[str, str]:
        query = {"$select": "ListingKey", "$orderby": "ListingKey", "$top": str(self.feed.max_top)}
        condition = odata.key_after(after)
        if condition:
            query["$filter"] = condition
        return query


def _records(body: dict[str, Any]) -> list[dict[str, Any]]:
    value = body.get("value")
    if not isinstance(value, list):
        raise FeedError("the answer has no list of records (its 'value')")
    return [item for item in value if isinstance(item, dict)]


def _position(raw: dict[str, Any]) -> Cursor | None:
    key, at = raw.get("ListingKey"), read_timestamp(raw.get("ModificationTimestamp"))
    if key in (None, "") or at is None:
        return None
    return Cursor(at, str(key).strip())


def _json(text: str, url: URL | str) -> dict[str, Any]:
    try:
        body = json.loads(text)
    except ValueError:
        raise FeedError(f"{_where(url)} answered with something that is not JSON: {_gist(text)}") from None
    if not isinstance(body, dict):
        raise FeedError(f"{_where(url)} answered JSON that is not an object")
    return body


def _retry_after(value: str | None) -> float | None:
    """Retry-After in seconds, given as seconds or as an HTTP date; None when absent or unreadable."""
    if not value:
        return None
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        seconds = (when - datetime.now(UTC)).total_seconds()
    return min(LONGEST_RETRY_AFTER, max(0.0, seconds))


def _where(url: URL | str) -> str:
    return URL(str(url)).path or str(url)


def _gist(text: str) -> str:
    return " ".join(text.split())[:300] or "(empty)"
