"""A fake RESO Web API (OData v4) feed: OAuth2 tokens, Property and Media with queries, scripted faults."""

from __future__ import annotations

import base64
import binascii
import bisect
import json
import operator
import re
import secrets
import time
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from http import HTTPStatus
from typing import Any, Literal
from urllib.parse import quote, unquote_plus

from aiohttp import web

from tests.fakes.server import LocalServer

Record = dict[str, Any]
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
RequestHook = Callable[["FakeReso", int, str], None]
Paging = Literal["nextlink", "skip"]

PROPERTY_PATH = "/odata/Property"
MEDIA_PATH = "/odata/Media"
TOKEN_PATH = "/oauth2/token"
ODATA_JSON = "application/json; odata.metadata=minimal"
SUPPORTED_OPTIONS = frozenset({"$filter", "$orderby", "$top", "$skip", "$select", "$count", "$expand"})
LINK_SAFE = "$,'():"

# ----- timestamps ---------------------------------------------------------------------------------------

_INSTANT = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,12}))?)?(Z|[+-]\d{2}:\d{2})"
)


def parse_instant(text: str) -> datetime | None:
    """The instant an OData DateTimeOffset names (fractions beyond microseconds dropped); None if not one."""
    match = _INSTANT.fullmatch(text)
    if match is None:
        return None
    year, month, day, hour, minute, second, fraction, offset = match.groups()
    zone = UTC
    if offset != "Z":
        sign = -1 if offset[0] == "-" else 1
        zone = timezone(sign * timedelta(hours=int(offset[1:3]), minutes=int(offset[4:6])))
    micro = int((fraction or "0")[:6].ljust(6, "0"))
    try:
        return datetime(
            int(year), int(month), int(day), int(hour), int(minute), int(second or 0), micro, zone
        )
    except ValueError:
        return None


def iso(moment: datetime) -> str:
    """`moment` as the feed writes it: UTC with a Z, microseconds only when there are some."""
    if moment.tzinfo is None:
        raise ValueError("timestamps must be timezone-aware")
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


# ----- stored rows --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Row:
    """A stored record with its timestamp fields parsed once, and its place in the natural order."""

    record: Record
    instants: dict[str, datetime]
    order: tuple[Any, ...]

    def value(self, name: str) -> Any:
        """The field as compared and sorted: timestamps as instants."""
        return self.instants[name] if name in self.instants else self.record.get(name)


class _Table:
    """One resource's rows kept sorted by its natural order, found by identity."""

    def __init__(self, name: str, identity: str, order: tuple[str, ...], fields: Iterable[str]) -> None:
        self.name = name
        self.identity = identity
        self.order = order
        self.fields = set(fields)
        self.rows: list[_Row] = []
        self._by_id: dict[str, _Row] = {}

    def put(self, record: Record) -> None:
        """Add or replace the record with the same identity."""
        if not isinstance(record.get(self.identity), str):
            raise ValueError(f"a {self.name} record needs a string {self.identity}")
        stored = dict(record)
        instants = {k: t for k, v in stored.items() if isinstance(v, str) and (t := parse_instant(v))}
        order = tuple(_nulls_first(instants.get(name, stored.get(name))) for name in self.order)
        row = _Row(stored, instants, order)
        self.delete(stored[self.identity])
        bisect.insort(self.rows, row, key=lambda r: r.order)
        self._by_id[stored[self.identity]] = row
        self.fields.update(stored)

    def delete(self, identity: str) -> None:
        """Forget the record, if stored."""
        row = self._by_id.pop(identity, None)
        if row is not None:
            at = bisect.bisect_left(self.rows, row.order, key=lambda r: r.order)
            while self.rows[at] is not row:
                at += 1
            del self.rows[at]

    def get(self, identity: str) -> _Row | None:
        """The stored row, or None."""
        return self._by_id.get(identity)


def _sort_value(row: _Row, name: str) -> tuple[int, Any]:
    """Sort key for one field, timestamps as instants."""
    return _nulls_first(row.value(name))


def _nulls_first(value: Any) -> tuple[int, Any]:
    """Sort key placing nulls before every value, as OData orders ascending; values of different kinds (a
    timestamp the fake could not read beside ones it could) sort by kind, never comparing across kinds."""
    if value is None:
        return (0, 0)
    if isinstance(value, datetime):
        return (1, value)
    if isinstance(value, (int, float, Decimal)):
        return (2, value)
    if isinstance(value, str):
        return (3, value)
    return (4, repr(value))


