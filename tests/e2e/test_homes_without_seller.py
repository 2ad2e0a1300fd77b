"""A home nobody manages (a demo home without a seller): the buyer is never told a seller will answer."""

from __future__ import annotations

from datetime import UTC, datetime
from types import SimpleNamespace

import pytest

from bots.texts import Texts
from core.offers.model import Offer
from tests.e2e.test_my_listings import give_listing
from tests.support import PHONE, Platform, sample_listing

SELLER_PHONE = "+447700900555"
NO_SELLER_SUMMARY_END = (
    "No seller answers for this home on Doorstep yet, so your offer would stay open 48 hours and then expire."
)
NO_SELLER_SENT = (
    "Offer sent: £270,000 for 14 Cardigan Road. No seller answers for this home on Doorstep yet, "
    "so it stays open until Sun 22 Nov, 10:00 and then expires; you can withdraw it under My offers."
)
NO_SELLER_WITHDRAWN = "You withdrew your offer on 14 Cardigan Road (£270,000 on the table)."


async def say(platform: Platform, channel: str, text: str) -> list[str]:
    """The buyer types `text` on `channel`; the texts of the replies."""
    if channel == "telegram":
        return [call.params.get("text") or "" for call in await platform.converse(text)]
    return [call.params["Body"] for call in await platform.text(channel, text)]


async def offer_270k(platform: Platform, channel: str) -> list[str]:
    """A verified buyer offers £270,000 cash on the Headingley flat; the summary and sent texts they read.

    Numbers pick from what was offered last: Find a home, Details 1, Make an offer, Cash buyer, Flexible,
    Skip, then Send offer.
    """
    await platform.returning(channel, phone=PHONE, name="Amira")
    for text in ("menu", "1", "Headingley", "1", "2", "270k", "3", "4"):
        await say(platform, channel, text)
    [summary] = await say(platform, channel, "1")
    [sent] = await say(platform, channel, "1")
    return [summary, sent]


@pytest.mark.parametrize("channel", ["telegram", "sms"])
async def test_an_offer_on_a_home_without_a_seller_says_nobody_will_answer_it(
    platform: Platform, channel: str
) -> None:
    summary, sent = await offer_270k(platform, channel)

    assert NO_SELLER_SUMMARY_END in summary
    assert "The seller has" not in summary
    assert sent.startswith(NO_SELLER_SENT)
    [offer] = await platform.rows(Offer)
    assert offer.status == "pending"


async def test_withdrawing_on_a_home_without_a_seller_tells_nobody(platform: Platform) -> None:
    await offer_270k(platform, "telegram")
    [offer] = await platform.rows(Offer)

    await platform.converse("3")  # My offers
    await platform.converse("1")  # the offer, with Withdraw
    [sure] = await platform.converse(tap=f"offers:withdraw:{offer.id}")
    assert sure.params["text"] == "Withdraw your £270,000 offer on 14 Cardigan Road?"
    [withdrawn, *_] = await platform.converse(tap=f"offers:withdraw:{offer.id}:yes")

    assert withdrawn.params["text"] == NO_SELLER_WITHDRAWN
    assert [call.params["chat_id"] for call in platform.telegram.sent()] == [5512347788] * len(
        platform.telegram.sent()
    )


async def test_the_same_offer_with_a_seller_still_says_the_seller_answers(platform: Platform) -> None:
    seller = await platform.returning("sms", SELLER_PHONE, name="Sam", roles=("seller",), phone=SELLER_PHONE)
    await give_listing(platform, "DS-LDS-001", seller_id=seller)

    summary, sent = await offer_270k(platform, "telegram")

    assert summary.endswith("The seller has 48 hours to answer once you send it.")
    assert sent.startswith(
        "Offer sent: £270,000 for 14 Cardigan Road. The seller has until Sun 22 Nov, 10:00 to answer; "
        "I'll tell you as soon as they do."
    )
    assert platform.texts_to(SELLER_PHONE)[0].startswith("New offer from Amira on 14 Cardigan Road")


@pytest.mark.parametrize(
    ("locale", "managed", "cancelled_by", "end"),
    [
        ("en", False, "buyer", "Leeds LS6 3AG."),
        ("en", True, "buyer", "Leeds LS6 3AG. I've let the seller know."),
        ("en", False, "seller", "Leeds LS6 3AG. I've let the buyer know."),
        ("ar", False, "buyer", "LS6 3AG."),
        ("ar", True, "buyer", "أبلغتُ البائع بذلك."),
    ],
)
def test_cancelling_a_viewing_says_who_was_told_only_when_someone_was(
    locale: str, managed: bool, cancelled_by: str, end: str
) -> None:
    viewing = SimpleNamespace(starts_at=datetime(2026, 11, 28, 10, tzinfo=UTC), cancelled_by=cancelled_by)
    text = Texts("en").render(
        "viewings.cancelled_self",
        locale=locale,
        channel="sms",
        l=sample_listing(),
        v=viewing,
        tz="Europe/London",
        managed=managed,
    )
    assert text.endswith(end)
