"""Twilio's form posts as raw bytes: split them, check X-Twilio-Signature over the bytes, then decode."""

from __future__ import annotations

import base64
import hashlib
import hmac
from urllib.parse import unquote_to_bytes, urlparse

from twilio.request_validator import add_port, remove_port

from bots.channels.base import MalformedPayload

Pairs = list[tuple[bytes, bytes]]
UTF8 = frozenset({"utf-8", "utf8"})


def split_form(body: bytes) -> Pairs:
    """The (name, value) pairs of a URL-encoded body, exactly as bytes: nothing is decoded yet."""
    pairs = []
    for field in body.split(b"&"):
        if field:
            name, _, value = field.partition(b"=")
            pairs.append((_unquote(name), _unquote(value)))
    return pairs


class TwilioSignature:
    """Twilio's request signature, computed as its RequestValidator does, but over the form's bytes."""

    def __init__(self, auth_token: str) -> None:
        self._key = auth_token.encode("utf-8")

    def compute(self, url: str, pairs: Pairs) -> bytes:
        """Base64 HMAC-SHA1 of the URL, then each name and its values, names and values sorted."""
        values: dict[bytes, set[bytes]] = {}
        for name, value in pairs:
            values.setdefault(name, set()).add(value)
        signed = b"".join(name + value for name in sorted(values) for value in sorted(values[name]))
        digest = hmac.new(self._key, url.encode("utf-8") + signed, hashlib.sha1).digest()
        return base64.b64encode(digest)

    def valid(self, url: str, pairs: Pairs, signature: str) -> bool:
        """True when `signature` is Twilio's for this form posted to `url`, with or without its port."""
        given = signature.encode("utf-8", "replace")
        parsed = urlparse(url)
        return any(
            hmac.compare_digest(self.compute(variant, pairs), given)
            for variant in (remove_port(parsed), add_port(parsed))
        )


def decode_form(pairs: Pairs, charset: str | None) -> dict[str, str]:
    """The verified form as text; raises MalformedPayload for what Twilio never sends."""
    if charset is not None and charset.lower() not in UTF8:
        raise MalformedPayload(f"unsupported charset {charset[:40]!r}: Twilio sends UTF-8")
    form: dict[str, str] = {}
    for name, value in pairs:
        try:
            key, text = name.decode("utf-8"), value.decode("utf-8")
        except UnicodeDecodeError:
            raise MalformedPayload("the form is not valid UTF-8") from None
        if key in form:
            raise MalformedPayload(f"{key[:40]!r} is given more than once")
        form[key] = text
    return form


def _unquote(part: bytes) -> bytes:
    return unquote_to_bytes(part.replace(b"+", b" "))
