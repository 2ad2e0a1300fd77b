"""Reading one RESO Property record from an MLS feed into a listing's fields, or refusing it with a reason."""

from __future__ import annotations

import math
import pickle
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.feeds.media import FeedMedia
from core.feeds.records import FeedDefaults, FeedRecord, read_record
from core.feeds.values import BadRecord, read_timestamp
from core.listings.model import StandardStatus

DEFAULTS = FeedDefaults(system="NorthMLS")
MODIFIED = datetime(2024, 5, 1, 10, 30, tzinfo=UTC)
FIELDS = {
    "listing_id",
    "list_price",
    "original_list_price",
    "close_price",
    "property_type",
    "property_sub_type",
    "bedrooms_total",
    "bathrooms_total_integer",
    "living_area",
    "living_area_units",
    "unparsed_address",
    "street_number",
    "street_name",
    "city",
    "state_or_province",
    "subdivision_name",
    "postal_code",
    "country",
    "public_remarks",
    "latitude",
    "longitude",
    "time_zone",
    "currency_code",
    "on_market_timestamp",
    "originating_system_name",
}
REQUIRED = ("ListingKey", "ModificationTimestamp", "StandardStatus", "ListPrice", "City")
ABSENT = object()


def minimal(**changes: Any) -> dict[str, Any]:
    """The least a feed may send for a home on the market, with `changes` (ABSENT removes a field)."""
    raw: dict[str, Any] = {
        "ListingKey": "NM-1001",
        "ModificationTimestamp": "2024-05-01T10:30:00Z",
        "StandardStatus": "Active",
        "ListPrice": 285000,
        "PropertyType": "Residential",
        "City": "Leeds",
    }
    raw.update(changes)
    return {name: value for name, value in raw.items() if value is not ABSENT}


def full(**changes: Any) -> dict[str, Any]:
    """A record with every field Doorstep reads, as a well-behaved feed sends it."""
    raw = minimal(
        ListingId="LDS-1001",
        OriginalListPrice=300000,
        ClosePrice=None,
        PropertySubType="Flat",
        BedroomsTotal=2,
        BathroomsTotalInteger=1,
        LivingArea=75,
        LivingAreaUnits="Square Meters",
        UnparsedAddress="14 Cardigan Road",
        StreetNumber="14",
        StreetName="Cardigan Road",
        StateOrProvince="West Yorkshire",
        SubdivisionName="Headingley",
        PostalCode="LS6 3AG",
        Country="GB",
        PublicRemarks="Bright second-floor flat.",
        Latitude=53.8195,
        Longitude=-1.5794,
        OnMarketTimestamp="2024-04-20T09:00:00Z",
        OriginatingSystemName="LeedsMLS",
        PhotosChangeTimestamp="2024-04-21T12:00:00Z",
        Media=[
            {"MediaKey": "P2", "MediaURL": "https://img.example/2.jpg", "Order": 2},
            {
                "MediaKey": "P1",
                "MediaURL": "https://img.example/1.jpg",
                "Order": 1,
                "ShortDescription": "Front",
            },
        ],
    )
    raw.update(changes)
    return {name: value for name, value in raw.items() if value is not ABSENT}


def read(raw: dict[str, Any], defaults: FeedDefaults = DEFAULTS) -> FeedRecord:
    return read_record(raw, defaults)


def refusal(raw: Any) -> BadRecord:
    with pytest.raises(BadRecord) as refused:
        read_record(raw, DEFAULTS)
    return refused.value


def test_a_full_record_reads_into_every_listing_field() -> None:
    record = read(full())

    assert (record.listing_key, record.modification_timestamp, record.gone) == ("NM-1001", MODIFIED, False)
    assert record.status is StandardStatus.ACTIVE
    assert dict(record.fields) == {
        "listing_id": "LDS-1001",
        "list_price": Decimal("285000"),
        "original_list_price": Decimal("300000"),
        "close_price": None,
        "property_type": "Residential",
        "property_sub_type": "Flat",
        "bedrooms_total": 2,
        "bathrooms_total_integer": 1,
        "living_area": Decimal("75.0"),
        "living_area_units": "sqm",
        "unparsed_address": "14 Cardigan Road",
        "street_number": "14",
        "street_name": "Cardigan Road",
        "city": "Leeds",
        "state_or_province": "West Yorkshire",
        "subdivision_name": "Headingley",
        "postal_code": "LS6 3AG",
        "country": "GB",
        "public_remarks": "Bright second-floor flat.",
        "latitude": Decimal("53.819500"),
        "longitude": Decimal("-1.579400"),
        "time_zone": "Europe/London",
        "currency_code": "GBP",
        "on_market_timestamp": datetime(2024, 4, 20, 9, tzinfo=UTC),
        "originating_system_name": "LeedsMLS",
    }
    assert record.photos_change_timestamp == datetime(2024, 4, 21, 12, tzinfo=UTC)
    assert record.media == (
        FeedMedia("P1", "https://img.example/1.jpg", 1, "Front"),
        FeedMedia("P2", "https://img.example/2.jpg", 2, None),
    )
    assert record.notes == ()