# ----- $filter ------------------------------------------------------------------------------------------


class QueryError(Exception):
    """A query option the server refuses (answered 400 with an OData error body)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


Predicate = Callable[[_Row], bool]
_COMPARE: dict[str, Callable[[Any, Any], bool]] = {
    "eq": operator.eq,
    "ne": operator.ne,
    "gt": operator.gt,
    "ge": operator.ge,
    "lt": operator.lt,
    "le": operator.le,
}
_KEYWORDS = frozenset({"and", "or", "not", "in", "true", "false", "null", *_COMPARE})
_TOKEN = re.compile(
    r"""\s*(?:
      (?P<instant>\d{4}-\d{2}-\d{2}T[0-9:.]+(?:Z|[+-]\d{2}:\d{2}))
    | (?P<string>'(?:[^']|'')*')
    | (?P<number>-?\d+(?:\.\d+)?)
    | (?P<word>[A-Za-z_][A-Za-z0-9_]*)
    | (?P<punct>[(),])
    )""",
    re.VERBOSE,
)


@dataclass(frozen=True)
class _Token:
    kind: str
    text: str
    at: int


def _tokenize(text: str) -> list[_Token]:
    """Split a $filter into instants, strings, numbers, words and punctuation."""
    tokens: list[_Token] = []
    at = 0
    while text[at:].strip():
        match = _TOKEN.match(text, at)
        if match is None or match.lastgroup is None:
            raise QueryError("InvalidFilter", f"cannot read $filter at position {at}: {text[at : at + 20]!r}")
        tokens.append(_Token(match.lastgroup, match.group(match.lastgroup), match.start(match.lastgroup)))
        at = match.end()
    return tokens


def _kind(value: Any) -> str:
    """The OData kind a value compares within; values of different kinds are never equal."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float | Decimal):
        return "number"
    return type(value).__name__


def _holds(op: str, compare: Callable[[Any, Any], bool], left: Any, right: Any) -> bool:
    """`left op right` by OData's rules: across kinds (null included) only ne holds; null equals null."""
    if _kind(left) != _kind(right):
        return op == "ne"
    if left is None:
        return op in ("eq", "ge", "le")
    return compare(left, right)


class _FilterParser:
    """Recursive descent over the tokens: or < and < not < comparison / membership / parentheses."""

    def __init__(self, text: str, fields: set[str]) -> None:
        self._tokens = _tokenize(text)
        self._next = 0
        self._fields = fields

    def parse(self) -> Predicate:
        """The predicate the whole filter states."""
        predicate = self._or()
        if self._next < len(self._tokens):
            raise self._error("expected 'and', 'or' or the end")
        return predicate

    def _or(self) -> Predicate:
        left = self._and()
        while self._take("word", "or"):
            left = _either(left, self._and())
        return left

    def _and(self) -> Predicate:
        left = self._not()
        while self._take("word", "and"):
            left = _both(left, self._not())
        return left

    def _not(self) -> Predicate:
        if self._take("word", "not"):
            inner = self._not()
            return lambda row: not inner(row)
        if self._take("punct", "("):
            inner = self._or()
            self._expect("punct", ")")
            return inner
        return self._comparison()

    def _comparison(self) -> Predicate:
        name = self._field()
        if self._take("word", "in"):
            return self._membership(name)
        op = self._peek()
        if op is None or op.kind != "word" or op.text not in _COMPARE:
            raise self._error("expected eq, ne, gt, ge, lt, le or in")
        self._next += 1
        return _comparison(name, op.text, self._literal())

    def _membership(self, name: str) -> Predicate:
        self._expect("punct", "(")
        literals = [self._literal()]
        while self._take("punct", ","):
            literals.append(self._literal())
        self._expect("punct", ")")
        get = _getter(name, literals)
        wanted = {(_kind(literal), literal) for literal in literals}

        def member(row: _Row) -> bool:
            value = get(row)
            return (_kind(value), value) in wanted

        return member

    def _field(self) -> str:
        token = self._peek()
        if token is None or token.kind != "word" or token.text in _KEYWORDS:
            raise self._error("expected a field name")
        if token.text not in self._fields:
            raise QueryError("UnknownField", f"no field {token.text!r} in this resource")
        self._next += 1
        return token.text

    def _literal(self) -> Any:
        token = self._peek()
        if token is None:
            raise self._error("expected a value")
        self._next += 1
        if token.kind == "string":
            return token.text[1:-1].replace("''", "'")
        if token.kind == "number":
            return Decimal(token.text) if "." in token.text else int(token.text)
        if token.kind == "instant" and (instant := parse_instant(token.text)) is not None:
            return instant
        if token.kind == "word" and token.text in ("true", "false", "null"):
            return {"true": True, "false": False, "null": None}[token.text]
        self._next -= 1
        raise self._error("expected a value")

    def _peek(self) -> _Token | None:
        return self._tokens[self._next] if self._next < len(self._tokens) else None

    def _take(self, kind: str, text: str) -> bool:
        token = self._peek()
        if token is not None and token.kind == kind and token.text == text:
            self._next += 1
            return True
        return False

    def _expect(self, kind: str, text: str) -> None:
        if not self._take(kind, text):
            raise self._error(f"expected {text!r}")

    def _error(self, expected: str) -> QueryError:
        token = self._peek()
        found = "the end" if token is None else f"{token.text!r} at position {token.at}"
        return QueryError("InvalidFilter", f"$filter: {expected}, found {found}")


