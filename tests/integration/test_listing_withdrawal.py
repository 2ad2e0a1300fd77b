"""A listing taken off the market closes its open offers and tells their buyers, whoever withdraws it: the
seller in chat, an operator with `doorstep admin withdraw`, or code calling the listings action."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

import pytest
from sqlalchemy import select, update

from bots.flows.announce import notices_of
from bots.outbound.notify import send_notices
from core.events import recorded, settle
from core.listings.actions import withdraw_listing
from core.listings.events import ListingWithdrawn
from core.listings.model import Listing
from core.message_log.model import OutboxMessage
from core.offers.events import OfferClosedWithListing
from core.offers.model import Offer, OfferEvent
from doorstep import cli
from doorstep.admin import AdminError, withdraw
from tests.conftest import platform_settings
from tests.e2e.test_offers import OTHER_BUYER, another_buyer_offers, seller_on_telegram
from tests.e2e.test_viewings import sent_to_buyer
from tests.fakes.telegram import FakeTelegram
from tests.fakes.twilio import FakeTwilio
from tests.support import PUBLIC_BASE_URL, Platform

KEY = "DS-LDS-001"
TOLD = (
    "14 Cardigan Road has been taken off the market, so your offer of £260,000 is closed. "
    "You are free to offer on another home."
)


async def _in_chat(platform: Platform) -> None:
    """The seller opens the home from My listings and taps Take off market."""
    await platform.converse(tap="listings:show")
    await platform.converse(tap=f"listing:open:{KEY}")
    await platform.converse(tap=f"listings:withdraw:{KEY}")


async def _by_operator(platform: Platform) -> None:
    """An operator runs `doorstep admin withdraw`."""
    done = await withdraw(platform.runtime, KEY)
    assert done == f"{KEY} is withdrawn; 1 open offer closed, 0 viewings called off."
    await platform.deliver_all()


async def _by_code(platform: Platform) -> None:
    """Code calls the listings action, then settles and sends what it owes, as every entry point does."""
    now = platform.clock.now()
    adapters = platform.runtime.adapters()
    async with platform.sessions() as session, session.begin():
        listing = await withdraw_listing(session, KEY, now)
        assert recorded(session) == [ListingWithdrawn(listing.id)]
        events = await settle(session, now)
        [offer] = await session.scalars(select(Offer))
        assert events == [
            ListingWithdrawn(listing.id),
            OfferClosedWithListing(offer.id, listing.id, "listing withdrawn"),
        ]
        assert recorded(session) == []
        notices = await notices_of(session, events)
        ids = await send_notices(session, platform.runtime.texts, adapters, notices, now, PUBLIC_BASE_URL)
    for adapter in adapters.values():
        await adapter.aclose()
    platform.runtime.queues.deliver(ids)
    await platform.deliver_all()


WAYS: dict[str, Callable[[Platform], Awaitable[None]]] = {
    "chat": _in_chat,
    "admin": _by_operator,
    "core": _by_code,
}


@pytest.mark.parametrize("way", list(WAYS))
async def test_withdrawing_closes_the_offers_and_tells_the_buyers_alike_from_every_entry_point(
    platform: Platform, way: str
) -> None:
    await seller_on_telegram(platform)
    await another_buyer_offers(platform, "260000")
    seen = len(platform.twilio.calls)

    await WAYS[way](platform)

    [told] = sent_to_buyer(platform, seen)
    assert (told.params["To"], told.params["Body"]) == (OTHER_BUYER, TOLD)
    [offer] = await platform.rows(Offer)
    assert offer.status == "rejected"
    [_, closed] = await platform.rows(OfferEvent)
    assert (closed.kind, closed.side, closed.detail) == ("closed", "system", "listing withdrawn")
    [listing] = await platform.rows(Listing, Listing.listing_key == KEY)
    assert listing.standard_status == "Withdrawn"


async def test_the_operator_cannot_withdraw_a_listing_off_the_market_or_one_that_does_not_exist(
    platform: Platform,
) -> None:
    await seller_on_telegram(platform)
    done = await withdraw(platform.runtime, KEY)
    assert done == f"{KEY} is withdrawn; 0 open offers closed, 0 viewings called off."
    with pytest.raises(AdminError) as again:
        await withdraw(platform.runtime, KEY)
    assert str(again.value) == f"{KEY} is not on the market, so it cannot be withdrawn"
    with pytest.raises(AdminError) as unknown:
        await withdraw(platform.runtime, "DS-NOPE")
    assert str(unknown.value) == "no listing has the key 'DS-NOPE'"
    assert await platform.rows(OutboxMessage, OutboxMessage.kind == "offers.off_market") == []


async def test_the_admin_withdraw_command_reports_what_it_closed(
    platform: Platform,
    database_url: str,
    fake_telegram: FakeTelegram,
    fake_twilio: FakeTwilio,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    for name, value in platform_settings(database_url, fake_telegram, fake_twilio).items():
        monkeypatch.setenv(name, value)
    await seller_on_telegram(platform)
    await another_buyer_offers(platform, "260000")
    # The command runs on the real clock, past the test clock: the offer must still be waiting then.
    async with platform.sessions() as session, session.begin():
        await session.execute(update(Offer).values(expires_at=datetime(2100, 1, 1, tzinfo=UTC)))

    await asyncio.to_thread(cli.main, ["admin", "withdraw", KEY])
    assert capsys.readouterr().out == f"{KEY} is withdrawn; 1 open offer closed, 0 viewings called off.\n"
    [row] = await platform.rows(OutboxMessage, OutboxMessage.kind == "offers.off_market")
    assert row.text == TOLD
    with pytest.raises(SystemExit) as exit_:
        await asyncio.to_thread(cli.main, ["admin", "withdraw", KEY])
    assert str(exit_.value) == f"doorstep admin: {KEY} is not on the market, so it cannot be withdrawn"
    with pytest.raises(SystemExit) as missing:
        await asyncio.to_thread(cli.main, ["admin", "withdraw"])
    assert str(missing.value) == "doorstep admin: withdraw needs the listing's key, e.g. DS-LDS-001"
