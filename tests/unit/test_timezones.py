"""Time zones and languages from what people type and from their phone numbers."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo, available_timezones

import phonenumbers
import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.timezones import language_for_code, language_for_number, parse_timezone, timezone_for_number

ARAB_LEAGUE = "SA AE EG QA KW BH OM JO LB IQ SY YE PS MA DZ TN LY SD MR SO DJ KM".split()
ENGLISH = ["GB", "IE", "US", "CA", "AU", "NZ"]
SUPPORTED = ("en", "ar")
REGIONS = ("Africa/", "America/", "Antarctica/", "Arctic/", "Asia/", "Atlantic/", "Australia/", "Europe/")
REGION_ZONES = sorted(
    zone for zone in available_timezones() if zone.startswith((*REGIONS, "Indian/", "Pacific/"))
)


def example_mobile(region: str) -> str:
    """phonenumbers' example mobile number for a region, in E.164."""
    number = phonenumbers.example_number_for_type(region, phonenumbers.PhoneNumberType.MOBILE)
    assert number is not None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def same_clock(first: str, second: str) -> bool:
    """Whether two zones show the same offsets in winter and summer of 2026."""
    instants = [datetime(2026, 1, 15, tzinfo=UTC), datetime(2026, 7, 15, tzinfo=UTC)]
    return all(ZoneInfo(first).utcoffset(at) == ZoneInfo(second).utcoffset(at) for at in instants)


@pytest.mark.parametrize(
    ("text", "zone"),
    [
        ("Europe/London", "Europe/London"),
        ("europe/london", "Europe/London"),
        ("EUROPE/LONDON", "Europe/London"),
        ("europe / london", "Europe/London"),
        ("Asia/Kolkata", "Asia/Kolkata"),
        ("Asia/Calcutta", "Asia/Kolkata"),
        ("america/new_york", "America/New_York"),
        ("America/Argentina/Buenos_Aires", "America/Argentina/Buenos_Aires"),
        ("new york", "America/New_York"),
        ("New_York", "America/New_York"),
        ("  new   york  ", "America/New_York"),
        ("Dubai", "Asia/Dubai"),
        ("los angeles", "America/Los_Angeles"),
        ("kolkata", "Asia/Kolkata"),
        ("calcutta", "Asia/Kolkata"),
        ("London", "Europe/London"),
        ("london.", "Europe/London"),
        ("Port au Prince", "America/Port-au-Prince"),
        ("São Paulo", "America/Sao_Paulo"),
        ("buenos aires", "America/Argentina/Buenos_Aires"),
        ("indianapolis", "America/Indiana/Indianapolis"),
        ("kiev", "Europe/Kyiv"),
        ("istanbul", "Europe/Istanbul"),
        ("UK", "Europe/London"),
        ("GMT", "Europe/London"),
        ("bst", "Europe/London"),
        ("UAE", "Asia/Dubai"),
        ("Abu Dhabi", "Asia/Dubai"),
        ("Saudi", "Asia/Riyadh"),
        ("KSA", "Asia/Riyadh"),
        ("Riyadh", "Asia/Riyadh"),
        ("India", "Asia/Kolkata"),
        ("IST", "Asia/Kolkata"),
        ("Cairo", "Africa/Cairo"),
        ("Egypt", "Africa/Cairo"),
        ("UTC", "UTC"),
        ("Doha", "Asia/Qatar"),
        ("دبي", "Asia/Dubai"),
        ("دبـــي", "Asia/Dubai"),
        ("أبوظبي", "Asia/Dubai"),
        ("ابو ظبي", "Asia/Dubai"),
        ("الإمارات", "Asia/Dubai"),
        ("الامارات", "Asia/Dubai"),
        ("الرياض", "Asia/Riyadh"),
        ("الرياض؟", "Asia/Riyadh"),
        ("جدة", "Asia/Riyadh"),
        ("جده", "Asia/Riyadh"),
        ("السعودية", "Asia/Riyadh"),
        ("القاهرة", "Africa/Cairo"),
        ("مصر", "Africa/Cairo"),
        ("لندن", "Europe/London"),
        ("الدوحة", "Asia/Qatar"),
        ("الكويت", "Asia/Kuwait"),
        ("بيروت", "Asia/Beirut"),
        ("الدار البيضاء", "Africa/Casablanca"),
    ],
)
def test_what_people_type_for_their_time_zone(text: str, zone: str) -> None:
    assert parse_timezone(text) == zone