def _comparison(name: str, op: str, literal: Any) -> Predicate:
    """`name op literal`, comparing straight away when both sides are of one type (the usual case)."""
    compare = _COMPARE[op]
    if isinstance(literal, datetime):

        def on_instant(row: _Row) -> bool:
            value = row.instants.get(name)
            return op == "ne" if value is None else compare(value, literal)

        return on_instant
    same = type(literal) if literal is not None else object

    def on_value(row: _Row) -> bool:
        value = row.record.get(name)
        return compare(value, literal) if type(value) is same else _holds(op, compare, value, literal)

    return on_value


def _getter(name: str, literals: list[Any]) -> Callable[[_Row], Any]:
    """Reads the field as instants when compared with a DateTimeOffset, else as stored."""
    if any(isinstance(literal, datetime) for literal in literals):
        return lambda row: row.value(name)
    return lambda row: row.record.get(name)


def _either(left: Predicate, right: Predicate) -> Predicate:
    return lambda row: left(row) or right(row)


def _both(left: Predicate, right: Predicate) -> Predicate:
    return lambda row: left(row) and right(row)


# ----- the other query options --------------------------------------------------------------------------


@dataclass(frozen=True)
class _Query:
    """The system query options of one request, checked against the resource."""

    predicate: Predicate | None
    order: list[tuple[str, bool]]
    top: int | None
    skip: int
    select: list[str] | None
    count: bool
    expand_media: bool


def _parse_query(options: Mapping[str, str], table: _Table, max_top: int) -> _Query:
    """Read and check $filter, $orderby, $top, $skip, $select, $count and $expand."""
    unsupported = sorted(k for k in options if k.startswith("$") and k not in SUPPORTED_OPTIONS)
    if unsupported:
        raise QueryError("NotSupported", f"query option {unsupported[0]} is not supported")
    top = _whole(options, "$top")
    if top is not None and top > max_top:
        raise QueryError("TopTooLarge", f"$top may be at most {max_top}")
    expand = options.get("$expand")
    if expand is not None and (table.name != "Property" or expand != "Media"):
        raise QueryError("NotSupported", f"cannot expand {expand!r} on {table.name}")
    if options.get("$count", "false") not in ("true", "false"):
        raise QueryError("InvalidCount", "$count must be true or false")
    text = options.get("$filter")
    return _Query(
        predicate=None if text is None else _FilterParser(text, table.fields).parse(),
        order=_parse_orderby(options.get("$orderby"), table.fields),
        top=top,
        skip=_whole(options, "$skip") or 0,
        select=_parse_select(options.get("$select"), table.fields),
        count=options.get("$count") == "true",
        expand_media=expand is not None,
    )


def _whole(options: Mapping[str, str], name: str) -> int | None:
    text = options.get(name)
    if text is None:
        return None
    if not text.isascii() or not text.isdigit():
        raise QueryError("InvalidNumber", f"{name} must be a whole number, not {text!r}")
    return int(text)


def _known(name: str, fields: set[str], option: str) -> str:
    if name not in fields:
        raise QueryError("UnknownField", f"{option}: no field {name!r} in this resource")
    return name


def _parse_orderby(text: str | None, fields: set[str]) -> list[tuple[str, bool]]:
    """[(field, descending)] from `Field [asc|desc], ...`."""
    if text is None:
        return []
    order = []
    for part in text.split(","):
        words = part.split()
        if len(words) not in (1, 2) or (len(words) == 2 and words[1] not in ("asc", "desc")):
            raise QueryError("InvalidOrderBy", f"$orderby: cannot read {part.strip()!r}")
        order.append((_known(words[0], fields, "$orderby"), words[-1] == "desc"))
    return order