def test_a_minimal_record_has_every_field_the_rest_none_and_the_feeds_defaults() -> None:
    defaults = FeedDefaults(system="DubaiMLS", country="AE", currency_code="AED", time_zone="Asia/Dubai")

    record = read(minimal(), defaults)

    given = {name: value for name, value in record.fields.items() if value is not None}
    assert set(record.fields) == FIELDS
    assert given == {
        "list_price": Decimal("285000"),
        "property_type": "Residential",
        "city": "Leeds",
        "country": "AE",
        "time_zone": "Asia/Dubai",
        "currency_code": "AED",
        "originating_system_name": "DubaiMLS",
    }
    assert (record.media, record.photos_change_timestamp, record.notes) == (None, None, ())


@pytest.mark.parametrize(
    ("key", "reason"),
    [
        pytest.param(ABSENT, "no ListingKey", id="missing"),
        pytest.param(None, "no ListingKey", id="null"),
        pytest.param("", "no ListingKey", id="empty"),
        pytest.param(" \t ", "no ListingKey", id="blank"),
        pytest.param(True, "no ListingKey", id="boolean"),
        pytest.param(["NM-1"], "no ListingKey", id="list"),
        pytest.param({"id": 1}, "no ListingKey", id="object"),
        pytest.param(1.5, "no ListingKey", id="fraction"),
        pytest.param("K" * 65, f"ListingKey '{'K' * 57}...' is longer than 64 characters", id="65-long"),
        pytest.param("NM\x001", "ListingKey 'NM\\x001' holds control characters", id="control"),
    ],
)
def test_a_record_without_a_usable_key_is_refused(key: Any, reason: str) -> None:
    refused = refusal(minimal(ListingKey=key))

    assert (refused.reason, refused.listing_key, refused.modification_timestamp) == (reason, None, None)


@pytest.mark.parametrize(
    ("key", "read_as"),
    [(" NM-7 ", "NM-7"), (1001, "1001"), (1001.0, "1001"), (0, "0"), ("K" * 64, "K" * 64)],
)
def test_a_key_is_stripped_and_a_numeric_one_written_out(key: Any, read_as: str) -> None:
    assert read(minimal(ListingKey=key)).listing_key == read_as


@pytest.mark.parametrize(
    ("stamp", "reason"),
    [
        (ABSENT, "no ModificationTimestamp"),
        (None, "no ModificationTimestamp"),
        ("yesterday", "ModificationTimestamp 'yesterday' is not a time"),
        ("2024-02-30T10:00:00Z", "ModificationTimestamp '2024-02-30T10:00:00Z' is not a time"),
        ([], "ModificationTimestamp a list is not a time"),
    ],
)
def test_a_record_without_a_readable_modification_time_is_refused_with_its_key(
    stamp: Any, reason: str
) -> None:
    refused = refusal(minimal(ModificationTimestamp=stamp))

    assert (refused.reason, refused.listing_key, refused.modification_timestamp) == (reason, "NM-1001", None)


@pytest.mark.parametrize(
    ("value", "moment"),
    [
        pytest.param("2024-05-01T10:30:00Z", datetime(2024, 5, 1, 10, 30, tzinfo=UTC), id="zulu"),
        pytest.param("2024-05-01t10:30:00z", datetime(2024, 5, 1, 10, 30, tzinfo=UTC), id="lower-case"),
        pytest.param("2024-05-01T10:30:00+01:00", datetime(2024, 5, 1, 9, 30, tzinfo=UTC), id="offset"),
        pytest.param(
            "2024-05-01T10:30:00-0500", datetime(2024, 5, 1, 15, 30, tzinfo=UTC), id="offset-no-colon"
        ),
        pytest.param("2024-05-01T10:30:00+05", datetime(2024, 5, 1, 5, 30, tzinfo=UTC), id="offset-hours"),
        pytest.param("2024-05-01T10:30Z", datetime(2024, 5, 1, 10, 30, tzinfo=UTC), id="no-seconds"),
        pytest.param(
            "2024-05-01T10:30:00.5Z", datetime(2024, 5, 1, 10, 30, 0, 500000, tzinfo=UTC), id="1-digit"
        ),
        pytest.param(
            "2024-05-01T10:30:00.123456Z", datetime(2024, 5, 1, 10, 30, 0, 123456, tzinfo=UTC), id="6-digits"
        ),
        pytest.param(
            "2024-05-01T10:30:00.123456789Z",
            datetime(2024, 5, 1, 10, 30, 0, 123456, tzinfo=UTC),
            id="9-digits",
        ),
        pytest.param("2024-05-01 10:30:00Z", datetime(2024, 5, 1, 10, 30, tzinfo=UTC), id="space"),
        pytest.param(" 2024-05-01T10:30:00Z ", datetime(2024, 5, 1, 10, 30, tzinfo=UTC), id="padded"),
        pytest.param("2024-05-01T10:30:00", datetime(2024, 5, 1, 10, 30, tzinfo=UTC), id="no-zone"),
        pytest.param("2024-05-01", datetime(2024, 5, 1, tzinfo=UTC), id="date-alone"),
        pytest.param("/Date(1700000000000)/", datetime(2023, 11, 14, 22, 13, 20, tzinfo=UTC), id="microsoft"),
        pytest.param(
            "/Date(1700000000000+0100)/",
            datetime(2023, 11, 14, 22, 13, 20, tzinfo=UTC),
            id="microsoft-offset",
        ),
        pytest.param(1700000000, datetime(2023, 11, 14, 22, 13, 20, tzinfo=UTC), id="epoch-seconds"),
        pytest.param(1700000000.5, datetime(2023, 11, 14, 22, 13, 20, 500000, tzinfo=UTC), id="epoch-float"),
        pytest.param(1700000000000, datetime(2023, 11, 14, 22, 13, 20, tzinfo=UTC), id="epoch-milliseconds"),
        pytest.param(100_000_000_000, datetime(5138, 11, 16, 9, 46, 40, tzinfo=UTC), id="1e11-is-seconds"),
        pytest.param(100_000_000_001, datetime(1973, 3, 3, 9, 46, 40, 1000, tzinfo=UTC), id="above-is-ms"),
    ],
)
def test_times_are_read_in_the_forms_feeds_send_as_aware_utc(value: Any, moment: datetime) -> None:
    read_as = read_timestamp(value)

    assert read_as == moment
    assert read_as is not None and read_as.utcoffset() is not None and read_as.tzinfo is UTC


