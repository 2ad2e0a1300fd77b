"""One-time codes: only their HMAC is kept, and every limit refuses with the exact instant it lifts."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.clock import ManualClock
from core.db import create_engine, session_factory
from core.people import otp
from core.people.model import Person
from core.people.otp import (
    CODE_LIFETIME,
    FAILURE_WINDOW,
    MAX_TRIES,
    RESEND_COOLDOWN,
    SEND_WINDOW,
    CodeCheck,
    Refusal,
    check_code,
    code_hash,
    issue_code,
    request_code,
)
from core.people.verification_model import OtpAttempt, OtpCode

BOTH = pytest.mark.parametrize("backend", ["postgresql", "sqlite"])
SECRET = b"doorstep-test-otp-secret-32bytes"
PHONE = "+447700900123"
OTHER_PHONE = "+447700900456"
RIGHT_TO_LEFT_MARK = "\u200f"
Sessions = async_sessionmaker[AsyncSession]


@pytest.fixture
async def sessions(database_url: str) -> AsyncIterator[Sessions]:
    """Sessions on the test's empty, migrated database."""
    engine = create_engine(database_url)
    yield session_factory(engine)
    await engine.dispose()


@pytest.fixture
def codes(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[int]]:
    """The numbers `secrets.randbelow` hands out next, in order, so tests know the digits in advance."""
    queue: list[int] = []

    def draw(limit: int) -> int:
        assert limit == 10**6
        return queue.pop(0)

    monkeypatch.setattr(otp.secrets, "randbelow", draw)
    yield queue
    assert queue == [], "every planned code was issued"


async def new_person(sessions: Sessions, now: datetime) -> int:
    """A person with only the required columns set."""
    async with sessions() as session, session.begin():
        person = Person(locale="en-GB", timezone="Europe/London", created_at=now)
        session.add(person)
        await session.flush()
        return person.id


async def ask(sessions: Sessions, person_id: int, now: datetime, phone: str = PHONE) -> OtpCode | Refusal:
    """Ask for a code in a transaction of its own, as a conversation step would."""
    async with sessions() as session, session.begin():
        return await request_code(session, person_id, phone, "sms", now)


async def issue(sessions: Sessions, otp_id: int, now: datetime) -> str | None:
    """Issue a code in a transaction of its own, as the delivery job would."""
    async with sessions() as session, session.begin():
        return await issue_code(session, otp_id, SECRET, now)


async def send(sessions: Sessions, person_id: int, now: datetime, phone: str = PHONE) -> tuple[int, str]:
    """Ask for a code and deliver it; returns the code's id and its digits."""
    code = await ask(sessions, person_id, now, phone)
    assert isinstance(code, OtpCode), code
    digits = await issue(sessions, code.id, now)
    assert digits is not None
    return code.id, digits


async def check(sessions: Sessions, person_id: int, typed: str, now: datetime) -> CodeCheck:
    """Check a typed code in a transaction of its own."""
    async with sessions() as session, session.begin():
        return await check_code(session, person_id, typed, SECRET, now)


async def code_row(sessions: Sessions, otp_id: int) -> OtpCode:
    """The code's row as stored."""
    async with sessions() as session:
        return await session.get_one(OtpCode, otp_id)


def wrong(digits: str) -> str:
    """Six digits that are not `digits`."""
    return f"{(int(digits) + 1) % 10**6:06d}"


@BOTH
async def test_a_code_is_asked_for_pending_then_issued_with_only_its_hmac_stored(
    sessions: Sessions, clock: ManualClock, codes: list[int]
) -> None:
    person = await new_person(sessions, clock.now())
    code = await ask(sessions, person, clock.now())
    assert isinstance(code, OtpCode)
    row = await code_row(sessions, code.id)
    assert (row.status, row.code_hash, row.attempts, row.expires_at) == ("pending", None, 0, None)

    codes.append(4271)
    clock.advance(seconds=3)
    assert await issue(sessions, code.id, clock.now()) == "004271"
    row = await code_row(sessions, code.id)
    assert (row.status, row.attempts, row.issued_at) == ("issued", 0, clock.now())
    assert row.expires_at == clock.now() + CODE_LIFETIME
    assert row.code_hash == code_hash(SECRET, code.id, PHONE, "004271")
    assert (await check(sessions, person, "004271", clock.now())).outcome == "verified"

    async with sessions() as session:
        for table in ("otp_codes", "otp_attempts"):
            for stored in (await session.execute(text(f"SELECT * FROM {table}"))).all():
                assert all("4271" not in str(value) for value in stored), (table, stored)