def _parse_select(text: str | None, fields: set[str]) -> list[str] | None:
    if text is None:
        return None
    return [_known(name.strip(), fields, "$select") for name in text.split(",")]


def _ordered(rows: list[_Row], order: list[tuple[str, bool]], natural: tuple[str, ...]) -> list[_Row]:
    """Rows in the requested order; the stored order already answers any ascending prefix of it."""
    if len(order) <= len(natural) and all(o == (n, False) for o, n in zip(order, natural, strict=False)):
        return rows
    rows = list(rows)
    for name, descending in reversed(order):
        rows.sort(key=lambda row: _sort_value(row, name), reverse=descending)
    return rows


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


# ----- the server ---------------------------------------------------------------------------------------


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
        self._properties = _Table(
            "Property", "ListingKey", ("ModificationTimestamp", "ListingKey"), PROPERTY_FIELDS
        )
        self._media = _Table("Media", "MediaKey", ("ResourceRecordKey", "Order", "MediaKey"), MEDIA_FIELDS)
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

    def _serve(self, request: web.Request, table: _Table) -> web.Response:
        """One page of the resource, or the OData error explaining why not."""
        if not self._authorized(request):
            challenge = {"WWW-Authenticate": 'Bearer error="invalid_token"'}
            return _odata_error(401, "Unauthorized", "missing, unknown or expired token", challenge)
        try:
            query = _parse_query(request.query, table, self.max_top)
        except QueryError as exc:
            return _odata_error(400, exc.code, exc.message)
        rows = table.rows
        if query.predicate is not None:
            rows = [row for row in rows if query.predicate(row)]
        rows = _ordered(rows, query.order, table.order)
        size = min(self.page_size if query.top is None else query.top, self.max_top)
        origin = str(request.url.origin())
        body: Record = {"@odata.context": f"{origin}/odata/$metadata#{table.name}"}
        if query.count:
            body["@odata.count"] = len(rows)
        body["value"] = [self._shaped(row, query) for row in rows[query.skip : query.skip + size]]
        if self.paging == "nextlink" and size and query.skip + size < len(rows):
            body["@odata.nextLink"] = _next_link(origin, request.path, request.query, query.skip + size)
        return web.Response(body=json.dumps(body), headers={"Content-Type": ODATA_JSON})

    def _shaped(self, row: _Row, query: _Query) -> Record:
        """The record as the client asked: selected fields only (null when absent), media expanded."""
        record = row.record if query.select is None else {name: row.record.get(name) for name in query.select}
        if query.expand_media:
            media = self._media_keys.get(row.record["ListingKey"], [])
            rows = sorted(
                (r for k in media if (r := self._media.get(k))), key=lambda r: _sort_value(r, "Order")
            )
            record = {**record, "Media": [r.record for r in rows]}
        return record


# ----- realistic records --------------------------------------------------------------------------------

# city, subdivision, postcode district, latitude, longitude
PLACES = (
    ("Leeds", "Headingley", "LS6", 53.8196, -1.5795),
    ("Leeds", "Chapel Allerton", "LS7", 53.8290, -1.5383),
    ("Leeds", "Roundhay", "LS8", 53.8390, -1.4950),
    ("Manchester", "Didsbury", "M20", 53.4166, -2.2310),
    ("Manchester", "Chorlton", "M21", 53.4420, -2.2770),
    ("Manchester", "Ancoats", "M4", 53.4840, -2.2260),
    ("Bristol", "Clifton", "BS8", 51.4650, -2.6120),
    ("Bristol", "Redland", "BS6", 51.4700, -2.6010),
    ("Bristol", "Bedminster", "BS3", 51.4400, -2.6000),
    ("London", "Clapham", "SW4", 51.4620, -0.1380),
    ("London", "Islington", "N1", 51.5380, -0.1030),
    ("London", "Hackney", "E8", 51.5450, -0.0550),
    ("Sheffield", "Ecclesall", "S11", 53.3620, -1.5010),
    ("Sheffield", "Crookes", "S10", 53.3850, -1.5100),
    ("York", "Clifton", "YO30", 53.9720, -1.0950),
)
CITY_PRICE = {"Leeds": 260, "Manchester": 270, "Bristol": 380, "London": 650, "Sheffield": 220, "York": 320}
# subtype, price factor, fewest bedrooms, most bedrooms
SUBTYPES = (
    ("Flat", 0.7, 1, 2),
    ("Terraced house", 0.9, 2, 3),
    ("Semi-detached house", 1.1, 3, 3),
    ("Detached house", 1.6, 4, 5),
    ("Bungalow", 1.05, 2, 3),
)
STREETS = (
    "Otley Road", "Victoria Road", "Church Lane", "Park Avenue", "Station Road", "Mill Street",
    "Grove Terrace", "Queens Road", "Albert Street", "Highfield Close", "Manor Drive",
)  # fmt: skip
FEATURES = ("a south-facing garden", "off-street parking", "a newly fitted kitchen", "period features")
INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"
PHOTO_CAPTIONS = ("Front", "Living room", "Kitchen", "Main bedroom", "Bathroom", "Garden", "Street view")


