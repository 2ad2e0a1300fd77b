"""Time zones and languages: read from what a person types, or guessed from their phone number."""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Collection, Mapping
from datetime import UTC, datetime
from functools import cache
from typing import Final
from zoneinfo import ZoneInfo, available_timezones

import phonenumbers
from babel.core import get_global
from phonenumbers import timezone as phone_timezones

from core.phones import region_for_number

_REGIONS: Final = frozenset(
    "Africa America Antarctica Arctic Asia Atlantic Australia Europe Indian Pacific".split()
)
_RENAMED: Final = {
    "Africa/Asmera": "Africa/Asmara",
    "America/Buenos_Aires": "America/Argentina/Buenos_Aires",
    "America/Godthab": "America/Nuuk",
    "Asia/Ashkhabad": "Asia/Ashgabat",
    "Asia/Calcutta": "Asia/Kolkata",
    "Asia/Dacca": "Asia/Dhaka",
    "Asia/Istanbul": "Europe/Istanbul",
    "Asia/Katmandu": "Asia/Kathmandu",
    "Asia/Macao": "Asia/Macau",
    "Asia/Rangoon": "Asia/Yangon",
    "Asia/Saigon": "Asia/Ho_Chi_Minh",
    "Asia/Thimbu": "Asia/Thimphu",
    "Asia/Ujung_Pandang": "Asia/Makassar",
    "Asia/Ulan_Bator": "Asia/Ulaanbaatar",
    "Atlantic/Faeroe": "Atlantic/Faroe",
    "Europe/Kiev": "Europe/Kyiv",
    "Europe/Nicosia": "Asia/Nicosia",
    "Pacific/Enderbury": "Pacific/Kanton",
    "Pacific/Ponape": "Pacific/Pohnpei",
    "Pacific/Truk": "Pacific/Chuuk",
}
_ALIASES: Final = {
    "Europe/London": (
        "uk",
        "u.k.",
        "gb",
        "united kingdom",
        "great britain",
        "britain",
        "england",
        "scotland",
        "wales",
        "gmt",
        "bst",
        "لندن",
        "بريطانيا",
        "المملكة المتحدة",
        "مانشستر",
    ),
    "Europe/Dublin": ("ireland",),
    "Asia/Dubai": (
        "uae",
        "u.a.e.",
        "emirates",
        "united arab emirates",
        "abu dhabi",
        "sharjah",
        "دبي",
        "أبوظبي",
        "أبو ظبي",
        "الشارقة",
        "الإمارات",
    ),
    "Asia/Riyadh": (
        "saudi",
        "saudi arabia",
        "ksa",
        "jeddah",
        "mecca",
        "makkah",
        "الرياض",
        "جدة",
        "مكة",
        "الدمام",
        "السعودية",
    ),
    "Asia/Kolkata": ("india", "ist", "mumbai", "delhi", "new delhi", "bangalore", "bengaluru", "chennai"),
    "Africa/Cairo": ("egypt", "alexandria", "القاهرة", "الإسكندرية", "مصر"),
    "Asia/Qatar": ("doha", "الدوحة", "قطر"),
    "Asia/Kuwait": ("الكويت",),
    "Asia/Bahrain": ("manama", "المنامة", "البحرين"),
    "Asia/Muscat": ("oman", "مسقط"),
    "Asia/Amman": ("jordan", "الأردن"),
    "Asia/Beirut": ("lebanon", "بيروت", "لبنان"),
    "Asia/Baghdad": ("iraq", "بغداد", "العراق"),
    "Asia/Damascus": ("syria", "دمشق", "سوريا"),
    "Africa/Casablanca": ("morocco", "rabat", "الدار البيضاء", "الرباط", "المغرب"),
    "Africa/Algiers": ("algeria", "الجزائر"),
    "Africa/Tunis": ("tunisia", "تونس"),
    "Africa/Khartoum": ("sudan", "الخرطوم", "السودان"),
    "UTC": ("utc",),
}
_ARAB_LEAGUE: Final = frozenset("SA AE EG QA KW BH OM JO LB IQ SY YE PS MA DZ TN LY SD MR SO DJ KM".split())
_ENGLISH_SPEAKING: Final = frozenset({"GB", "GG", "JE", "IM", "IE", "US", "CA", "AU", "NZ"})
_ARABIC_LETTERS: Final = str.maketrans(
    {
        "\N{ARABIC LETTER ALEF MAKSURA}": "\N{ARABIC LETTER YEH}",
        "\N{ARABIC LETTER TEH MARBUTA}": "\N{ARABIC LETTER HEH}",
    }
)