@BOTH
async def test_issued_digits_are_six_random_digits(sessions: Sessions, clock: ManualClock) -> None:
    person = await new_person(sessions, clock.now())
    otp_id, digits = await send(sessions, person, clock.now())
    assert re.fullmatch(r"[0-9]{6}", digits)
    assert (await code_row(sessions, otp_id)).code_hash == code_hash(SECRET, otp_id, PHONE, digits)


@BOTH
async def test_the_right_code_verifies_once_and_never_again(sessions: Sessions, clock: ManualClock) -> None:
    person = await new_person(sessions, clock.now())
    otp_id, digits = await send(sessions, person, clock.now())
    clock.advance(seconds=20)
    assert await check(sessions, person, f"{digits[:3]} {digits[3:]}", clock.now()) == CodeCheck(
        "verified", phone=PHONE
    )
    row = await code_row(sessions, otp_id)
    assert (row.status, row.used_at, row.attempts) == ("used", clock.now(), 0)

    clock.advance(seconds=5)
    assert await check(sessions, person, digits, clock.now()) == CodeCheck("no_code")
    assert await issue(sessions, otp_id, clock.now()) is None, "a used code is never sent again"
    async with sessions() as session:
        attempts = (await session.scalars(select(OtpAttempt))).all()
    assert [(a.otp_id, a.succeeded) for a in attempts] == [(otp_id, True)]


@BOTH
async def test_a_code_works_at_4_59_and_has_expired_at_exactly_5_00(
    sessions: Sessions, clock: ManualClock
) -> None:
    early, late = await new_person(sessions, clock.now()), await new_person(sessions, clock.now())
    _, early_digits = await send(sessions, early, clock.now(), PHONE)
    late_id, late_digits = await send(sessions, late, clock.now(), OTHER_PHONE)

    clock.advance(minutes=4, seconds=59)
    assert (await check(sessions, early, early_digits, clock.now())).outcome == "verified"
    clock.advance(seconds=1)
    assert await check(sessions, late, late_digits, clock.now()) == CodeCheck("expired", phone=OTHER_PHONE)
    assert await check(sessions, late, wrong(late_digits), clock.now()) == CodeCheck(
        "expired", phone=OTHER_PHONE
    )
    row = await code_row(sessions, late_id)
    assert (row.status, row.attempts) == ("issued", 0), "an expired code is left as it was, unusable"
    async with sessions() as session:
        assert (await session.scalars(select(OtpAttempt.succeeded))).all() == [True]


@BOTH
async def test_five_wrong_tries_kill_the_code_and_the_right_one_then_fails(
    sessions: Sessions, clock: ManualClock
) -> None:
    person = await new_person(sessions, clock.now())
    otp_id, digits = await send(sessions, person, clock.now())
    outcomes = [await check(sessions, person, wrong(digits), clock.now()) for _ in range(MAX_TRIES)]
    assert outcomes == [CodeCheck("wrong", phone=PHONE, tries_left=left) for left in (4, 3, 2, 1)] + [
        CodeCheck("dead", phone=PHONE)
    ]
    row = await code_row(sessions, otp_id)
    assert (row.status, row.attempts) == ("dead", MAX_TRIES)
    assert await check(sessions, person, digits, clock.now()) == CodeCheck("no_code")
    assert await issue(sessions, otp_id, clock.now()) is None
    async with sessions() as session:
        assert (await session.scalars(select(OtpAttempt.succeeded))).all() == [False] * MAX_TRIES


@BOTH
async def test_sends_to_a_phone_wait_a_minute_apart(sessions: Sessions, clock: ManualClock) -> None:
    person = await new_person(sessions, clock.now())
    first = clock.now()
    await send(sessions, person, first)
    clock.advance(seconds=30)
    assert await ask(sessions, person, clock.now()) == Refusal("cooldown", first + RESEND_COOLDOWN)
    clock.advance(seconds=29, microseconds=999_999)
    assert await ask(sessions, person, clock.now()) == Refusal("cooldown", first + RESEND_COOLDOWN)
    clock.advance(microseconds=1)
    assert isinstance(await ask(sessions, person, clock.now()), OtpCode)


