"""Holds at their edges, on PostgreSQL and SQLite: a hold keeps its time for five minutes and not a moment
longer, a buyer keeps one hold at a time, and a confirmation keeps clear of a hold's buffer."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from core.people.model import Person
from core.viewings.actions import confirm, hold, submit
from core.viewings.model import Viewing
from core.viewings.rules import HOLD, SlotTaken
from tests.integration.test_viewing_concurrency import SLOT, _setup
from tests.support import Platform

BACKENDS = pytest.mark.parametrize("backend", ["postgresql", "sqlite"])
LATER = datetime(2026, 11, 28, 12, 15, tzinfo=UTC)


async def _hold(platform: Platform, buyer_id: int, start: datetime, now: datetime) -> object:
    """The buyer tries to hold `start` at `now`: the viewing's id, or the refusal."""
    async with platform.sessions() as session, session.begin():
        buyer = await session.get_one(Person, buyer_id)
        try:
            return (await hold(session, buyer, "DS-LDS-001", start, now)).id
        except SlotTaken as taken:
            return taken


@BACKENDS
@pytest.mark.parametrize(
    ("after", "free"),
    [(HOLD - timedelta(microseconds=1), False), (HOLD, True), (HOLD + timedelta(seconds=1), True)],
)
async def test_a_hold_keeps_its_time_for_five_minutes_and_not_a_moment_longer(
    platform: Platform, after: timedelta, free: bool
) -> None:
    _, _, (first, second) = await _setup(platform, buyers=2)
    now = platform.clock.now()
    kept = await _hold(platform, first, SLOT, now)
    outcome = await _hold(platform, second, SLOT, now + after)
    rows = {v.buyer_id: (v.status, v.starts_at) for v in await platform.rows(Viewing)}
    if free:
        assert isinstance(outcome, int)
        assert rows == {first: ("expired", SLOT), second: ("held", SLOT)}
    else:
        assert isinstance(outcome, SlotTaken)
        assert rows == {first: ("held", SLOT)}
        assert (await platform.rows(Viewing, Viewing.id == kept))[0].hold_expires_at == now + HOLD


@BACKENDS
async def test_a_buyer_who_picks_another_time_lets_the_first_one_go(platform: Platform) -> None:
    _, _, (first, second) = await _setup(platform, buyers=2)
    now = platform.clock.now()
    await _hold(platform, first, SLOT, now)
    await _hold(platform, first, LATER, now + timedelta(minutes=1))
    rows = [(v.buyer_id, v.status, v.starts_at) for v in await platform.rows(Viewing)]
    assert rows == [(first, "expired", SLOT), (first, "held", LATER)]
    # The first time is free for someone else at once.
    assert isinstance(await _hold(platform, second, SLOT, now + timedelta(minutes=2)), int)


@BACKENDS
@pytest.mark.parametrize(("minutes", "clash"), [(0, True), (45, False)])
async def test_a_confirmation_keeps_clear_of_a_held_time_and_its_buffer(
    platform: Platform, minutes: int, clash: bool
) -> None:
    seller, _, (first, second) = await _setup(platform, buyers=2)
    now = platform.clock.now()
    # A request for 11:30 or 12:15 first; then someone holds 11:30, blocked with its buffer until 12:15.
    async with platform.sessions() as session, session.begin():
        buyer = await session.get_one(Person, first)
        wanted = SLOT + timedelta(minutes=minutes)
        held = await hold(session, buyer, "DS-LDS-001", wanted, now)
        request = (await submit(session, buyer, held.id, 1, now)).id
    assert isinstance(await _hold(platform, second, SLOT, now), int)

    async with platform.sessions() as session, session.begin():
        host = await session.get_one(Person, seller)
        try:
            outcome: object = [v.status for v in await confirm(session, host, request, now)]
        except SlotTaken as taken:
            outcome = taken
    statuses = {v.buyer_id: v.status for v in await platform.rows(Viewing)}
    if clash:
        assert isinstance(outcome, SlotTaken)
        assert statuses == {first: "pending", second: "held"}
    else:
        assert outcome == ["confirmed"]
        assert statuses == {first: "confirmed", second: "held"}