@pytest.mark.parametrize(
    "value",
    [
        *("", "yesterday", "2024-13-01", "2024-02-30", "2024-05-01T24:00:00Z", "2024-05-01T10:60:00Z"),
        *("2024-05-01T10:30:00+24:00", "2024-05-01T10:30:00+01:60", "2024-05-01T10:30:00.Z", "01/05/2024"),
        *("2024-5-1", "1700000000", "/Date(abc)/", "0001-01-01T00:30:00+01:00", "2024-05-01Z"),
        *(None, True, False, [], {}, float("nan"), float("inf"), 10**30),
    ],
)
def test_what_is_not_a_time_reads_as_none(value: Any) -> None:
    assert read_timestamp(value) is None


@pytest.mark.parametrize(
    ("stamp", "note"),
    [
        ("2024-05-01T10:30:00", "ModificationTimestamp '2024-05-01T10:30:00' has no time zone; read as UTC"),
        ("2024-05-01", "ModificationTimestamp '2024-05-01' is a date alone; read as midnight UTC"),
    ],
)
def test_a_time_read_with_an_assumption_is_noted(stamp: str, note: str) -> None:
    assert read(minimal(ModificationTimestamp=stamp)).notes == (note,)


@pytest.mark.parametrize(
    ("status", "standard"),
    [
        ("Active", StandardStatus.ACTIVE),
        ("active", StandardStatus.ACTIVE),
        (" ACTIVE ", StandardStatus.ACTIVE),
        ("ActiveUnderContract", StandardStatus.ACTIVE_UNDER_CONTRACT),
        ("active under contract", StandardStatus.ACTIVE_UNDER_CONTRACT),
        ("Active_Under_Contract", StandardStatus.ACTIVE_UNDER_CONTRACT),
        ("ComingSoon", StandardStatus.COMING_SOON),
        ("Pending", StandardStatus.PENDING),
        ("Closed", StandardStatus.CLOSED),
        ("Withdrawn", StandardStatus.WITHDRAWN),
        ("Expired", StandardStatus.EXPIRED),
        ("Canceled", StandardStatus.CANCELED),
        ("Cancelled", StandardStatus.CANCELED),
    ],
)
def test_a_status_is_matched_ignoring_case_spaces_and_underscores(
    status: str, standard: StandardStatus
) -> None:
    record = read(minimal(StandardStatus=status))

    assert (record.status, record.gone, record.notes) == (standard, False, ())


def test_a_home_on_hold_is_withdrawn_and_noted() -> None:
    record = read(minimal(StandardStatus="Hold"))

    assert (record.status, record.notes) == (
        StandardStatus.WITHDRAWN,
        ("StandardStatus 'Hold' read as Withdrawn",),
    )


@pytest.mark.parametrize(
    ("status", "reason"),
    [
        (ABSENT, "no StandardStatus"),
        (None, "no StandardStatus"),
        ("Incomplete", "StandardStatus 'Incomplete': the listing is not public yet"),
        ("Sold STC", "StandardStatus 'Sold STC' is not a status Doorstep knows"),
        ("", "StandardStatus '' is not a status Doorstep knows"),
        (3, "StandardStatus 3 is not a status Doorstep knows"),
    ],
)
def test_a_record_with_no_public_status_is_refused_with_its_key_and_time(status: Any, reason: str) -> None:
    refused = refusal(minimal(StandardStatus=status))

    assert (refused.reason, refused.listing_key, refused.modification_timestamp) == (
        reason,
        "NM-1001",
        MODIFIED,
    )


@pytest.mark.parametrize(
    "changes",
    [
        pytest.param({"StandardStatus": "Delete"}, id="delete"),
        pytest.param({"StandardStatus": " delete "}, id="delete-any-case"),
        pytest.param({"MlgCanView": False}, id="can-view-false"),
        pytest.param({"MlgCanView": "false"}, id="can-view-text-false"),
        pytest.param({"MlgCanView": "FALSE"}, id="can-view-text-upper"),
        pytest.param({"MlgCanView": "0"}, id="can-view-text-zero"),
        pytest.param({"MlgCanView": False, "StandardStatus": "Incomplete"}, id="hidden-whatever-the-status"),
        pytest.param({"MlgCanView": "false", "StandardStatus": None}, id="hidden-without-a-status"),
    ],
)
def test_a_deleted_or_hidden_home_is_gone_and_nothing_else_is_read(changes: dict[str, Any]) -> None:
    raw = {
        "ListingKey": "NM-1001",
        "ModificationTimestamp": "2024-05-01T10:30:00Z",
        "StandardStatus": "Active",
    }
    raw.update(changes, ListPrice="N/A", City="", Media=[{"MediaKey": "P1", "MediaURL": "https://a/1.jpg"}])

    record = read(raw)

    assert (record.gone, record.status, dict(record.fields), record.media) == (True, None, {}, None)
    assert (record.listing_key, record.modification_timestamp, record.photos_change_timestamp) == (
        "NM-1001",
        MODIFIED,
        None,
    )