@BOTH
async def test_a_fourth_send_within_ten_minutes_is_refused_until_the_first_is_ten_minutes_old(
    sessions: Sessions, clock: ManualClock
) -> None:
    person = await new_person(sessions, clock.now())
    first = clock.now()
    for _ in range(3):
        await send(sessions, person, clock.now())
        clock.advance(seconds=61)
    assert await ask(sessions, person, clock.now()) == Refusal("too_many_sends", first + SEND_WINDOW)
    clock.advance(minutes=6, seconds=56, microseconds=999_999)
    assert clock.now() == first + SEND_WINDOW - timedelta(microseconds=1)
    assert await ask(sessions, person, clock.now()) == Refusal("too_many_sends", first + SEND_WINDOW)
    clock.advance(microseconds=1)
    assert isinstance(await ask(sessions, person, clock.now()), OtpCode)


@BOTH
async def test_when_two_limits_refuse_the_one_that_lifts_last_is_given(
    sessions: Sessions, clock: ManualClock
) -> None:
    person = await new_person(sessions, clock.now())
    first = clock.now()
    for _ in range(3):
        clock.advance(seconds=61)
        await send(sessions, person, clock.now())
    clock.advance(seconds=10)
    assert await ask(sessions, person, clock.now()) == Refusal(
        "too_many_sends", first + timedelta(seconds=61) + SEND_WINDOW
    ), "the cooldown lifts sooner, so it is not the instant to give"


@BOTH
async def test_a_new_code_replaces_the_earlier_one(
    sessions: Sessions, clock: ManualClock, codes: list[int]
) -> None:
    person = await new_person(sessions, clock.now())
    codes.extend([111111, 222222])
    old_id, old_digits = await send(sessions, person, clock.now())
    clock.advance(seconds=61)
    new_id, new_digits = await send(sessions, person, clock.now(), OTHER_PHONE)
    assert (await code_row(sessions, old_id)).status == "replaced"
    assert await issue(sessions, old_id, clock.now()) is None, "a late delivery of the old code is dropped"
    assert await check(sessions, person, old_digits, clock.now()) == CodeCheck(
        "wrong", phone=OTHER_PHONE, tries_left=MAX_TRIES - 1
    )
    assert await check(sessions, person, new_digits, clock.now()) == CodeCheck("verified", phone=OTHER_PHONE)
    assert (await code_row(sessions, new_id)).status == "used"


@BOTH
async def test_a_code_not_yet_sent_cannot_be_checked_and_is_replaced_unsent(
    sessions: Sessions, clock: ManualClock
) -> None:
    person = await new_person(sessions, clock.now())
    unsent = await ask(sessions, person, clock.now())
    assert isinstance(unsent, OtpCode)
    assert await check(sessions, person, "123456", clock.now()) == CodeCheck("no_code")
    clock.advance(seconds=60)
    await send(sessions, person, clock.now())
    assert await issue(sessions, unsent.id, clock.now()) is None


@BOTH
async def test_a_retried_delivery_sends_new_digits_with_fresh_tries_and_expiry(
    sessions: Sessions, clock: ManualClock, codes: list[int]
) -> None:
    person = await new_person(sessions, clock.now())
    codes.extend([123456, 654321])
    otp_id, first_digits = await send(sessions, person, clock.now())
    for _ in range(2):
        await check(sessions, person, "000000", clock.now())
    clock.advance(minutes=4)
    assert await issue(sessions, otp_id, clock.now()) == "654321"
    row = await code_row(sessions, otp_id)
    assert (row.status, row.attempts, row.expires_at) == ("issued", 0, clock.now() + CODE_LIFETIME)
    assert row.code_hash == code_hash(SECRET, otp_id, PHONE, "654321")
    clock.advance(minutes=4)
    assert (await check(sessions, person, first_digits, clock.now())).tries_left == MAX_TRIES - 1
    assert (await check(sessions, person, "654321", clock.now())).outcome == "verified"


async def add_failures(sessions: Sessions, person_id: int, times: list[datetime]) -> None:
    """Wrong tries the person made earlier, written directly."""
    async with sessions() as session, session.begin():
        session.add_all(
            OtpAttempt(person_id=person_id, otp_id=None, succeeded=False, attempted_at=at) for at in times
        )