def make_record(n: int, modified: datetime, **overrides: Any) -> Record:
    """A UK residential Property record built from `n`; overrides win and None removes a field."""
    city, subdivision, district, latitude, longitude = PLACES[(n // 5) % len(PLACES)]
    subtype, factor, fewest, most = SUBTYPES[n % len(SUBTYPES)]
    bedrooms = fewest + n % (most - fewest + 1)
    price = round((CITY_PRICE[city] * factor + 15 * bedrooms + n % 13 * 5) / 5) * 5000
    area = 22 + 18 * bedrooms + n % 10
    number, street = str(1 + n % 150), STREETS[n % len(STREETS)]
    postcode = f"{district} {1 + n % 9}{INWARD_LETTERS[n // 9 % 20]}{INWARD_LETTERS[n // 180 % 20]}"
    flat = f"Flat {1 + n % 12}, " if subtype == "Flat" else ""
    bathrooms = 1 if bedrooms <= 2 else 2
    record: Record = {
        "ListingKey": f"FMLS{n:07d}",
        "ListingId": f"L{n:06d}",
        "StandardStatus": "Active",
        "ListPrice": price,
        "OriginalListPrice": price + (10000 if n % 4 == 0 else 0),
        "PropertyType": "Residential",
        "PropertySubType": subtype,
        "BedroomsTotal": bedrooms,
        "BathroomsTotalInteger": bathrooms,
        "LivingArea": round(area * 10.7639) if n % 4 == 3 else area,
        "LivingAreaUnits": "Square Feet" if n % 4 == 3 else "Square Meters",
        "UnparsedAddress": f"{flat}{number} {street}, {subdivision}, {city} {postcode}",
        "StreetNumber": number,
        "StreetName": street,
        "City": city,
        "SubdivisionName": subdivision,
        "PostalCode": postcode,
        "Country": "GB",
        "PublicRemarks": (
            f"A {bedrooms}-bedroom {subtype.lower()} in {subdivision}, {city}, with "
            f"{bathrooms} bathroom{'s' if bathrooms > 1 else ''} and {FEATURES[n % len(FEATURES)]}."
        ),
        "Latitude": round(latitude + (n % 17 - 8) * 0.0007, 6),
        "Longitude": round(longitude + (n % 13 - 6) * 0.0009, 6),
        "OnMarketTimestamp": iso(modified - timedelta(days=1 + n % 40, hours=n % 9)),
        "ModificationTimestamp": iso(modified),
        "PhotosChangeTimestamp": iso(modified - timedelta(hours=n % 5)),
        "PhotosCount": 3 + n % 8,
        "OriginatingSystemName": "FakeMLS",
        "MlgCanView": True,
    }
    return _overridden(record, overrides)


def make_media(listing_key: str, count: int, modified: datetime) -> list[Record]:
    """`count` photos of one listing, Order 1..count."""
    return [
        {
            "MediaKey": f"{listing_key}-P{order:02d}",
            "ResourceName": "Property",
            "ResourceRecordKey": listing_key,
            "MediaURL": f"https://media.fakemls.example/{listing_key}/{order}.jpg",
            "Order": order,
            "MediaCategory": "Photo",
            "ShortDescription": PHOTO_CAPTIONS[(order - 1) % len(PHOTO_CAPTIONS)],
            "ModificationTimestamp": iso(modified),
        }
        for order in range(1, count + 1)
    ]


def _overridden(record: Record, overrides: Mapping[str, Any]) -> Record:
    merged = {**record, **overrides}
    return {name: value for name, value in merged.items() if value is not None}