@pytest.mark.parametrize("can_view", [True, "true", "1", 1, None])
def test_a_home_that_may_be_shown_stays(can_view: Any) -> None:
    assert read(minimal(MlgCanView=can_view)).gone is False


@pytest.mark.parametrize(
    ("price", "value", "notes"),
    [
        pytest.param(250000, "250000", (), id="number"),
        pytest.param(250000.5, "250000.50", (), id="float"),
        pytest.param(
            250000.123, "250000.12", ("ListPrice 250000.123 rounded to the penny",), id="float-pennies"
        ),
        pytest.param("250000", "250000", (), id="text"),
        pytest.param("250000.00", "250000", (), id="text-pennies"),
        pytest.param("£250,000", "250000", ("ListPrice '£250,000' read as 250000",), id="pound-sign"),
        pytest.param(
            "GBP 250,000", "250000", ("ListPrice 'GBP 250,000' read as 250000",), id="currency-code"
        ),
        pytest.param("0.01", "0.01", (), id="least"),
        pytest.param(999_999_999_999.99, "999999999999.99", (), id="most"),
    ],
)
def test_a_list_price_is_read_from_numbers_and_text(price: Any, value: str, notes: tuple[str, ...]) -> None:
    record = read(minimal(ListPrice=price))

    assert (record.fields["list_price"], record.notes) == (Decimal(value), notes)


@pytest.mark.parametrize(
    ("price", "reason"),
    [
        (ABSENT, "no ListPrice"),
        (None, "no ListPrice"),
        ("N/A", "ListPrice 'N/A' is not a price"),
        ("", "ListPrice '' is not a price"),
        ("TBC", "ListPrice 'TBC' is not a price"),
        (0, "ListPrice 0 is not a price"),
        ("0", "ListPrice '0' is not a price"),
        (-5, "ListPrice -5 is not a price"),
        (0.004, "ListPrice 0.004 is not a price"),
        (999_999_999_999.996, "ListPrice 999999999999.996 is not a price"),
        (10**12, "ListPrice 1000000000000 is not a price"),
        (True, "ListPrice true is not a price"),
        (float("nan"), "ListPrice nan is not a price"),
        ({"amount": 1}, "ListPrice an object is not a price"),
        ("€250,000", "ListPrice '€250,000' is in EUR, not GBP"),
    ],
)
def test_a_record_without_a_list_price_is_refused(price: Any, reason: str) -> None:
    assert refusal(minimal(ListPrice=price)).reason == reason


@pytest.mark.parametrize(
    ("price", "note"),
    [
        ("N/A", "OriginalListPrice 'N/A' is not a price; left out"),
        (0, "OriginalListPrice 0 is not a price; left out"),
        ("$300,000", "OriginalListPrice '$300,000' is in USD, not GBP; left out"),
    ],
)
def test_another_price_that_cannot_be_read_is_left_out_and_noted(price: Any, note: str) -> None:
    record = read(minimal(OriginalListPrice=price, ClosePrice="280000"))

    assert (record.fields["original_list_price"], record.fields["close_price"]) == (None, Decimal("280000"))
    assert record.notes == (note,)


@pytest.mark.parametrize(
    ("rooms", "count"), [(0, 0), (3, 3), ("3", 3), (" 3 ", 3), ("2.0", 2), (2.0, 2), (50, 50), ("50", 50)]
)
def test_rooms_are_whole_numbers_up_to_fifty(rooms: Any, count: int) -> None:
    record = read(minimal(BedroomsTotal=rooms))

    assert (record.fields["bedrooms_total"], record.notes) == (count, ())


@pytest.mark.parametrize(
    ("rooms", "shown"),
    [(51, "51"), (-1, "-1"), ("2.5", "'2.5'"), (2.5, "2.5"), ("two", "'two'"), (True, "true"), ("", "''")],
)
def test_what_is_not_a_room_count_is_left_out_and_noted(rooms: Any, shown: str) -> None:
    record = read(minimal(BedroomsTotal=rooms))

    assert record.fields["bedrooms_total"] is None
    assert record.notes == (f"BedroomsTotal {shown} is not a number of rooms; left out",)