@BOTH
async def test_a_hundred_failures_in_an_hour_lock_the_person_until_the_oldest_is_an_hour_old(
    sessions: Sessions, clock: ManualClock
) -> None:
    person, start = await new_person(sessions, clock.now()), clock.now()
    await add_failures(sessions, person, [start + timedelta(seconds=30 * i) for i in range(99)])
    clock.advance(minutes=50)
    _, digits = await send(sessions, person, clock.now())
    assert (await check(sessions, person, wrong(digits), clock.now())).outcome == "wrong"

    locked = CodeCheck("locked", retry_at=start + FAILURE_WINDOW)
    assert await check(sessions, person, digits, clock.now()) == locked
    clock.advance(minutes=9, seconds=59, microseconds=999_999)
    assert await check(sessions, person, digits, clock.now()) == locked
    assert await ask(sessions, person, clock.now()) == Refusal("locked", start + FAILURE_WINDOW)

    clock.advance(microseconds=1)
    assert clock.now() == start + FAILURE_WINDOW
    _, digits = await send(sessions, person, clock.now())
    assert (await check(sessions, person, wrong(digits), clock.now())).outcome == "wrong"
    relocked = start + timedelta(seconds=30) + FAILURE_WINDOW
    assert await check(sessions, person, digits, clock.now()) == CodeCheck("locked", retry_at=relocked)
    clock.advance(seconds=30)
    assert await check(sessions, person, digits, clock.now()) == CodeCheck("verified", phone=PHONE)


@BOTH
async def test_other_people_asking_for_the_same_phone_are_held_by_its_limits(
    sessions: Sessions, clock: ManualClock
) -> None:
    people = [await new_person(sessions, clock.now()) for _ in range(4)]
    first = clock.now()
    first_id, first_digits = await send(sessions, people[0], first)
    clock.advance(seconds=30)
    assert await ask(sessions, people[1], clock.now()) == Refusal("cooldown", first + RESEND_COOLDOWN)
    clock.advance(seconds=31)
    await send(sessions, people[1], clock.now())
    clock.advance(seconds=61)
    await send(sessions, people[2], clock.now())
    clock.advance(seconds=61)
    assert await ask(sessions, people[3], clock.now()) == Refusal("too_many_sends", first + SEND_WINDOW)
    assert (await code_row(sessions, first_id)).status == "issued", "another person's code is not theirs"
    assert (await check(sessions, people[0], first_digits, clock.now())).outcome == "verified"


async def concurrently(
    sessions: Sessions, count: int, check_one: Callable[[AsyncSession], Awaitable[CodeCheck]]
) -> list[CodeCheck]:
    """Run `count` checks at once, each in its own session and transaction, all connected first."""
    ready = asyncio.Barrier(count)

    async def one() -> CodeCheck:
        async with sessions() as session, session.begin():
            await session.connection()
            await ready.wait()
            return await check_one(session)

    return await asyncio.gather(*(one() for _ in range(count)))


async def test_two_checks_of_the_right_code_at_once_verify_exactly_once(
    sessions: Sessions, clock: ManualClock
) -> None:
    person = await new_person(sessions, clock.now())
    otp_id, digits = await send(sessions, person, clock.now())
    results = await concurrently(
        sessions, 2, lambda session: check_code(session, person, digits, SECRET, clock.now())
    )
    assert sorted(result.outcome for result in results) == ["no_code", "verified"]
    async with sessions() as session:
        attempts = (await session.scalars(select(OtpAttempt))).all()
    assert [(a.otp_id, a.succeeded) for a in attempts] == [(otp_id, True)]


async def test_wrong_tries_at_once_are_each_counted_and_the_code_dies_once(
    sessions: Sessions, clock: ManualClock
) -> None:
    person = await new_person(sessions, clock.now())
    otp_id, digits = await send(sessions, person, clock.now())
    results = await concurrently(
        sessions,
        MAX_TRIES + 1,
        lambda session: check_code(session, person, wrong(digits), SECRET, clock.now()),
    )
    assert sorted(result.outcome for result in results) == ["dead", "no_code"] + ["wrong"] * 4
    assert sorted(result.tries_left for result in results if result.outcome == "wrong") == [1, 2, 3, 4]
    row = await code_row(sessions, otp_id)
    assert (row.status, row.attempts) == ("dead", MAX_TRIES)


@BOTH
async def test_text_that_is_not_a_code_is_refused_before_it_counts(
    sessions: Sessions, clock: ManualClock
) -> None:
    person = await new_person(sessions, clock.now())
    async with sessions() as session:
        with pytest.raises(ValueError, match="read_code"):
            await check_code(session, person, "hello", SECRET, clock.now())
