"""A fake RESO Web API (OData v4) feed: OAuth2 tokens, Property and Media with queries, scripted faults."""

from __future__ import annotations

import base64
import binascii
import json
import secrets
import time
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass
from http import HTTPStatus
from typing import Literal
from urllib.parse import quote, unquote_plus

from aiohttp import web

from tests.fakes.odata import Query, QueryError, Record, Row, Table, ordered, parse_query, sort_value
from tests.fakes.reso_records import make_media, make_record
from tests.fakes.server import LocalServer

__all__ = [
    "MEDIA_FIELDS",
    "MEDIA_PATH",
    "PROPERTY_FIELDS",
    "PROPERTY_PATH",
    "TOKEN_PATH",
    "FakeReso",
    "RecordedRequest",
    "make_media",
    "make_record",
]

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
RequestHook = Callable[["FakeReso", int, str], None]
Paging = Literal["nextlink", "skip"]

PROPERTY_PATH = "/odata/Property"
MEDIA_PATH = "/odata/Media"
TOKEN_PATH = "/oauth2/token"
ODATA_JSON = "application/json; odata.metadata=minimal"
LINK_SAFE = "$,'():"


@dataclass(frozen=True)
class RecordedRequest:
    """One request as the feed saw it, with the status it answered."""

    method: str
    path: str
    query: dict[str, str]
    status: int
    at: float


@dataclass
class _Fault:
    path: str
    status: int
    remaining: int
    retry_after: int | None


PROPERTY_FIELDS = (
    "ListingKey ListingId StandardStatus ListPrice OriginalListPrice PropertyType PropertySubType "
    "BedroomsTotal BathroomsTotalInteger LivingArea LivingAreaUnits UnparsedAddress StreetNumber StreetName "
    "City SubdivisionName PostalCode Country PublicRemarks Latitude Longitude OnMarketTimestamp "
    "ModificationTimestamp PhotosChangeTimestamp PhotosCount OriginatingSystemName MlgCanView"
).split()
MEDIA_FIELDS = (
    "MediaKey ResourceName ResourceRecordKey MediaURL Order MediaCategory ShortDescription "
    "ModificationTimestamp"
).split()


