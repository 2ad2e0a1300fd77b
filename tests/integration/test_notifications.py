"""Messages the platform starts: held through the person's quiet hours unless urgent; admin grants."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import UTC, datetime, time

import pytest
from sqlalchemy import update

from bots.outbound.notify import notify
from core.message_log.model import OutboxMessage
from core.offers.model import ReviewFlag
from core.people.model import ChannelIdentity, Person, Role
from doorstep import cli
from doorstep.admin import AdminError, change_role
from jobs.sweep import SETTLE
from tests.conftest import platform_settings
from tests.fakes.telegram import FakeTelegram
from tests.fakes.twilio import FakeTwilio
from tests.support import CHAT_ID, PHONE, Platform

NIGHT = datetime(2026, 11, 20, 23, 0, tzinfo=UTC)


async def notice(platform: Platform, person_id: int, *, urgent: bool, key: str = "n1") -> list[OutboxMessage]:
    """Queue "You're now a Doorstep admin." for the person, as a job would, and hand it to delivery."""
    adapters = platform.runtime.adapters()
    async with platform.sessions() as session, session.begin():
        person = await session.get_one(Person, person_id)
        rows = await notify(
            session,
            platform.runtime.texts,
            adapters,
            person,
            "roles.granted",
            now=platform.clock.now(),
            dedupe_key=key,
            urgent=urgent,
            role="admin",
        )
    platform.runtime.queues.deliver([row.id for row in rows])
    await platform.deliver_all()
    return rows


def night(platform: Platform) -> None:
    platform.clock.advance(seconds=(NIGHT - platform.clock.now()).total_seconds())


async def test_a_notice_due_in_quiet_hours_waits_until_they_end(platform: Platform) -> None:
    person_id = await platform.returning()
    night(platform)
    assert len(await notice(platform, person_id, urgent=False)) == 1
    assert platform.telegram.sent("sendMessage") == []
    [held] = await platform.rows(OutboxMessage)
    assert (held.status, held.next_attempt_at) == ("pending", datetime(2026, 11, 21, 8, 0, tzinfo=UTC))

    platform.clock.advance(hours=9, seconds=-1)
    await platform.sweep()
    await platform.run_jobs()
    assert platform.telegram.sent("sendMessage") == []
    platform.clock.advance(seconds=1 + SETTLE.total_seconds())
    await platform.sweep()
    await platform.run_jobs()
    [sent] = platform.telegram.sent("sendMessage")
    assert (sent.params["chat_id"], sent.params["text"]) == (CHAT_ID, "You're now a Doorstep admin.")


async def test_an_urgent_notice_goes_at_once_even_at_night(platform: Platform) -> None:
    person_id = await platform.returning()
    night(platform)
    await notice(platform, person_id, urgent=True)
    [sent] = platform.telegram.sent("sendMessage")
    assert sent.params["text"] == "You're now a Doorstep admin."


@pytest.mark.parametrize(
    ("timezone", "quiet", "expected"),
    [
        ("Asia/Dubai", (time(22), time(8)), datetime(2026, 11, 21, 4, 0, tzinfo=UTC)),
        ("America/New_York", (time(22), time(8)), None),
        ("Europe/London", (None, None), None),
        ("Europe/London", (time(23, 30), time(6, 15)), None),
    ],
)
async def test_quiet_hours_are_the_person_s_own_in_their_time_zone(
    platform: Platform, timezone: str, quiet: tuple[time | None, time | None], expected: datetime | None
) -> None:
    person_id = await platform.returning(timezone=timezone)
    async with platform.sessions() as session, session.begin():
        await session.execute(
            update(Person).where(Person.id == person_id).values(quiet_start=quiet[0], quiet_end=quiet[1])
        )
    night(platform)
    await notice(platform, person_id, urgent=False)
    [row] = await platform.rows(OutboxMessage)
    if expected is None:
        assert row.status == "sent"
    else:
        assert (row.status, row.next_attempt_at) == ("pending", expected)


async def test_a_notice_goes_to_the_channel_used_last_or_the_one_preferred(platform: Platform) -> None:
    person_id = await platform.returning(phone=PHONE)
    async with platform.sessions() as session, session.begin():
        await session.execute(
            update(Person).where(Person.id == person_id).values(quiet_start=None, quiet_end=None)
        )
        session.add(
            ChannelIdentity(
                person_id=person_id,
                channel="whatsapp",
                address=PHONE,
                last_inbound_at=platform.clock.now(),
                created_at=platform.clock.now(),
            )
        )
    await platform.converse("menu")
    await notice(platform, person_id, urgent=False)
    async with platform.sessions() as session, session.begin():
        await session.execute(
            update(Person).where(Person.id == person_id).values(preferred_channel="whatsapp")
        )
    await notice(platform, person_id, urgent=False, key="n2")
    rows = await platform.rows(OutboxMessage, OutboxMessage.kind == "roles.granted")
    assert [(row.channel, row.status) for row in rows] == [("telegram", "sent"), ("whatsapp", "sent")]
    [whatsapp] = platform.twilio.messages(to=f"whatsapp:{PHONE}")
    assert whatsapp.params["Body"] == "You're now a Doorstep admin."


async def test_the_same_notice_queued_twice_is_sent_once(platform: Platform) -> None:
    person_id = await platform.returning()
    await notice(platform, person_id, urgent=True)
    assert await notice(platform, person_id, urgent=True) == []
    assert len(platform.telegram.sent("sendMessage")) == 1


async def test_admin_grant_needs_someone_who_confirmed_that_phone(platform: Platform) -> None:
    with pytest.raises(AdminError) as refused:
        await change_role(platform.runtime, "07700 900123", Role.ADMIN, grant=True)
    assert str(refused.value) == (
        "nobody has confirmed +44 7700 900123 in chat yet; ask them to write to Doorstep and confirm their "
        "phone (the `settings` word) first"
    )
    with pytest.raises(AdminError) as bad:
        await change_role(platform.runtime, "12345", Role.ADMIN, grant=True)
    assert str(bad.value) == "'12345' is not a phone number; give one like +44 7700 900123"


async def test_admin_grant_gives_the_role_and_tells_them_after_quiet_hours(platform: Platform) -> None:
    person_id = await platform.returning(phone=PHONE)
    night(platform)
    said = await change_role(platform.runtime, "+44 7700 900123", Role.ADMIN, grant=True)
    assert said == "+44 7700 900123 (Amira) is now admin."
    again = await change_role(platform.runtime, PHONE, Role.ADMIN, grant=True)
    assert again == "+44 7700 900123 (Amira) is already admin."
    [person] = await platform.rows(Person, Person.id == person_id)
    assert sorted(r.role for r in person.roles) == ["admin", "buyer"]
    [row] = await platform.rows(OutboxMessage)
    assert (row.text, row.status, row.next_attempt_at.hour) == ("You're now a Doorstep admin.", "pending", 8)

    revoked = await change_role(platform.runtime, PHONE, Role.ADMIN, grant=False)
    assert revoked == "+44 7700 900123 (Amira) is no longer admin."
    [person] = await platform.rows(Person, Person.id == person_id)
    assert [r.role for r in person.roles] == ["buyer"]


async def test_the_admin_command_reports_and_exits_non_zero_on_refusal(
    platform: Platform,
    database_url: str,
    fake_telegram: FakeTelegram,
    fake_twilio: FakeTwilio,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    for name, value in platform_settings(database_url, fake_telegram, fake_twilio).items():
        monkeypatch.setenv(name, value)
    await platform.returning(phone=PHONE)
    await _in_thread(cli.main, ["admin", "grant", "07700900123"])
    assert capsys.readouterr().out == "+44 7700 900123 (Amira) is now admin.\n"
    with pytest.raises(SystemExit) as exit_:
        await _in_thread(cli.main, ["admin", "grant", "+44 7700 900999"])
    assert str(exit_.value).startswith("doorstep admin: nobody has confirmed +44 7700 900999 in chat yet")


async def _in_thread(function: Callable[[list[str]], None], argv: list[str]) -> None:
    """Run a blocking command as its own process would, off the test's event loop."""
    await asyncio.to_thread(function, argv)


