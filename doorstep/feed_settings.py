"""RESO_FEEDS: the MLS feeds Doorstep imports, each validated into one frozen object."""

from __future__ import annotations

import json
import re
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SecretStr,
    ValidationError,
    field_validator,
    model_validator,
)

_SYSTEM_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 ._-]{0,99}$")


class FeedRates(BaseModel):
    """The requests a feed's server allows; the sync never sends more in any second, hour or day."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    per_second: float = Field(default=2.0, gt=0, le=100)
    per_hour: int = Field(default=7200, ge=1)
    per_day: int = Field(default=40000, ge=1)


class ResoFeed(BaseModel):
    """One RESO Web API feed: where it is, how to sign in, and what its records leave out."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    originating_system_name: str
    base_url: str
    token_url: str
    client_id: str
    client_secret: SecretStr
    scope: str | None = None
    resource: str = "Property"
    max_top: int = Field(default=200, ge=1, le=10000)
    follow_next_links: bool = True
    rates: FeedRates = FeedRates()
    media: bool = True
    interval_minutes: float = Field(default=15, gt=0)
    reconcile_hours: float = Field(default=24, ge=0)
    run_seconds: float = Field(default=600, gt=0)
    broker_phone: str | None = None
    country: str = "GB"
    currency_code: str = "GBP"
    time_zone: str = "Europe/London"

    @field_validator("originating_system_name")
    @classmethod
    def _system(cls, value: str) -> str:
        if not _SYSTEM_NAME.match(value):
            raise ValueError("must be 1-100 letters, digits, spaces, dots, dashes or underscores")
        return value

    @field_validator("base_url", "token_url")
    @classmethod
    def _url(cls, value: str) -> str:
        if not re.match(r"^https?://[^/\s]+", value):
            raise ValueError("must be an http:// or https:// URL")
        return value.rstrip("/")

    @field_validator("time_zone")
    @classmethod
    def _zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError("is not an IANA time zone such as Europe/London") from None
        return value

    @field_validator("country", "currency_code")
    @classmethod
    def _code(cls, value: str) -> str:
        if not value.isalpha():
            raise ValueError("must be letters only, such as GB or GBP")
        return value.upper()


class ResoFeeds(BaseModel):
    """Every configured feed, each system named once."""

    model_config = ConfigDict(frozen=True)

    feeds: tuple[ResoFeed, ...] = ()

    @model_validator(mode="after")
    def _unique(self) -> ResoFeeds:
        names = [feed.originating_system_name for feed in self.feeds]
        if len(set(names)) != len(names):
            raise ValueError("each feed's originating_system_name must be given once")
        return self


def parse_feeds(value: Any) -> tuple[ResoFeed, ...]:
    """RESO_FEEDS as JSON (a list of feeds, or one feed object) into validated feeds."""
    if isinstance(value, str):
        if not value.strip():
            return ()
        try:
            value = json.loads(value)
        except json.JSONDecodeError:
            raise ValueError(
                'must be JSON: a list of feeds such as [{"originating_system_name": "...", "base_url": ...}]'
            ) from None
    if isinstance(value, dict):
        value = [value]
    if not isinstance(value, list | tuple):
        raise ValueError(f"must be a list of feeds or one feed object, not {_shown(value)}")
    for number, feed in enumerate(value, 1):
        if not isinstance(feed, dict | ResoFeed):
            raise ValueError(f"feed {number} must be an object of the feed's settings, not {_shown(feed)}")
    try:
        return ResoFeeds(feeds=tuple(value)).feeds
    except ValidationError as exc:
        raise ValueError(_describe(exc)) from None


def _shown(value: Any) -> str:
    """A value as the operator wrote it in JSON."""
    return json.dumps(value, default=repr)


def _describe(exc: ValidationError) -> str:
    """Each problem as `feed N field: message`, feeds counted from 1 as an operator would."""
    problems = []
    for error in exc.errors():
        where = [str(part) for part in error["loc"][1:]]
        if where and where[0].isdigit():
            where[0] = f"feed {int(where[0]) + 1}"
        message = str(error["msg"]).removeprefix("Value error, ")
        problems.append(f"{' '.join(where)}: {message}" if where else message)
    return "; ".join(problems)