@pytest.mark.parametrize(
    ("bathrooms", "count", "notes"),
    [
        ({"BathroomsTotalInteger": 2, "BathroomsFull": 5}, 2, ()),
        (
            {"BathroomsFull": 2, "BathroomsHalf": 1},
            3,
            ("BathroomsTotalInteger counted as 3 from BathroomsFull and BathroomsHalf",),
        ),
        (
            {"BathroomsFull": 2},
            2,
            ("BathroomsTotalInteger counted as 2 from BathroomsFull and BathroomsHalf",),
        ),
        (
            {"BathroomsHalf": 1},
            1,
            ("BathroomsTotalInteger counted as 1 from BathroomsFull and BathroomsHalf",),
        ),
        (
            {"BathroomsTotalInteger": "many", "BathroomsFull": 1},
            1,
            (
                "BathroomsTotalInteger 'many' is not a number of rooms; left out",
                "BathroomsTotalInteger counted as 1 from BathroomsFull and BathroomsHalf",
            ),
        ),
        (
            {"BathroomsFull": 30, "BathroomsHalf": 21},
            None,
            ("BathroomsFull and BathroomsHalf make 51 bathrooms, too many; left out",),
        ),
        ({}, None, ()),
    ],
)
def test_bathrooms_are_the_total_else_full_and_half_ones_counted_whole(
    bathrooms: dict[str, Any], count: int | None, notes: tuple[str, ...]
) -> None:
    record = read(minimal(**bathrooms))

    assert (record.fields["bathrooms_total_integer"], record.notes) == (count, notes)


@pytest.mark.parametrize(
    ("area", "units", "m2", "notes"),
    [
        pytest.param(75, "Square Meters", "75.0", (), id="metres"),
        pytest.param("75.25", "square metres", "75.3", (), id="metres-text-rounded"),
        pytest.param(5, "Square Meters", "5.0", (), id="smallest"),
        pytest.param(100000, "SquareMeters", "100000.0", (), id="largest"),
        pytest.param(
            915,
            "Square Feet",
            "85.0",
            ("LivingArea 915 Square Feet read as 85.0 square metres",),
            id="feet",
        ),
        pytest.param(
            "1,200",
            "square_feet",
            "111.5",
            ("LivingArea '1,200' Square Feet read as 111.5 square metres",),
            id="feet-grouped",
        ),
        pytest.param(
            80,
            ABSENT,
            "80.0",
            ("no LivingAreaUnits; LivingArea taken as Square Meters",),
            id="no-units-in-gb",
        ),
    ],
)
def test_the_living_area_is_kept_in_square_metres(
    area: Any, units: Any, m2: str, notes: tuple[str, ...]
) -> None:
    record = read(minimal(LivingArea=area, LivingAreaUnits=units))

    assert (record.fields["living_area"], record.fields["living_area_units"]) == (Decimal(m2), "sqm")
    assert record.notes == notes


def test_an_area_without_units_in_the_united_states_is_square_feet() -> None:
    defaults = FeedDefaults(system="TexasMLS", country="US", currency_code="USD", time_zone="America/Chicago")

    record = read(minimal(LivingArea=915), defaults)

    assert record.fields["living_area"] == Decimal("85.0")
    assert record.notes == (
        "no LivingAreaUnits; LivingArea taken as Square Feet",
        "LivingArea 915 Square Feet read as 85.0 square metres",
    )


@pytest.mark.parametrize(
    ("area", "units", "note"),
    [
        (4.9, "Square Meters", "LivingArea 4.9 Square Meters is not the size of a home; left out"),
        (100000.1, "Square Meters", "LivingArea 100000.1 Square Meters is not the size of a home; left out"),
        (53, "Square Feet", "LivingArea 53 Square Feet is not the size of a home; left out"),
        (0, "Square Meters", "LivingArea 0 is not an area; left out"),
        (-80, "Square Meters", "LivingArea -80 is not an area; left out"),
        ("big", "Square Meters", "LivingArea 'big' is not an area; left out"),
        (80, "Acres", "LivingAreaUnits 'Acres' is not a unit Doorstep reads; left out"),
    ],
)
def test_an_area_that_is_not_a_homes_is_left_out_and_noted(area: Any, units: str, note: str) -> None:
    record = read(minimal(LivingArea=area, LivingAreaUnits=units))

    assert (record.fields["living_area"], record.fields["living_area_units"], record.notes) == (
        None,
        None,
        (note,),
    )


@pytest.mark.parametrize(
    ("parts", "address"),
    [
        ({"StreetNumber": "14", "StreetName": "Cardigan Road"}, "14 Cardigan Road"),
        (
            {"UnitNumber": "Flat 2", "StreetNumber": 14, "StreetName": "Cardigan Road"},
            "Flat 2, 14 Cardigan Road",
        ),
        ({"StreetName": "Cardigan Road"}, "Cardigan Road"),
    ],
)
def test_an_address_is_built_from_its_parts_when_the_feed_sends_no_line(
    parts: dict[str, Any], address: str
) -> None:
    record = read(minimal(**parts))

    assert record.fields["unparsed_address"] == address
    assert record.notes == (f"UnparsedAddress built as '{address}'",)


def test_an_address_line_is_kept_and_a_number_alone_builds_none() -> None:
    given = read(minimal(UnparsedAddress=" 7  Weetwood Lane ", StreetName="Other Road"))
    number_only = read(minimal(StreetNumber="7"))

    assert (given.fields["unparsed_address"], given.fields["street_name"]) == (
        "7 Weetwood Lane",
        "Other Road",
    )
    assert (number_only.fields["unparsed_address"], number_only.fields["street_number"]) == (None, "7")


