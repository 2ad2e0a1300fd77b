"""OData v4 as the fake RESO feed answers it: instants, stored rows, $filter, $orderby and the rest."""

from __future__ import annotations

import bisect
import operator
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

Record = dict[str, Any]

SUPPORTED_OPTIONS = frozenset({"$filter", "$orderby", "$top", "$skip", "$select", "$count", "$expand"})

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
class Row:
    """A stored record with its timestamp fields parsed once, and its place in the natural order."""

    record: Record
    instants: dict[str, datetime]
    order: tuple[Any, ...]

    def value(self, name: str) -> Any:
        """The field as compared and sorted: timestamps as instants."""
        return self.instants[name] if name in self.instants else self.record.get(name)


class Table:
    """One resource's rows kept sorted by its natural order, found by identity."""

    def __init__(self, name: str, identity: str, order: tuple[str, ...], fields: Iterable[str]) -> None:
        self.name = name
        self.identity = identity
        self.order = order
        self.fields = set(fields)
        self.rows: list[Row] = []
        self._by_id: dict[str, Row] = {}

    def put(self, record: Record) -> None:
        """Add or replace the record with the same identity."""
        if not isinstance(record.get(self.identity), str):
            raise ValueError(f"a {self.name} record needs a string {self.identity}")
        stored = dict(record)
        instants = {k: t for k, v in stored.items() if isinstance(v, str) and (t := parse_instant(v))}
        order = tuple(_nulls_first(instants.get(name, stored.get(name))) for name in self.order)
        row = Row(stored, instants, order)
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

    def get(self, identity: str) -> Row | None:
        """The stored row, or None."""
        return self._by_id.get(identity)


def sort_value(row: Row, name: str) -> tuple[int, Any]:
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


Predicate = Callable[[Row], bool]
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

        def member(row: Row) -> bool:
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

        def on_instant(row: Row) -> bool:
            value = row.instants.get(name)
            return op == "ne" if value is None else compare(value, literal)

        return on_instant
    same = type(literal) if literal is not None else object

    def on_value(row: Row) -> bool:
        value = row.record.get(name)
        return compare(value, literal) if type(value) is same else _holds(op, compare, value, literal)

    return on_value


def _getter(name: str, literals: list[Any]) -> Callable[[Row], Any]:
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
class Query:
    """The system query options of one request, checked against the resource."""

    predicate: Predicate | None
    order: list[tuple[str, bool]]
    top: int | None
    skip: int
    select: list[str] | None
    count: bool
    expand_media: bool


def parse_query(options: Mapping[str, str], table: Table, max_top: int) -> Query:
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
    return Query(
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


def ordered(rows: list[Row], order: list[tuple[str, bool]], natural: tuple[str, ...]) -> list[Row]:
    """Rows in the requested order; the stored order already answers any ascending prefix of it."""
    if len(order) <= len(natural) and all(o == (n, False) for o, n in zip(order, natural, strict=False)):
        return rows
    rows = list(rows)
    for name, descending in reversed(order):
        rows.sort(key=lambda row: sort_value(row, name), reverse=descending)
    return rows
