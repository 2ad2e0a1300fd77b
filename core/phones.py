"""Phone numbers in E.164, read with the person's region when they leave out the country code."""

from __future__ import annotations

import phonenumbers


def to_e164(raw: str, region: str) -> str | None:
    """The E.164 form of a typed or provider-given number ("07700 900123"); None when it is not one."""
    text = raw.strip().removeprefix("whatsapp:").removeprefix("tel:")
    candidates = [text]
    if text.isdigit() and not text.startswith("0"):
        candidates.append("+" + text)
    for candidate in candidates:
        try:
            number = phonenumbers.parse(candidate, region)
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_possible_number(number):
            return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    return None
