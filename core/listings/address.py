"""Reading a home's address as a seller types it ("14 Cardigan Road, Leeds LS6 1LF"), with RESO's parts."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Final

# A UK postcode's shape: outward code (area, district) and inward code (sector, unit); GIR 0AA is Girobank's.
_POSTCODE: Final = re.compile(
    r"(?<![A-Z0-9])(?P<outward>[A-Z]{1,2}[0-9][A-Z0-9]?|GIR)\s*(?P<inward>[0-9][A-Z]{2})(?![A-Z0-9])",
    re.IGNORECASE,
)
_OUTWARD_ONLY: Final = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]?$", re.IGNORECASE)
_NUMBERED: Final = re.compile(
    r"^(?P<number>\d+[A-Z]?(?:\s*-\s*\d+[A-Z]?)?)[,\s]+(?P<street>\S.*)$", re.IGNORECASE
)
_UNIT: Final = re.compile(r"^(?:flat|apartment|apt|unit|suite|room)\.?\s+\S+$", re.IGNORECASE)
_STREET_WORDS: Final = frozenset(
    {
        *("road", "rd", "street", "st", "avenue", "ave", "lane", "ln", "close", "drive", "dr", "way"),
        *("crescent", "cres", "place", "pl", "terrace", "gardens", "grove", "court", "ct", "hill"),
        *("square", "sq", "mews", "row", "walk", "park", "green", "vale", "view", "rise", "parade"),
        *("boulevard", "circus", "wharf", "yard", "gate", "end", "broadway", "embankment", "quay"),
    }
)
_LONGEST_PART: Final = 80


@dataclass(frozen=True)
class Address:
    """An address in RESO's parts; a part not given is None. `unit` is a flat or apartment line."""

    street_number: str | None = None
    street_name: str | None = None
    city: str | None = None
    postal_code: str | None = None
    unit: str | None = None
    district: str | None = None

    @property
    def missing(self) -> tuple[str, ...]:
        """The parts still to ask for, in the order a person would give them."""
        parts = ("street_number", "street_name", "city", "postal_code")
        return tuple(part for part in parts if getattr(self, part) is None)

    @property
    def unparsed(self) -> str:
        """The address on one line, as RESO's UnparsedAddress holds it."""
        street = " ".join(p for p in (self.street_number, self.street_name) if p)
        town = " ".join(p for p in (self.city, self.postal_code) if p)
        return ", ".join(p for p in (self.unit, street, self.district, town) if p)

    def filled_from(self, other: Address) -> Address:
        """This address with its missing parts taken from `other` (a reply to "what is the postcode?")."""
        parts = (*self.missing, "unit", "district")
        taken = {part: getattr(other, part) for part in parts if getattr(self, part) is None}
        return replace(self, **{part: value for part, value in taken.items() if value is not None})


def postcode(text: str) -> str | None:
    """`text` as a UK postcode, written out ("ls61lf" -> "LS6 1LF"); None if it has not that shape."""
    match = _POSTCODE.fullmatch(text.strip())
    return _written(match) if match else None


def parse_address(text: str) -> Address:
    """The parts of an address typed on one line; what cannot be told apart is left out, to be asked for."""
    line = " ".join(text.replace("\n", ", ").split())
    found = list(_POSTCODE.finditer(line))
    code = _written(found[-1]) if found else None
    if found:
        line = line[: found[-1].start()] + line[found[-1].end() :]
    parts = [p.strip(" .") for p in line.split(",")]
    parts = [p for p in parts if p and len(p) <= _LONGEST_PART]
    unit = next((p for p in parts if _UNIT.match(p)), None)
    parts = [p for p in parts if p != unit]
    number, street, city, district = _street_and_city(parts)
    return Address(number, street, city, code, _titled(unit) if unit else None, district)


def _street_and_city(parts: list[str]) -> tuple[str | None, ...]:
    """Street number, street, city and district from the comma-separated parts left after the postcode."""
    if not parts:
        return None, None, None, None
    numbered = next((i for i, p in enumerate(parts) if _NUMBERED.match(p)), None)
    if numbered is None and len(parts) == 1 and parts[0].isdigit():
        return parts[0], None, None, None
    head = parts[numbered] if numbered is not None else parts[0]
    after = parts[(numbered if numbered is not None else 0) + 1 :]
    match = _NUMBERED.match(head)
    number, street = (match["number"].replace(" ", "").upper(), match["street"]) if match else (None, head)
    if street.isdigit() or _OUTWARD_ONLY.match(street):
        street = None
    city, district = _towns_of(after)
    if city is None and street is not None:
        street, city = _split_city(street)
    if number is None and not after and city is None and street is not None and not _ends_as_street(street):
        street, city = None, street  # one word and no number: a town ("Leeds"), not a street
    return number, *(_titled(part) if part else None for part in (street, city, district))


def _towns_of(after: list[str]) -> tuple[str | None, str | None]:
    """The city and district among the parts after the street: the last one, and the one before it."""
    towns = [p for p in after if not p.isdigit() and not _OUTWARD_ONLY.match(p)]
    return (towns[-1] if towns else None), (towns[-2] if len(towns) > 1 else None)


def _split_city(street: str) -> tuple[str, str | None]:
    """ "Cardigan Road Leeds" -> ("Cardigan Road", "Leeds"): a town written after the street's last word."""
    words = street.split()
    ends = [i for i, word in enumerate(words) if word.casefold().rstrip(".") in _STREET_WORDS and i > 0]
    if not ends or ends[-1] == len(words) - 1:
        return street, None
    return " ".join(words[: ends[-1] + 1]), " ".join(words[ends[-1] + 1 :])


def _ends_as_street(text: str) -> bool:
    words = text.split()
    return len(words) > 1 and words[-1].casefold().rstrip(".") in _STREET_WORDS


def _titled(text: str) -> str:
    """Capitalise words typed all in lower or upper case; leave a person's own mixed case alone."""
    if text != text.lower() and text != text.upper():
        return text
    return " ".join(word[:1].upper() + word[1:].lower() for word in text.split())


def _written(match: re.Match[str]) -> str:
    return f"{match['outward'].upper()} {match['inward'].upper()}"