@pytest.mark.parametrize(
    "text", ["", "   ", "nonsense", "Europe/Nowhere", "Etc/GMT+5", "gmt+5", "EST", "localtime", "عمان", "12"]
)
def test_what_is_not_a_time_zone(text: str) -> None:
    assert parse_timezone(text) is None


def test_every_region_zone_is_read_by_its_name_and_its_city() -> None:
    for zone in REGION_ZONES:
        by_name = parse_timezone(zone.lower())
        by_city = parse_timezone(zone.rsplit("/", 1)[1].replace("_", " ").upper())
        assert by_name is not None and same_clock(by_name, zone), zone
        assert by_city is not None and by_city in available_timezones(), zone


@pytest.mark.parametrize(("text", "zone"), [("US/Eastern", "US/Eastern"), ("brazil/acre", "Brazil/Acre")])
def test_older_full_names_are_kept(text: str, zone: str) -> None:
    assert parse_timezone(text) == zone


@given(st.text(max_size=30))
def test_any_text_is_a_real_zone_or_none(text: str) -> None:
    zone = parse_timezone(text)
    assert zone is None or zone in available_timezones()


@pytest.mark.parametrize(
    ("number", "zone"),
    [
        ("+447700900123", "Europe/London"),
        ("+447400123456", "Europe/London"),
        ("+441134960000", "Europe/London"),
        ("+971501234567", "Asia/Dubai"),
        ("+966512345678", "Asia/Riyadh"),
        ("+201001234567", "Africa/Cairo"),
        ("+919876543210", "Asia/Kolkata"),
        ("+353850123456", "Europe/Dublin"),
        ("+33612345678", "Europe/Paris"),
        ("+5491123456789", "America/Argentina/Buenos_Aires"),
        ("+12015550123", "America/New_York"),
    ],
)
def test_a_number_in_one_zone_gives_it(number: str, zone: str) -> None:
    assert timezone_for_number(number) == zone


@pytest.mark.parametrize(
    "number",
    ["+12085550123", "+61412345678", "+64211234567", "+970599123456", "+15555550000", "+44 12", "junk", ""],
)
def test_a_number_in_several_zones_or_none_gives_none(number: str) -> None:
    assert timezone_for_number(number) is None


@pytest.mark.parametrize("region", ARAB_LEAGUE)
def test_arab_league_numbers_speak_arabic(region: str) -> None:
    assert language_for_number(example_mobile(region), SUPPORTED) == "ar"
    assert language_for_number(example_mobile(region), ["en"]) is None


@pytest.mark.parametrize("region", ENGLISH)
def test_english_speaking_numbers_speak_english(region: str) -> None:
    assert language_for_number(example_mobile(region), SUPPORTED) == "en"
    assert language_for_number(example_mobile(region), ["ar"]) is None


@pytest.mark.parametrize("number", ["+447700900123", "+33612345678", "+919876543210", "+12345", "junk"])
def test_other_numbers_have_a_language_only_when_known(number: str) -> None:
    expected = "en" if number == "+447700900123" else None
    assert language_for_number(number, SUPPORTED) == expected


@pytest.mark.parametrize(
    ("code", "language"),
    [
        ("ar", "ar"),
        ("ar-SA", "ar"),
        ("ar_EG", "ar"),
        ("en", "en"),
        ("en-GB", "en"),
        ("EN", "en"),
        (" en-us ", "en"),
        ("fr", None),
        ("arz", None),
        ("", None),
        (None, None),
    ],
)
def test_telegram_language_codes(code: str | None, language: str | None) -> None:
    assert language_for_code(code, SUPPORTED) == language


def test_a_language_code_matches_a_regional_supported_language_exactly() -> None:
    assert language_for_code("pt-BR", ["en", "pt-BR"]) == "pt-BR"
    assert language_for_code("pt", ["en", "pt-BR"]) is None