class FakeReso(LocalServer):
    """A RESO Web API feed on loopback: records every request and answers scripted faults first.

    `clock` (default time.monotonic) times token expiry and recorded requests; tests may replace it.
    """

    def __init__(
        self,
        client_id: str = "doorstep",
        client_secret: str = "fake-reso-secret",
        token_ttl: int = 3600,
        max_top: int = 200,
        page_size: int = 100,
        paging: Paging = "nextlink",
        system: str = "FakeMLS",
    ) -> None:
        self.client_id = client_id
        self.client_secret = client_secret
        self.token_ttl = token_ttl
        self.max_top = max_top
        self.page_size = page_size
        self.paging = paging
        self.system = system
        self.clock: Callable[[], float] = time.monotonic
        self.requests: list[RecordedRequest] = []
        self.tokens_issued = 0
        self._tokens: dict[str, float] = {}
        self._properties = Table(
            "Property", "ListingKey", ("ModificationTimestamp", "ListingKey"), PROPERTY_FIELDS
        )
        self._media = Table("Media", "MediaKey", ("ResourceRecordKey", "Order", "MediaKey"), MEDIA_FIELDS)
        self._media_keys: dict[str, list[str]] = {}
        self._faults: list[_Fault] = []
        self._failing_at: dict[int, int] = {}
        self._hooks: list[RequestHook] = []
        self._data_count = 0

    # -- scripting

    def put(self, record: Record) -> None:
        """Add or replace a Property record by its ListingKey."""
        self._properties.put({"OriginatingSystemName": self.system, **record})

    def put_media(self, listing_key: str, items: Iterable[Record]) -> None:
        """Replace the media of one listing."""
        items = list(items)
        if any(item.get("ResourceRecordKey") != listing_key for item in items):
            raise ValueError(f"every media item must have ResourceRecordKey {listing_key!r}")
        self._drop_media(listing_key)
        for item in items:
            self._media.put(item)
        self._media_keys[listing_key] = [item["MediaKey"] for item in items]

    def remove(self, listing_key: str) -> None:
        """Delete a listing and its media outright, as a feed that never reports deletions does."""
        self._properties.delete(listing_key)
        self._drop_media(listing_key)

    def _drop_media(self, listing_key: str) -> None:
        for media_key in self._media_keys.pop(listing_key, []):
            self._media.delete(media_key)

    @property
    def records(self) -> list[Record]:
        """Copies of the Property records in (ModificationTimestamp, ListingKey) order."""
        return [dict(row.record) for row in self._properties.rows]

    def get(self, listing_key: str) -> Record | None:
        """A copy of one Property record, or None."""
        row = self._properties.get(listing_key)
        return None if row is None else dict(row.record)

    def expire_tokens(self) -> None:
        """Make every token issued so far invalid."""
        self._tokens.clear()

    def fail(
        self, status: int, times: int = 1, retry_after: int | None = None, path: str = PROPERTY_PATH
    ) -> None:
        """Answer the next `times` requests to `path` with `status` (after faults scripted earlier)."""
        self._faults.append(_Fault(path, status, times, retry_after))

    def fail_at(self, request_number: int, status: int) -> None:
        """Answer the Nth data request (Property and Media GETs, counted from 1) with `status`."""
        self._failing_at[request_number] = status

    def on_request(self, callback: RequestHook) -> None:
        """Run `callback(fake, request_number, path)` before each data request is answered."""
        self._hooks.append(callback)

    @property
    def data_requests(self) -> list[RecordedRequest]:
        """The recorded Property and Media GETs."""
        return [r for r in self.requests if r.method == "GET" and r.path in (PROPERTY_PATH, MEDIA_PATH)]

    # -- serving

    def make_app(self) -> web.Application:
        """The token endpoint and the two resources, behind recording and faults."""
        app = web.Application(middlewares=[self._recorded])
        app.router.add_post(TOKEN_PATH, self._token)
        app.router.add_get(PROPERTY_PATH, self._property)
        app.router.add_get(MEDIA_PATH, self._media_resource)
        return app

    @web.middleware
    async def _recorded(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        status = 500
        try:
            response: web.StreamResponse | None = self._scripted(request)
            if response is None:
                response = await handler(request)
            status = response.status
            return response
        except web.HTTPException as exc:
            status = exc.status
            raise
        finally:
            self.requests.append(
                RecordedRequest(request.method, request.path, dict(request.query), status, self.clock())
            )

    def _scripted(self, request: web.Request) -> web.Response | None:
        """Run the hooks for a data request, then answer the first fault due, if any."""
        number = None
        if request.method == "GET" and request.path in (PROPERTY_PATH, MEDIA_PATH):
            self._data_count += 1
            number = self._data_count
            for hook in self._hooks:
                hook(self, number, request.path)
        if number in self._failing_at:
            return self._fault_response(self._failing_at.pop(number), None)
        fault = next((f for f in self._faults if f.path == request.path), None)
        if fault is None:
            return None
        fault.remaining -= 1
        if fault.remaining <= 0:
            self._faults.remove(fault)
        return self._fault_response(fault.status, fault.retry_after)

    def _fault_response(self, status: int, retry_after: int | None) -> web.Response:
        headers = {"Retry-After": str(retry_after)} if status == 429 and retry_after is not None else None
        phrase = HTTPStatus(status).phrase
        return _odata_error(status, phrase.replace(" ", ""), f"{self.system}: {phrase}", headers)

    async def _token(self, request: web.Request) -> web.Response:
        form = await request.post()
        client_id, client_secret = str(form.get("client_id", "")), str(form.get("client_secret", ""))
        scheme, _, encoded = request.headers.get("Authorization", "").partition(" ")
        basic = scheme == "Basic"
        if basic:
            client_id, client_secret = _basic_credentials(encoded)
        if (client_id, client_secret) != (self.client_id, self.client_secret):
            headers = {"WWW-Authenticate": f'Basic realm="{self.system}"'} if basic else None
            return web.json_response({"error": "invalid_client"}, status=401, headers=headers)
        grant = form.get("grant_type")
        if grant != "client_credentials":
            error = "invalid_request" if grant is None else "unsupported_grant_type"
            return web.json_response({"error": error}, status=400)
        token = secrets.token_urlsafe(24)
        self._tokens[token] = self.clock() + self.token_ttl
        self.tokens_issued += 1
        return web.json_response(
            {"access_token": token, "token_type": "Bearer", "expires_in": self.token_ttl}
        )

    def _authorized(self, request: web.Request) -> bool:
        scheme, _, token = request.headers.get("Authorization", "").partition(" ")
        deadline = self._tokens.get(token) if scheme == "Bearer" else None
        return deadline is not None and self.clock() < deadline

    async def _property(self, request: web.Request) -> web.Response:
        return self._serve(request, self._properties)

    async def _media_resource(self, request: web.Request) -> web.Response:
        return self._serve(request, self._media)

    def _serve(self, request: web.Request, table: Table) -> web.Response:
        """One page of the resource, or the OData error explaining why not."""
        if not self._authorized(request):
            challenge = {"WWW-Authenticate": 'Bearer error="invalid_token"'}
            return _odata_error(401, "Unauthorized", "missing, unknown or expired token", challenge)
        try:
            query = parse_query(request.query, table, self.max_top)
        except QueryError as exc:
            return _odata_error(400, exc.code, exc.message)
        rows = table.rows
        if query.predicate is not None:
            rows = [row for row in rows if query.predicate(row)]
        rows = ordered(rows, query.order, table.order)
        size = min(self.page_size if query.top is None else query.top, self.max_top)
        origin = str(request.url.origin())
        body: Record = {"@odata.context": f"{origin}/odata/$metadata#{table.name}"}
        if query.count:
            body["@odata.count"] = len(rows)
        body["value"] = [self._shaped(row, query) for row in rows[query.skip : query.skip + size]]
        if self.paging == "nextlink" and size and query.skip + size < len(rows):
            body["@odata.nextLink"] = _next_link(origin, request.path, request.query, query.skip + size)
        return web.Response(body=json.dumps(body), headers={"Content-Type": ODATA_JSON})

    def _shaped(self, row: Row, query: Query) -> Record:
        """The record as the client asked: selected fields only (null when absent), media expanded."""
        record = row.record if query.select is None else {name: row.record.get(name) for name in query.select}
        if query.expand_media:
            media = self._media_keys.get(row.record["ListingKey"], [])
            rows = sorted(
                (r for k in media if (r := self._media.get(k))), key=lambda r: sort_value(r, "Order")
            )
            record = {**record, "Media": [r.record for r in rows]}
        return record


def _next_link(origin: str, path: str, options: Mapping[str, str], skip: int) -> str:
    """The same request from `skip` on, as an absolute URL."""
    carried = {**{k: v for k, v in options.items() if k != "$skip"}, "$skip": str(skip)}
    query = "&".join(f"{quote(k, safe='$')}={quote(v, safe=LINK_SAFE)}" for k, v in carried.items())
    return f"{origin}{path}?{query}"


def _basic_credentials(encoded: str) -> tuple[str, str]:
    """The client id and secret of HTTP Basic auth; empty when unreadable."""
    try:
        decoded = base64.b64decode(encoded, validate=True).decode()
    except (binascii.Error, UnicodeDecodeError):
        return "", ""
    client_id, _, client_secret = decoded.partition(":")
    return unquote_plus(client_id), unquote_plus(client_secret)


def _odata_error(
    status: int, code: str, message: str, headers: Mapping[str, str] | None = None
) -> web.Response:
    body = {"error": {"code": code, "message": message}}
    return web.json_response(body, status=status, headers=headers)