def test_control_characters_leave_addresses_and_remarks_but_line_breaks_stay_in_remarks() -> None:
    record = read(
        minimal(
            UnparsedAddress="14\x00 Cardigan\tRoad\n",
            City="Le\x07eds",
            PublicRemarks=" Bright flat.\r\n\r\nNear\x1b the park.\u0085 ",
        )
    )

    assert record.fields["unparsed_address"] == "14 Cardigan Road"
    assert record.fields["city"] == "Le eds"
    assert record.fields["public_remarks"] == "Bright flat.\n\nNear the park."


@pytest.mark.parametrize(
    ("city", "reason"),
    [
        (ABSENT, "no City"),
        (None, "no City"),
        ("  ", "no City"),
        ("\x00", "no City"),
        (12, None),
        (["Leeds"], "City a list is not text"),
        ("L" * 101, f"City '{'L' * 57}...' is longer than 100 characters"),
    ],
)
def test_a_record_without_a_city_is_refused(city: Any, reason: str | None) -> None:
    if reason is None:
        assert read(minimal(City=city)).fields["city"] == "12"
    else:
        assert refusal(minimal(City=city)).reason == reason


@pytest.mark.parametrize(
    ("areas", "subdivision"),
    [
        ({"SubdivisionName": "Headingley", "MLSAreaMajor": "Leeds North"}, "Headingley"),
        ({"MLSAreaMajor": "Leeds North"}, "Leeds North"),
        ({"SubdivisionName": " ", "MLSAreaMajor": "Leeds North"}, "Leeds North"),
        ({}, None),
    ],
)
def test_the_subdivision_is_the_feeds_else_its_major_area(
    areas: dict[str, Any], subdivision: str | None
) -> None:
    assert read(minimal(**areas)).fields["subdivision_name"] == subdivision


@pytest.mark.parametrize(
    ("code", "country", "written"),
    [
        (" ls61lf ", ABSENT, "LS6 1LF"),
        ("LS6  1LF", "GB", "LS6 1LF"),
        ("sw1a1aa", "GB", "SW1A 1AA"),
        ("gir0aa", "GB", "GIR 0AA"),
        ("ls6", "GB", "LS6"),
        ("d02 x285", "IE", "D02 X285"),
        ("ls61lf", "IE", "LS61LF"),
        ("90210", "US", "90210"),
        (90210, "US", "90210"),
        ("", "GB", None),
    ],
)
def test_a_postcode_is_in_capitals_and_a_uk_one_has_one_space(
    code: Any, country: Any, written: str | None
) -> None:
    assert read(minimal(PostalCode=code, Country=country)).fields["postal_code"] == written


@pytest.mark.parametrize(
    ("country", "code", "notes"),
    [
        ("IE", "IE", ()),
        (" ie ", "IE", ()),
        ("UK", "GB", ("Country 'UK' read as GB",)),
        ("United Kingdom", "GB", ("Country 'United Kingdom' is not a two-letter code; GB assumed",)),
        ("GBR", "GB", ("Country 'GBR' is not a two-letter code; GB assumed",)),
        (44, "GB", ("Country 44 is not a two-letter code; GB assumed",)),
    ],
)
def test_the_country_is_a_two_letter_code_else_the_feeds(
    country: Any, code: str, notes: tuple[str, ...]
) -> None:
    record = read(minimal(Country=country))

    assert (record.fields["country"], record.notes) == (code, notes)


@pytest.mark.parametrize(
    ("remarks", "kept"),
    [(" Lovely flat. ", "Lovely flat."), ("   ", None), ("", None), ("x" * 4000, "x" * 4000)],
)
def test_remarks_are_trimmed_and_blank_ones_are_none(remarks: str, kept: str | None) -> None:
    record = read(minimal(PublicRemarks=remarks))

    assert (record.fields["public_remarks"], record.notes) == (kept, ())


def test_remarks_that_are_not_text_are_left_out_and_noted() -> None:
    record = read(minimal(PublicRemarks=["Lovely", "flat"]))

    assert record.fields["public_remarks"] is None
    assert record.notes == ("PublicRemarks a list is not text; left out",)


def test_remarks_longer_than_four_thousand_characters_are_cut_and_noted() -> None:
    record = read(minimal(PublicRemarks="y" * 3999 + " z" + "w" * 10))

    assert record.fields["public_remarks"] == "y" * 3999
    assert record.notes == ("PublicRemarks cut from 4,011 to 4,000 characters",)


@pytest.mark.parametrize(
    ("latitude", "longitude", "read_as"),
    [
        (53.8195, -1.5794, ("53.819500", "-1.579400")),
        ("53.81954449", "-1.57943351", ("53.819544", "-1.579434")),
        (90, -180, ("90.000000", "-180.000000")),
        (-90, 180, ("-90.000000", "180.000000")),
    ],
)
def test_coordinates_are_kept_to_six_places(latitude: Any, longitude: Any, read_as: tuple[str, str]) -> None:
    record = read(minimal(Latitude=latitude, Longitude=longitude))

    assert (record.fields["latitude"], record.fields["longitude"]) == tuple(Decimal(d) for d in read_as)
    assert record.notes == ()


