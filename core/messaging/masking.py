"""Hiding contact details (phone numbers, emails, links) in what one side writes to the other."""

from __future__ import annotations

import re

HIDDEN = "[hidden]"
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_LINK = re.compile(r"(?:https?://|www\.)\S+|\b[\w-]+\.(?:com|co\.uk|uk|net|org|io|me|ae)(?:/\S*)?\b", re.I)
# Seven or more digits, allowing the spaces, dots, dashes and brackets people write numbers with.
_PHONE = re.compile(r"(?<![\w])\+?\d(?:[\s().-]*\d){6,}")


def mask_contacts(text: str) -> str:
    """The text with every phone number, email address and link replaced by "[hidden]"."""
    text = _EMAIL.sub(HIDDEN, text)
    text = _LINK.sub(HIDDEN, text)
    return _PHONE.sub(HIDDEN, _arabic_digits_to_ascii(text))


def _arabic_digits_to_ascii(text: str) -> str:
    return text.translate(str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789"))
