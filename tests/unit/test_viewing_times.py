"""Every viewing time reads the home's clock, and names the reader's own when it reads otherwise: across
time zones, a date line, a clock change and a half-hour zone, in English and Arabic."""

from __future__ import annotations

from datetime import UTC, datetime, time
from types import SimpleNamespace

import pytest

from bots.texts import Texts
from core.timezones import clocks_agree
from tests.support import sample_listing

TEXTS = Texts("en", "GB")
PLACE = "14 Cardigan Road, Headingley, Leeds LS6 3AG"
LEEDS = sample_listing()


def utc(month: int, day: int, hour: int, minute: int = 0, year: int = 2026) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def requested(starts_at: datetime, tz: str, *, locale: str = "en", home: object = LEEDS) -> str:
    viewing = SimpleNamespace(starts_at=starts_at, viewers=1, status="confirmed")
    return TEXTS.render(
        "viewings.requested", locale=locale, channel="sms", l=home, v=viewing, tz=tz, calendar_url=None
    )


@pytest.mark.parametrize(
    ("zone", "other", "agree"),
    [
        pytest.param("Europe/London", "Europe/London", True, id="same-zone"),
        pytest.param("Europe/London", "Europe/Dublin", True, id="same-clock-other-name"),
        pytest.param("Europe/London", "Asia/Dubai", False, id="dubai"),
        pytest.param("Europe/London", "Africa/Casablanca", False, id="an-hour-apart-in-winter"),
    ],
)
def test_clocks_agree_when_they_read_the_same(zone: str, other: str, agree: bool) -> None:
    assert clocks_agree(utc(12, 2, 17), zone, other) is agree


@pytest.mark.parametrize(
    ("starts_at", "tz", "when"),
    [
        pytest.param(utc(12, 2, 17), "Europe/London", "Wed 2 Dec, 17:00", id="reader-in-the-home-s-zone"),
        pytest.param(utc(12, 2, 17), "Europe/Dublin", "Wed 2 Dec, 17:00", id="reader-whose-clock-agrees"),
        pytest.param(
            utc(12, 2, 17), "Asia/Dubai", "Wed 2 Dec, 17:00 Leeds time (21:00 yours)", id="dubai-four-ahead"
        ),
        pytest.param(
            utc(12, 2, 21),
            "Asia/Dubai",
            "Wed 2 Dec, 21:00 Leeds time (Thu 3 Dec, 01:00 yours)",
            id="dubai-past-midnight",
        ),
        pytest.param(
            utc(12, 2, 17),
            "America/New_York",
            "Wed 2 Dec, 17:00 Leeds time (12:00 yours)",
            id="new-york-behind",
        ),
        pytest.param(
            utc(12, 2, 17),
            "Asia/Kolkata",
            "Wed 2 Dec, 17:00 Leeds time (22:30 yours)",
            id="kolkata-half-hour",
        ),
        pytest.param(
            utc(3, 27, 17, year=2027),
            "Asia/Kolkata",
            "Sat 27 Mar, 17:00 Leeds time (22:30 yours)",
            id="kolkata-last-day-of-gmt",
        ),
        pytest.param(
            utc(3, 28, 16, year=2027),
            "Asia/Kolkata",
            "Sun 28 Mar, 17:00 Leeds time (21:30 yours)",
            id="kolkata-first-day-of-bst",
        ),
        pytest.param(
            utc(10, 24, 16),
            "Asia/Dubai",
            "Sat 24 Oct, 17:00 Leeds time (20:00 yours)",
            id="dubai-before-clocks-go-back",
        ),
        pytest.param(
            utc(10, 31, 17),
            "Asia/Dubai",
            "Sat 31 Oct, 17:00 Leeds time (21:00 yours)",
            id="dubai-after-clocks-go-back",
        ),
        pytest.param(
            utc(10, 24, 16), "Europe/London", "Sat 24 Oct, 17:00", id="london-reader-in-summer-time"
        ),
    ],
)
def test_a_viewing_time_for_each_reader(starts_at: datetime, tz: str, when: str) -> None:
    assert requested(starts_at, tz) == (
        f"Request sent: {when} at {PLACE}. I'll tell you as soon as the seller answers."
    )


def test_in_arabic() -> None:
    assert requested(utc(12, 2, 17), "Asia/Dubai", locale="ar") == (
        "تم إرسال الطلب: الأربعاء 2 ديسمبر, 17:00 بتوقيت Leeds (21:00 بتوقيتك) في "
        f"\u200e{PLACE}. سأخبرك فور ردّ البائع."
    )
    assert requested(utc(12, 2, 17), "Europe/London", locale="ar") == (
        f"تم إرسال الطلب: الأربعاء 2 ديسمبر, 17:00 في \u200e{PLACE}. سأخبرك فور ردّ البائع."
    )


def test_a_home_in_dubai_for_a_reader_in_london() -> None:
    home = sample_listing(city="Dubai", time_zone="Asia/Dubai", postal_code=None, subdivision_name=None)
    assert requested(utc(12, 2, 6), "Europe/London", home=home) == (
        "Request sent: Wed 2 Dec, 10:00 Dubai time (06:00 yours) at 14 Cardigan Road, Dubai. "
        "I'll tell you as soon as the seller answers."
    )


@pytest.mark.parametrize(("tz", "note"), [("Asia/Dubai", " (Leeds time)"), ("Europe/London", "")])
def test_time_buttons_read_the_home_s_clock_and_the_question_says_so(tz: str, note: str) -> None:
    text = TEXTS.render(
        "viewings.ask_time", locale="en", channel="telegram", l=LEEDS, day=utc(12, 5, 10), tz=tz
    )
    assert text == f"Free times on Sat 5 Dec{note}:"


def test_every_time_a_seller_is_shown_follows_the_same_rule() -> None:
    """A seller abroad (Dubai) hearing of a request on their Leeds home."""
    viewing = SimpleNamespace(starts_at=utc(12, 5, 10), viewers=2, status="pending")
    text = TEXTS.render(
        "viewings.request", locale="en", channel="sms", l=LEEDS, v=viewing, tz="Asia/Dubai", buyer="Amira"
    )
    assert text.startswith(
        f"Viewing request from Amira: Sat 5 Dec, 10:00 Leeds time (14:00 yours) at {PLACE}, 2 people."
    )


@pytest.mark.parametrize(
    ("locale", "tz", "line"),
    [
        ("en", "Asia/Dubai", "Saturdays, 10:00-16:00 (Leeds time)"),
        ("en", "Europe/London", "Saturdays, 10:00-16:00"),
        ("ar", "Asia/Dubai", "السبت، من 10:00 ص إلى 4:00 م (بتوقيت Leeds)"),
    ],
)
def test_a_seller_abroad_is_told_their_hours_are_the_home_s(locale: str, tz: str, line: str) -> None:
    text = TEXTS.render(
        "hours.show",
        locale=locale,
        channel="sms",
        l=LEEDS,
        settings=None,
        weekly=[([5], SimpleNamespace(start=time(10), end=time(16)))],
        overrides=[],
        now=utc(11, 20, 10),
        tz=tz,
    )
    assert text.splitlines()[2] == line