async def test_admin_flags_lists_people_flagged_for_review_and_unflag_clears_them(
    platform: Platform,
    database_url: str,
    fake_telegram: FakeTelegram,
    fake_twilio: FakeTwilio,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    for name, value in platform_settings(database_url, fake_telegram, fake_twilio).items():
        monkeypatch.setenv(name, value)
    await _in_thread(cli.main, ["admin", "flags"])
    assert capsys.readouterr().out == "Nobody is flagged for review.\n"
    amira = await platform.returning(phone=PHONE)
    async with platform.sessions() as session, session.begin():
        session.add_all(
            [
                ReviewFlag(
                    person_id=amira,
                    reason="many_offers",
                    detail="11 offers in 7 days",
                    flagged_at=datetime(2026, 11, 19, 9, 30, tzinfo=UTC),
                ),
                ReviewFlag(
                    person_id=amira,
                    reason="many_withdrawals",
                    detail="6 withdrawals in 7 days",
                    flagged_at=datetime(2026, 11, 20, 8, 15, tzinfo=UTC),
                ),
            ]
        )
    await _in_thread(cli.main, ["admin", "flags"])
    assert capsys.readouterr().out == (
        "2026-11-19 09:30 UTC  +44 7700 900123 (Amira)  many_offers: 11 offers in 7 days\n"
        "2026-11-20 08:15 UTC  +44 7700 900123 (Amira)  many_withdrawals: 6 withdrawals in 7 days\n"
    )
    await _in_thread(cli.main, ["admin", "unflag", "07700 900123"])
    assert capsys.readouterr().out == "+44 7700 900123 (Amira): 2 flags cleared.\n"
    await _in_thread(cli.main, ["admin", "flags"])
    assert capsys.readouterr().out == "Nobody is flagged for review.\n"
    assert all(f.cleared_at is not None for f in await platform.rows(ReviewFlag))
    with pytest.raises(SystemExit) as exit_:
        await _in_thread(cli.main, ["admin", "unflag"])
    assert str(exit_.value) == "doorstep admin: unflag needs the phone number the person confirmed in chat"