@pytest.mark.parametrize(
    ("latitude", "longitude", "notes"),
    [
        (
            90.000001,
            -180.000001,
            (
                "Latitude 90.000001 is not a latitude (±90 degrees); left out",
                "Longitude -180.000001 is not a longitude (±180 degrees); left out",
            ),
        ),
        ("north", None, ("Latitude 'north' is not a latitude (±90 degrees); left out",)),
    ],
)
def test_coordinates_out_of_range_are_left_out_and_noted(
    latitude: Any, longitude: Any, notes: tuple[str, ...]
) -> None:
    record = read(minimal(Latitude=latitude, Longitude=longitude))

    assert (record.fields["latitude"], record.fields["longitude"], record.notes) == (None, None, notes)


@pytest.mark.parametrize(
    ("dates", "on_market", "notes"),
    [
        (
            {"OnMarketTimestamp": "2024-04-20T09:00:00Z", "OnMarketDate": "2024-04-19"},
            datetime(2024, 4, 20, 9, tzinfo=UTC),
            (),
        ),
        (
            {"OnMarketDate": "2024-04-19", "ListingContractDate": "2024-04-01"},
            datetime(2024, 4, 19, tzinfo=UTC),
            ("OnMarketDate '2024-04-19' is a date alone; read as midnight UTC",),
        ),
        (
            {"OnMarketTimestamp": "soon", "ListingContractDate": "2024-04-01T00:00:00Z"},
            datetime(2024, 4, 1, tzinfo=UTC),
            ("OnMarketTimestamp 'soon' is not a time; left out",),
        ),
        ({}, None, ()),
    ],
)
def test_the_time_on_market_is_the_first_of_three_the_feed_gives(
    dates: dict[str, Any], on_market: datetime | None, notes: tuple[str, ...]
) -> None:
    record = read(minimal(**dates))

    assert (record.fields["on_market_timestamp"], record.notes) == (on_market, notes)


@pytest.mark.parametrize(
    ("system", "read_as"), [("LeedsMLS", "LeedsMLS"), (ABSENT, "NorthMLS"), ("  ", "NorthMLS")]
)
def test_the_originating_system_is_the_records_else_the_feeds(system: Any, read_as: str) -> None:
    assert read(minimal(OriginatingSystemName=system)).fields["originating_system_name"] == read_as


def test_a_missing_property_type_is_residential_and_noted() -> None:
    record = read(minimal(PropertyType=ABSENT))

    assert (record.fields["property_type"], record.notes) == (
        "Residential",
        ("no usable PropertyType; Residential assumed",),
    )


def test_photos_are_kept_in_the_feeds_order_and_the_rest_skipped_with_a_note() -> None:
    media = [
        {"MediaKey": "late", "MediaURL": "https://img.example/late.jpg"},
        {"MediaKey": "third", "MediaURL": "https://img.example/3.jpg", "Order": 3, "MediaCategory": "Photo"},
        {"MediaKey": "video", "MediaURL": "https://img.example/v.mp4", "Order": 0, "MediaCategory": "Video"},
        {"MediaKey": "first", "MediaURL": " http://img.example/1.jpg ", "Order": "1"},
        {"MediaURL": "https://img.example/nokey.jpg", "Order": 2},
        {"MediaKey": "ftp", "MediaURL": "ftp://img.example/f.jpg"},
        {"MediaKey": "later", "MediaURL": "https://img.example/later.jpg", "Order": "soon"},
        {"MediaKey": "third", "MediaURL": "https://img.example/again.jpg", "Order": 4},
        "https://img.example/bare.jpg",
    ]

    record = read(minimal(Media=media, PhotosChangeTimestamp="2024-04-21T12:00:00+01:00"))

    assert record.media == (
        FeedMedia("first", "http://img.example/1.jpg", 1, None),
        FeedMedia("third", "https://img.example/3.jpg", 2, None),
        FeedMedia("late", "https://img.example/late.jpg", 3, None),
        FeedMedia("later", "https://img.example/later.jpg", 4, None),
    )
    assert record.photos_change_timestamp == datetime(2024, 4, 21, 11, tzinfo=UTC)
    assert record.notes == (
        "Media item 3 skipped: MediaCategory 'Video' is not a photo",
        "Media item 5 skipped: MediaKey null is not a key",
        "Media item 6 skipped: MediaURL 'ftp://img.example/f.jpg' is not an http(s) address",
        "Media item 7: Order 'soon' is not a place; put after the others",
        "Media item 8 skipped: MediaKey 'third' came before",
        "Media item 9 skipped: not a JSON object",
    )


@pytest.mark.parametrize(
    ("media", "kept", "notes"),
    [
        pytest.param(ABSENT, None, (), id="absent"),
        pytest.param(None, None, (), id="null"),
        pytest.param([], (), (), id="empty"),
        pytest.param(
            {"MediaKey": "P1"},
            None,
            ("Media an object is not a list; photos left as they were",),
            id="object",
        ),
    ],
)
def test_without_a_media_list_the_photos_are_left_alone(
    media: Any, kept: Any, notes: tuple[str, ...]
) -> None:
    record = read(minimal(Media=media))

    assert (record.media, record.notes) == (kept, notes)


def test_no_more_than_twenty_photos_are_kept() -> None:
    media = [
        {"MediaKey": f"P{n}", "MediaURL": f"https://img.example/{n}.jpg", "Order": n}
        for n in range(21, 0, -1)
    ]

    record = read(minimal(Media=media))

    assert record.media is not None
    assert [photo.media_key for photo in record.media] == [f"P{n}" for n in range(1, 21)]
    assert record.notes == ("21 photos; the first 20 kept",)