def parse_timezone(text: str) -> str | None:
    """The IANA zone a person means by "Europe/London", "new york", "UAE" or "دبي"; None when unknown."""
    return _zone_names().get(_key(text))


def timezone_for_number(e164: str) -> str | None:
    """The one IANA zone of a phone number ("+971..." -> "Asia/Dubai"); None when several or unknown."""
    region = region_for_number(e164)
    if region is None:
        return None
    country_zones = _country_zones().get(region, frozenset())
    if len(country_zones) == 1:
        return next(iter(country_zones))
    found = {_canonical(zone) for zone in phone_timezones.time_zones_for_number(phonenumbers.parse(e164))}
    zones = found & country_zones if country_zones else found - {phone_timezones.UNKNOWN_TIMEZONE}
    return zones.pop() if len(zones) == 1 else None


def language_for_number(e164: str, supported: Collection[str]) -> str | None:
    """The supported language of the number's country: "ar" across the Arab League, "en" in GB, US, ..."""
    region = region_for_number(e164)
    language = "ar" if region in _ARAB_LEAGUE else "en" if region in _ENGLISH_SPEAKING else None
    return language if language in supported else None


def language_for_code(language_code: str | None, supported: Collection[str]) -> str | None:
    """The supported language for a Telegram language_code ("ar-SA", "EN"); None when not supported."""
    if not language_code:
        return None
    tag = language_code.strip().replace("_", "-").casefold()
    by_tag = {language.casefold(): language for language in supported}
    return by_tag.get(tag) or by_tag.get(tag.split("-")[0])


def _key(text: str) -> str:
    letters = (char for char in unicodedata.normalize("NFKD", text) if not unicodedata.combining(char))
    text = "".join(letters).replace("\N{ARABIC TATWEEL}", "").translate(_ARABIC_LETTERS).casefold()
    text = re.sub(r"\s*/\s*", "/", text.replace("_", " ").replace("-", " "))
    return " ".join(text.split()).strip(" .,!?؟")


@cache
def _zone_names() -> Mapping[str, str]:
    zones = sorted(zone for zone in _available() if not zone.startswith(("Etc/", "SystemV/")))
    in_regions = sorted((zone for zone in zones if zone.split("/")[0] in _REGIONS), key=_depth)
    names = {_key(zone.rsplit("/", 1)[1]): _canonical(zone) for zone in in_regions}
    names.update({_key(zone): _canonical(zone) for zone in zones if "/" in zone})
    names.update({_key(alias): zone for zone, aliases in _ALIASES.items() for alias in aliases})
    return names


def _depth(zone: str) -> int:
    return zone.count("/")


def _canonical(zone: str) -> str:
    renamed = _RENAMED.get(zone, zone)
    return renamed if renamed in _available() else zone


@cache
def _available() -> frozenset[str]:
    return frozenset(available_timezones())


@cache
def _country_zones() -> Mapping[str, frozenset[str]]:
    territories = get_global("territory_zones").items()
    return {region: frozenset(_canonical(zone) for zone in zones) for region, zones in territories}


def clock_reaches(zone: ZoneInfo, local: datetime, low: datetime, high: datetime) -> datetime:
    """The first whole second in (low, high] at which the local clock has reached `local` (DST gaps)."""
    earliest, latest = math.floor(low.timestamp()), math.ceil(high.timestamp())
    while latest - earliest > 1:
        middle = (earliest + latest) // 2
        if datetime.fromtimestamp(middle, zone).replace(tzinfo=None) >= local:
            latest = middle
        else:
            earliest = middle
    return datetime.fromtimestamp(latest, UTC)


def clocks_agree(instant: datetime, zone: str, other: str) -> bool:
    """True when clocks in both zones read the same at `instant` (London and Dublin, or one zone twice)."""
    here, there = instant.astimezone(ZoneInfo(zone)), instant.astimezone(ZoneInfo(other))
    return here.replace(tzinfo=None) == there.replace(tzinfo=None)
