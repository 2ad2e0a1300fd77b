"""The calendar file of a viewing: exact fields, UTC times, CRLF lines, the reminder, the cancelled kind."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from core.viewings.calendar import calendar_url, viewing_calendar, viewing_event_texts, viewing_ics
from core.viewings.model import Viewing, ViewingStatus
from tests.support import sample_listing

START = datetime(2026, 11, 24, 14, 0, tzinfo=UTC)
STAMP = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
EVENT: dict[str, Any] = dict(
    uid="viewing-7@doorstep",
    start=START,
    end=START + timedelta(minutes=30),
    summary="Viewing: 14 Cardigan Road",
    location="14 Cardigan Road, Leeds LS6 3AG",
    description="Listing LS6-0001\nBooked on Doorstep",
    stamp=STAMP,
)


def ics_of(**changes: Any) -> str:
    """The calendar file of viewing 7, with any argument changed."""
    return viewing_ics(**{**EVENT, **changes})


def lines(ics: str) -> list[str]:
    """The content lines of a calendar file, after checking every one ends in CRLF."""
    assert ics.endswith("\r\n")
    assert "\n" not in ics.replace("\r\n", "")
    return ics.removesuffix("\r\n").split("\r\n")


def test_a_booked_viewing_is_one_published_event_with_a_reminder_an_hour_before() -> None:
    ics = ics_of()
    assert lines(ics) == [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Doorstep//Viewings//EN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        "SUMMARY:Viewing: 14 Cardigan Road",
        "DTSTART:20261124T140000Z",
        "DTEND:20261124T143000Z",
        "DTSTAMP:20261120T100000Z",
        "UID:viewing-7@doorstep",
        "SEQUENCE:0",
        "DESCRIPTION:Listing LS6-0001\\nBooked on Doorstep",
        "LOCATION:14 Cardigan Road\\, Leeds LS6 3AG",
        "BEGIN:VALARM",
        "ACTION:DISPLAY",
        "DESCRIPTION:Viewing: 14 Cardigan Road",
        "TRIGGER:-PT1H",
        "END:VALARM",
        "END:VEVENT",
        "END:VCALENDAR",
    ]


def test_it_parses_back_to_the_same_event() -> None:
    calendar = Calendar.from_ical(ics_of())
    [event] = calendar.walk("VEVENT")
    assert (str(event["UID"]), event.decoded("DTSTART"), event.decoded("DTEND")) == (
        "viewing-7@doorstep",
        START,
        START + timedelta(minutes=30),
    )
    assert str(event["LOCATION"]) == "14 Cardigan Road, Leeds LS6 3AG"
    assert str(event["DESCRIPTION"]) == "Listing LS6-0001\nBooked on Doorstep"
    [alarm] = event.walk("VALARM")
    assert (str(alarm["ACTION"]), alarm.decoded("TRIGGER")) == ("DISPLAY", timedelta(hours=-1))


def test_a_cancelled_viewing_is_a_cancel_with_a_later_sequence_and_no_reminder() -> None:
    ics = ics_of(cancelled=True, sequence=1)
    assert {"METHOD:CANCEL", "STATUS:CANCELLED", "SEQUENCE:1", "UID:viewing-7@doorstep"} <= set(lines(ics))
    assert "VALARM" not in ics and "METHOD:PUBLISH" not in ics


def test_local_times_are_written_in_utc_and_naive_ones_refused() -> None:
    london = START.astimezone(ZoneInfo("Europe/London")).replace(month=7, hour=15)
    ics = ics_of(start=london, end=london + timedelta(minutes=30))
    assert {"DTSTART:20260724T140000Z", "DTEND:20260724T143000Z"} <= set(lines(ics))
    with pytest.raises(ValueError, match="naive"):
        ics_of(start=START.replace(tzinfo=None))


def test_long_texts_are_folded_and_escaped_and_read_back_whole() -> None:
    summary = "Viewing: Flat 3; The Old Mill, " + "Canal Wharf " * 10
    ics = ics_of(summary=summary)
    assert all(len(line.encode()) <= 75 for line in lines(ics))
    [event] = Calendar.from_ical(ics).walk("VEVENT")
    assert str(event["SUMMARY"]) == summary


@pytest.mark.parametrize(
    ("overrides", "summary", "location"),
    [
        ({}, "Viewing: 14 Cardigan Road", "14 Cardigan Road, Leeds LS6 3AG"),
        ({"unparsed_address": None}, "Viewing: Leeds", "Leeds LS6 3AG"),
        ({"postal_code": None}, "Viewing: 14 Cardigan Road", "14 Cardigan Road, Leeds"),
        ({"unparsed_address": "", "postal_code": ""}, "Viewing: Leeds", "Leeds"),
    ],
)
def test_event_texts_skip_the_parts_a_listing_lacks(
    overrides: dict[str, object], summary: str, location: str
) -> None:
    texts = viewing_event_texts(sample_listing(**overrides))
    assert texts == (summary, location, "Listing LS6-0001\nBooked on Doorstep")


def booking(status: ViewingStatus) -> Viewing:
    """A viewing as loaded from the database, in `status`."""
    return Viewing(
        id=7, status=status, starts_at=START, ends_at=START + timedelta(minutes=30), updated_at=STAMP
    )


@pytest.mark.parametrize(
    "status",
    [
        ViewingStatus.CANCELLED,
        ViewingStatus.DECLINED,
        ViewingStatus.LAPSED,
        ViewingStatus.EXPIRED,
        ViewingStatus.RESCHEDULED,
    ],
)
def test_a_called_off_viewing_comes_out_cancelled(status: ViewingStatus) -> None:
    ics = viewing_calendar(booking(status), sample_listing())
    assert {"METHOD:CANCEL", "STATUS:CANCELLED", "SEQUENCE:1"} <= set(lines(ics))


@pytest.mark.parametrize(
    "status", [ViewingStatus.CONFIRMED, ViewingStatus.PENDING, ViewingStatus.HELD, ViewingStatus.COMPLETED]
)
def test_a_viewing_still_on_or_done_is_published(status: ViewingStatus) -> None:
    ics = viewing_calendar(booking(status), sample_listing())
    assert ics == ics_of()


def test_the_link_is_under_the_public_base_url() -> None:
    assert calendar_url("https://doorstep.test/", "abc_-9") == "https://doorstep.test/calendar/abc_-9.ics"
