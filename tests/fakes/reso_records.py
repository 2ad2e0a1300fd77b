"""Realistic RESO Property and Media records for the fake feed: UK homes built from a number."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from tests.fakes.odata import Record, iso

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
