"""One-time codes without a database: the stored hash depends on the secret, the request, the phone and the
code, each varied alone; what counts as a typed code."""

from __future__ import annotations

import hashlib
import hmac

import pytest

from core.people.otp import code_hash, read_code

SECRET = b"0123456789abcdef0123"
ARABIC_INDIC = str.maketrans("0123456789", "".join(chr(0x0660 + digit) for digit in range(10)))
PERSIAN = str.maketrans("0123456789", "".join(chr(0x06F0 + digit) for digit in range(10)))
BASE = (SECRET, 7, "+447700900123", "123456")


def test_the_hash_is_hmac_sha256_keyed_with_the_secret_over_request_phone_and_code() -> None:
    expected = hmac.new(SECRET, b"7:+447700900123:123456", hashlib.sha256).hexdigest()
    assert code_hash(*BASE) == expected


@pytest.mark.parametrize(
    "changed",
    [
        (b"0123456789abcdef0124", 7, "+447700900123", "123456"),  # another secret, one byte apart
        (SECRET + b"x", 7, "+447700900123", "123456"),
        (SECRET, 8, "+447700900123", "123456"),
        (SECRET, 7, "+447700900124", "123456"),
        (SECRET, 7, "+447700900123", "123457"),
        (SECRET, 71, "+447700900123", "23456"),  # the parts are kept apart, not just run together
    ],
)
def test_changing_any_one_input_changes_the_hash(changed: tuple[bytes, int, str, str]) -> None:
    assert code_hash(*changed) != code_hash(*BASE)


@pytest.mark.parametrize(("size", "allowed"), [(15, False), (16, True), (17, True)])
def test_the_secret_has_at_least_16_bytes(size: int, allowed: bool) -> None:
    if allowed:
        assert len(code_hash(b"k" * size, 1, "+447700900123", "000000")) == 64
        return
    with pytest.raises(ValueError, match="the OTP secret must be at least 16 bytes"):
        code_hash(b"k" * size, 1, "+447700900123", "000000")


RIGHT_TO_LEFT_MARK = "\u200f"


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("123456", "123456"),
        (" 123 456 ", "123456"),
        ("123-456", "123456"),
        ("123\u2013456", "123456"),
        ("123456".translate(ARABIC_INDIC), "123456"),
        (RIGHT_TO_LEFT_MARK + "123 456".translate(ARABIC_INDIC), "123456"),
        ("012345".translate(PERSIAN), "012345"),
        ("12345", None),
        ("1234567", None),
        ("12345a", None),
        ("123.456", None),
        ("my code is 123456", None),
        ("", None),
    ],
)
def test_a_code_is_six_digits_of_any_script_spaces_and_dashes_aside(typed: str, read: str | None) -> None:
    assert read_code(typed) == read
