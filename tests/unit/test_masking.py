"""Contact details hidden in what one side writes to the other: numbers from seven digits (written any way,
in any digits), emails and links; shorter numbers, prices and dates stay."""

from __future__ import annotations

import pytest

from core.messaging.masking import mask_contacts


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("call 07700900123", "call [hidden]"),
        ("call +44 7700 900123 today", "call [hidden] today"),
        ("ring 0113 496-0000", "ring [hidden]"),
        ("ring 0113.496.0000", "ring [hidden]"),
        ("1234567", "[hidden]"),  # seven digits: a number
        ("123456", "123456"),  # six: a code, a price, a flat number
        ("flat 12, 3 beds, £285000", "flat 12, 3 beds, £285000"),
        ("اتصل ٠٧٧٠٠٩٠٠١٢٣", "اتصل [hidden]"),
        ("۰۷۷۰۰۹۰۰۱۲۳", "[hidden]"),
        ("٣ غرف", "3 غرف"),
    ],
)
def test_phone_numbers_of_seven_digits_or_more_are_hidden(text: str, masked: str) -> None:
    assert mask_contacts(text) == masked


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("mail sam.smith+homes@example.co.uk please", "mail [hidden] please"),
        ("see https://example.com/flat?id=1 now", "see [hidden] now"),
        ("see www.example.org", "see [hidden]"),
        ("my site sam-homes.co.uk/about", "my site [hidden]"),
        ("EXAMPLE.COM", "[hidden]"),
        ("on sam.me", "on [hidden]"),
        ("Is 3.5 ok?", "Is 3.5 ok?"),
    ],
)
def test_emails_and_links_are_hidden(text: str, masked: str) -> None:
    assert mask_contacts(text) == masked
