"""One-time codes that prove a phone: asked for, issued at delivery, checked, and the limits on each step.

A code is asked for (`request_code`, a PENDING row, no digits yet), issued when its message is delivered
(`issue_code`, the digits go out and only their HMAC stays), and checked (`check_code`). Only the HMAC is
ever written; the plain digits live in the delivery job's memory and the person's phone.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import case, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from core.people.verification_model import OtpAttempt, OtpCode, OtpStatus

CODE_LIFETIME = timedelta(minutes=5)
MAX_TRIES = 5
SENDS_PER_WINDOW = 3
SEND_WINDOW = timedelta(minutes=10)
RESEND_COOLDOWN = timedelta(seconds=60)
FAILURES_PER_HOUR = 100
FAILURE_WINDOW = timedelta(hours=1)
CODE_PLACEHOLDER = "#CODE#"  # stands in the queued text for the digits; 6 chars, GSM-7
CODE_DIGITS = 6
MIN_SECRET_BYTES = 16

_LIVE = (OtpStatus.PENDING, OtpStatus.ISSUED)
_IGNORED_CATEGORIES = frozenset({"Zs", "Cf", "Pd"})  # spaces, direction marks, dashes of every script
_PHONE_LOCK_SPACE = 0x0D01


@dataclass(frozen=True)
class Refusal:
    """A limit said no: `reason` is "cooldown", "too_many_sends" or "locked"; asking works from `retry_at`."""

    reason: str
    retry_at: datetime


@dataclass(frozen=True)
class CodeCheck:
    """What a typed code turned out to be: "verified", "wrong", "dead", "expired", "no_code" or "locked"."""

    outcome: str
    phone: str | None = None
    tries_left: int = 0
    retry_at: datetime | None = None


def code_hash(secret: bytes, otp_id: int, phone: str, code: str) -> str:
    """Hex HMAC-SHA256 of the code, bound to its request and phone, keyed with the server's OTP secret."""
    if len(secret) < MIN_SECRET_BYTES:
        raise ValueError(f"the OTP secret must be at least {MIN_SECRET_BYTES} bytes")
    return hmac.new(secret, f"{otp_id}:{phone}:{code}".encode(), hashlib.sha256).hexdigest()


def read_code(text: str) -> str | None:
    """The six ASCII digits in what was typed ("123 456", "123-456", "١٢٣٤٥٦"); None when it is not a code."""
    kept = [ch for ch in text if not (ch.isspace() or unicodedata.category(ch) in _IGNORED_CATEGORIES)]
    if len(kept) != CODE_DIGITS or not all(ch.isdecimal() for ch in kept):
        return None
    return "".join(str(unicodedata.decimal(ch)) for ch in kept)


async def locked_until(session: AsyncSession, person_id: int, now: datetime) -> datetime | None:
    """When the person's wrong tries in the last hour fall below the limit; None when they already are."""
    limiting = await session.scalar(
        select(OtpAttempt.attempted_at)
        .where(
            OtpAttempt.person_id == person_id,
            OtpAttempt.attempted_at > now - FAILURE_WINDOW,
            OtpAttempt.succeeded.is_(False),
        )
        .order_by(OtpAttempt.attempted_at.desc())
        .offset(FAILURES_PER_HOUR - 1)
        .limit(1)
    )
    return None if limiting is None else limiting + FAILURE_WINDOW


async def request_code(
    session: AsyncSession, person_id: int, phone: str, channel: str, now: datetime
) -> OtpCode | Refusal:
    """A new PENDING code for `phone` replacing the person's live ones, or the limit that refuses it."""
    await _lock_phone(session, phone)
    refusal = await _send_refusal(session, person_id, phone, now)
    if refusal is not None:
        return refusal
    await session.execute(
        update(OtpCode)
        .where(OtpCode.person_id == person_id, OtpCode.status.in_(_LIVE))
        .values(status=OtpStatus.REPLACED)
    )
    code = OtpCode(
        person_id=person_id,
        phone=phone,
        channel=channel,
        status=OtpStatus.PENDING,
        attempts=0,
        created_at=now,
    )
    session.add(code)
    await session.flush()
    return code


async def _send_refusal(session: AsyncSession, person_id: int, phone: str, now: datetime) -> Refusal | None:
    """Of the limits that refuse a send now, the one that lifts last (so its retry_at really works)."""
    refusals: list[Refusal] = []
    lifted_at = await locked_until(session, person_id, now)
    if lifted_at is not None:
        refusals.append(Refusal("locked", lifted_at))
    recent = list(
        await session.scalars(
            select(OtpCode.created_at)
            .where(OtpCode.phone == phone, OtpCode.created_at > now - SEND_WINDOW)
            .order_by(OtpCode.created_at.desc())
            .limit(SENDS_PER_WINDOW)
        )
    )
    if recent and recent[0] > now - RESEND_COOLDOWN:
        refusals.append(Refusal("cooldown", recent[0] + RESEND_COOLDOWN))
    if len(recent) >= SENDS_PER_WINDOW:
        refusals.append(Refusal("too_many_sends", recent[-1] + SEND_WINDOW))
    return max(refusals, key=lambda refusal: refusal.retry_at, default=None)