def test_a_long_photo_description_is_cut_and_noted() -> None:
    media = [{"MediaKey": "P1", "MediaURL": "https://img.example/1.jpg", "ShortDescription": "d" * 201}]

    record = read(minimal(Media=media))

    assert record.media == (FeedMedia("P1", "https://img.example/1.jpg", 1, "d" * 200),)
    assert record.notes == ("Media item 1: ShortDescription cut to 200 characters",)


@pytest.mark.parametrize(
    "url",
    [
        "https://[img.example/1.jpg",
        "https:///1.jpg",
        "img.example/1.jpg",
        "https://img.example/a b.jpg",
        "",
        7,
    ],
)
def test_a_photo_needs_a_web_address(url: Any) -> None:
    media = [{"MediaKey": "P1", "MediaURL": url}, {"MediaKey": "P2", "MediaURL": "https://img.example/2.jpg"}]

    record = read(minimal(Media=media))

    assert record.media == (FeedMedia("P2", "https://img.example/2.jpg", 1, None),)
    assert record.notes == (f"Media item 1 skipped: MediaURL {url!r} is not an http(s) address",)


def test_a_photo_address_longer_than_the_column_is_skipped() -> None:
    url = "https://img.example/" + "p" * 477 + ".jpg"

    record = read(
        minimal(Media=[{"MediaKey": "P1", "MediaURL": url}, {"MediaKey": "P2", "MediaURL": url[:-1]}])
    )

    assert record.media == (FeedMedia("P2", url[:-1], 1, None),)


def test_a_refusal_keeps_its_key_and_time_when_pickled() -> None:
    refused = refusal(minimal(City=None))

    unpickled = pickle.loads(pickle.dumps(refused))

    assert (unpickled.reason, unpickled.listing_key, unpickled.modification_timestamp) == (
        "no City",
        "NM-1001",
        MODIFIED,
    )


@pytest.mark.parametrize("raw", [None, [], "record", 3, ["ListingKey"]])
def test_what_is_not_a_json_object_is_refused(raw: Any) -> None:
    assert refusal(raw).reason == "the record is not a JSON object"


json_scalars = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30)
json_values = st.recursive(
    json_scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=10), inner, max_size=3),
    max_leaves=8,
)
FIELD_NAMES = sorted(
    {
        *full(),
        *("UnitNumber", "MLSAreaMajor", "OnMarketDate", "ListingContractDate", "MlgCanView"),
        *("BathroomsFull", "BathroomsHalf"),
    }
)
edges = st.sampled_from(
    [math.nan, math.inf, -math.inf, 0, -1, 0.5, True, False, "", " ", "\x00", 10**30, 1e300]
)
plausible = st.sampled_from(
    [
        "Active",
        "Delete",
        "Hold",
        "2024-05-01T10:30:00Z",
        "2024-05-01",
        "£250,000",
        "3",
        "Square Feet",
        "false",
    ]
)
media_items = st.lists(
    st.dictionaries(
        st.sampled_from(["MediaKey", "MediaURL", "Order", "MediaCategory", "ShortDescription"]),
        json_values | st.sampled_from(["https://img.example/1.jpg", "Photo", "P1", "1"]),
    ),
    max_size=4,
)


def assert_well_formed(record: FeedRecord) -> None:
    """What any record read must satisfy, whatever the feed sent."""
    assert record.modification_timestamp.tzinfo is UTC
    assert record.listing_key == record.listing_key.strip() and 0 < len(record.listing_key) <= 64
    if record.gone:
        assert (record.status, dict(record.fields), record.media) == (None, {}, None)
        return
    assert record.status is not None and set(record.fields) == FIELDS
    assert isinstance(record.fields["list_price"], Decimal) and record.fields["list_price"] > 0
    assert isinstance(record.fields["city"], str) and record.fields["city"]
    assert record.media is None or [photo.order for photo in record.media] == list(
        range(1, len(record.media) + 1)
    )


json_objects = st.dictionaries(
    st.sampled_from(FIELD_NAMES) | st.text(max_size=10),
    edges | json_values | plausible | media_items,
    max_size=12,
)


@given(json_objects | json_objects.map(lambda changes: {**full(), **changes}))
def test_any_json_object_is_read_or_refused_with_a_reason(raw: dict[str, Any]) -> None:
    try:
        record = read(raw)
    except BadRecord as refused:
        assert refused.reason
    else:
        assert_well_formed(record)


@pytest.mark.parametrize("name", FIELD_NAMES)
@settings(max_examples=40)
@given(value=edges | json_values | plausible | media_items)
def test_one_broken_field_refuses_a_record_only_when_the_field_is_required(name: str, value: Any) -> None:
    raw = full(**{"MlgCanView": True, name: value})

    try:
        record = read(raw)
    except BadRecord as refused:
        assert name in REQUIRED, refused.reason
        assert refused.listing_key == (None if name == "ListingKey" else "NM-1001")
    else:
        assert_well_formed(record)
        if name not in (*REQUIRED, "MlgCanView"):
            assert (record.listing_key, record.status, record.fields["city"]) == (
                "NM-1001",
                StandardStatus.ACTIVE,
                "Leeds",
            )