async def _lock_phone(session: AsyncSession, phone: str) -> None:
    """Serialise requests for one phone until the transaction ends (SQLite: BEGIN IMMEDIATE already does)."""
    if session.get_bind().dialect.name == "postgresql":
        key = int.from_bytes(hashlib.blake2b(phone.encode(), digest_size=5).digest(), "big")
        await session.execute(select(func.pg_advisory_xact_lock((_PHONE_LOCK_SPACE << 40) + key)))


async def issue_code(session: AsyncSession, otp_id: int, secret: bytes, now: datetime) -> str | None:
    """Fresh digits for a live code, storing only their HMAC; None when the code is replaced, used or dead."""
    phone = await session.scalar(select(OtpCode.phone).where(OtpCode.id == otp_id, OtpCode.status.in_(_LIVE)))
    if phone is None:
        return None
    digits = f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"
    issued = await session.scalar(
        update(OtpCode)
        .where(OtpCode.id == otp_id, OtpCode.status.in_(_LIVE))
        .values(
            status=OtpStatus.ISSUED,
            code_hash=code_hash(secret, otp_id, phone, digits),
            attempts=0,
            issued_at=now,
            expires_at=now + CODE_LIFETIME,
        )
        .returning(OtpCode.id)
    )
    return None if issued is None else digits


async def check_code(
    session: AsyncSession, person_id: int, typed: str, secret: bytes, now: datetime
) -> CodeCheck:
    """Check a code against the person's issued one; `typed` must pass `read_code`, or ValueError."""
    digits = read_code(typed)
    if digits is None:
        raise ValueError("check_code takes a code; use read_code to tell codes from other text first")
    retry_at = await locked_until(session, person_id, now)
    if retry_at is not None:
        return CodeCheck("locked", retry_at=retry_at)
    row = (
        await session.execute(
            select(OtpCode.id, OtpCode.phone, OtpCode.code_hash, OtpCode.expires_at)
            .where(OtpCode.person_id == person_id, OtpCode.status == OtpStatus.ISSUED)
            .order_by(OtpCode.created_at.desc(), OtpCode.id.desc())
            .limit(1)
            .with_for_update()
        )
    ).first()
    if row is None or row.code_hash is None or row.expires_at is None:
        return CodeCheck("no_code")
    if row.expires_at <= now:
        return CodeCheck("expired", phone=row.phone)
    if hmac.compare_digest(code_hash(secret, row.id, row.phone, digits), row.code_hash):
        return await _use(session, person_id, row.id, row.phone, row.code_hash, now)
    return await _count_wrong(session, person_id, row.id, row.phone, row.code_hash, now)


async def _use(
    session: AsyncSession, person_id: int, otp_id: int, phone: str, seen_hash: str, now: datetime
) -> CodeCheck:
    """Spend the code, unless a concurrent check or a re-issue got to it first."""
    used = await session.scalar(
        update(OtpCode)
        .where(OtpCode.id == otp_id, OtpCode.status == OtpStatus.ISSUED, OtpCode.code_hash == seen_hash)
        .values(status=OtpStatus.USED, used_at=now)
        .returning(OtpCode.id)
    )
    if used is None:
        return CodeCheck("no_code", phone=phone)
    session.add(OtpAttempt(person_id=person_id, otp_id=otp_id, succeeded=True, attempted_at=now))
    return CodeCheck("verified", phone=phone)


async def _count_wrong(
    session: AsyncSession, person_id: int, otp_id: int, phone: str, seen_hash: str, now: datetime
) -> CodeCheck:
    """Record a wrong try against the person and the code; the code dies on its last try."""
    session.add(OtpAttempt(person_id=person_id, otp_id=otp_id, succeeded=False, attempted_at=now))
    attempts = await session.scalar(
        update(OtpCode)
        .where(OtpCode.id == otp_id, OtpCode.status == OtpStatus.ISSUED, OtpCode.code_hash == seen_hash)
        .values(
            attempts=OtpCode.attempts + 1,
            status=case((OtpCode.attempts + 1 >= MAX_TRIES, OtpStatus.DEAD.value), else_=OtpCode.status),
        )
        .returning(OtpCode.attempts)
    )
    if attempts is None:
        return CodeCheck("no_code", phone=phone)
    if attempts >= MAX_TRIES:
        return CodeCheck("dead", phone=phone)
    return CodeCheck("wrong", phone=phone, tries_left=MAX_TRIES - attempts)
