"""Offers that are checked before they go: amounts far above the asking price, cancelling back to the home,
and withdrawing only once confirmed, with the withdrawal kept in the history; on each channel."""

from __future__ import annotations

from decimal import Decimal
from html import unescape

import pytest

from core.offers.actions import Terms, make_offer
from core.offers.model import Offer, OfferEvent
from core.offers.steps import Actor
from core.people.model import Person
from tests.e2e.test_offers import ASK_AMOUNT, PLACE, buyer_offers_270k, seller_on_telegram
from tests.e2e.test_viewings import sent_to_buyer
from tests.support import PHONE, Platform, TwilioCall, buttons, whatsapp_options

HIGH = "£450,001 is 157.9% of the asking price. Is that right?"
DETAILS_BUTTONS = [["Book a viewing", "Make an offer"], ["Back to results", "Menu"]]
POSITION = "What is your buying position?"


async def telegram_buyer_asks_to_offer(platform: Platform) -> None:
    """Amira, a confirmed buyer on Telegram, opens the Headingley flat and taps Make an offer."""
    await platform.returning(phone=PHONE, name="Amira")
    await platform.converse("menu")
    await platform.converse(tap="menu:find")
    await platform.converse("Headingley")
    await platform.converse(tap="search:details:DS-LDS-001")
    [ask] = await platform.converse(tap="offer:start:DS-LDS-001")
    assert ask.params["text"] == ASK_AMOUNT


async def sms_buyer_asks_to_offer(platform: Platform, locale: str = "en") -> None:
    """Amira, a confirmed buyer on SMS, opens the Headingley flat and picks Make an offer."""
    await platform.returning("sms", phone=PHONE, name="Amira", locale=locale)
    await platform.text("sms", "menu")
    await platform.text("sms", "1")
    await platform.text("sms", "Headingley")
    await platform.text("sms", "1")
    await platform.text("sms", "2")


async def whatsapp_buyer_asks_to_offer(platform: Platform) -> None:
    """Amira, a buyer on WhatsApp, opens the Headingley flat and taps Make an offer."""
    await platform.returning("whatsapp", phone=PHONE, name="Amira")
    await platform.text("whatsapp", "menu")
    await platform.whatsapp_tap("menu:find", "Find a home")
    await platform.text("whatsapp", "Headingley")
    await platform.whatsapp_tap("search:details:DS-LDS-001", "Details 1")
    await platform.whatsapp_tap("offer:start:DS-LDS-001", "Make an offer")


@pytest.mark.parametrize("backend", ["postgresql", "sqlite"])
async def test_a_telegram_offer_far_above_the_asking_price_is_confirmed_first(platform: Platform) -> None:
    await telegram_buyer_asks_to_offer(platform)
    [high] = await platform.converse("450001")
    assert high.params["text"] == HIGH
    assert buttons(high) == [["Yes", "Change amount"]]
    [again] = await platform.converse(tap="offer:high:no")
    assert again.params["text"] == ASK_AMOUNT
    await platform.converse("450001")
    [position] = await platform.converse("Y")
    assert position.params["text"] == f"{HIGH.removesuffix(' Is that right?')}\n{POSITION}"

    await platform.converse(tap="offer:start:DS-LDS-001")
    [at_150] = await platform.converse("427500")
    assert at_150.params["text"] == f"£427,500 is 150% of the asking price.\n{POSITION}"
    await platform.converse(tap="offer:start:DS-LDS-001")
    [above_150] = await platform.converse("427528.50")
    assert above_150.params["text"] == "£427,528.50 is 150% of the asking price. Is that right?"
    assert await platform.rows(Offer) == []


async def test_an_absurd_amount_is_refused_on_sms_and_ten_times_is_asked_about(platform: Platform) -> None:
    await sms_buyer_asks_to_offer(platform)
    [refused] = await platform.text("sms", "300000000")
    assert refused.params["Body"].startswith(
        "£300,000,000 is more than 10 times the £285,000 asking price, so I can't send it. "
        "Please check the amount."
    )
    assert refused.params["Body"].endswith("1 Cancel\nReply 1")
    [again] = await platform.text("sms", "2850001")
    assert again.params["Body"].startswith("£2,850,001 is more than 10 times the £285,000 asking price")
    [high] = await platform.text("sms", "2,850,000")
    assert high.params["Body"] == (
        "£2,850,000 is 1,000% of the asking price. Is that right?\n\n1 Yes\n2 Change amount\nReply 1 or 2"
    )
    [position] = await platform.text("sms", "1")
    assert position.params["Body"].startswith(f"£2,850,000 is 1,000% of the asking price.\n{POSITION}")


async def test_arabic_whatsapp_buyer_is_asked_about_a_high_offer(platform: Platform) -> None:
    await platform.returning("whatsapp", phone=PHONE, name="Amira", locale="ar")
    await platform.text("whatsapp", "القائمة")
    await platform.whatsapp_tap("menu:find", "ابحث عن منزل")
    await platform.text("whatsapp", "Headingley")
    await platform.whatsapp_tap("search:details:DS-LDS-001", "التفاصيل 1")
    await platform.whatsapp_tap("offer:start:DS-LDS-001", "تقديم عرض")
    [high] = await platform.text("whatsapp", "٤٥٠٠٠١")
    assert whatsapp_options(platform, high) == (
        "quick-reply",
        "مبلغ UK£450,001 يعادل 157.9% من السعر المطلوب. هل هذا صحيح؟",
        ["نعم", "تغيير المبلغ"],
    )
    [refused] = await platform.text("whatsapp", "3m")
    assert text_of(platform, refused) == (
        "مبلغ UK£3,000,000 يزيد على 10 أضعاف السعر المطلوب البالغ UK£285,000، لذا لا يمكنني إرساله. "
        "يُرجى التحقق من المبلغ."
    )


async def test_cancel_during_an_offer_goes_back_to_the_home_on_telegram(platform: Platform) -> None:
    await telegram_buyer_asks_to_offer(platform)
    await platform.converse("270k")
    dropped, details = await platform.converse("cancel")
    assert dropped.params["text"] == "Offer cancelled: nothing was sent to the seller."
    assert details.method == "sendPhoto"
    assert details.params["caption"].startswith("<b>£285,000</b> - Flat")
    assert buttons(details) == DETAILS_BUTTONS
    [results] = await platform.converse(tap="search:back")
    assert results.params["text"].startswith("<b>Homes for sale in Headingley</b>")

    await platform.converse(tap="search:details:DS-LDS-001")
    await platform.converse(tap="offer:start:DS-LDS-001")
    dropped, details = await platform.converse(tap="offer:drop")
    assert dropped.params["text"] == "Offer cancelled: nothing was sent to the seller."
    assert buttons(details) == DETAILS_BUTTONS
    assert await platform.rows(Offer) == []


async def test_cancel_during_an_offer_goes_back_to_the_home_by_sms_and_in_arabic(platform: Platform) -> None:
    await sms_buyer_asks_to_offer(platform, locale="ar")
    await platform.text("sms", "270000")
    dropped, details = await platform.text("sms", "5")
    assert dropped.params["Body"] == "أُلغي العرض: لم يُرسَل شيء إلى البائع."
    assert "14 Cardigan Road" in details.params["Body"]
    assert details.params["Body"].endswith("أرسل 1-4")


async def test_a_counter_far_above_the_asking_price_is_confirmed_and_an_absurd_one_refused(
    platform: Platform,
) -> None:
    await seller_on_telegram(platform)
    await buyer_offers_270k(platform)
    await platform.converse(tap="offers:counter:1")
    [refused] = await platform.converse("3m")
    assert refused.params["text"] == (
        "£3,000,000 is more than 10 times the £285,000 asking price, so I can't send it. "
        "Please check the amount."
    )
    assert buttons(refused) == [["Back", "Menu"]]
    [high] = await platform.converse("450001")
    assert high.params["text"] == HIGH
    assert buttons(high) == [["Yes", "Change amount"]]
    [again] = await platform.converse(tap="offers:counter_high:1:no")
    assert again.params["text"].startswith("The offer is £270,000")
    assert [o.status for o in await platform.rows(Offer)] == ["pending"]
    await platform.converse("450001")
    buyer_seen = len(platform.twilio.calls)
    sent, _ = await platform.converse("yes")
    assert sent.params["text"].startswith("Counter-offer sent: £450,001 to Amira.")
    [countered] = sent_to_buyer(platform, buyer_seen)
    assert "£450,001 (157.9% of the asking price)" in whatsapp_options(platform, countered)[1]


async def test_the_same_amount_as_a_counter_points_to_accept(platform: Platform) -> None:
    await seller_on_telegram(platform)
    await buyer_offers_270k(platform)
    await platform.converse(tap="offers:counter:1")
    [same] = await platform.converse("270000")
    assert same.params["text"] == "That is the amount already offered. To agree to it, tap Accept."
    assert buttons(same)[0] == ["Accept", "Reject"]
    assert [o.status for o in await platform.rows(Offer)] == ["pending"]


@pytest.mark.parametrize("backend", ["postgresql", "sqlite"])
async def test_withdrawing_asks_first_and_the_history_shows_the_withdrawal(platform: Platform) -> None:
    await seller_on_telegram(platform)
    await buyer_offers_270k(platform)
    await platform.whatsapp_tap("menu:offers", "My offers")
    await platform.whatsapp_tap("offers:open:1", "Offer 1")
    [sure] = await platform.whatsapp_tap("offers:withdraw:1", "Withdraw offer")
    assert whatsapp_options(platform, sure) == (
        "quick-reply",
        "Withdraw your £270,000 offer on 14 Cardigan Road?",
        ["Yes, withdraw", "Keep it"],
    )
    [kept] = await platform.whatsapp_tap("offers:withdraw:1:no", "Keep it")
    assert whatsapp_options(platform, kept)[1].startswith(f"Offer on {PLACE} (asking £285,000)")
    [offer] = await platform.rows(Offer)
    assert offer.status == "pending"

    await platform.whatsapp_tap("offers:withdraw:1", "Withdraw offer")
    platform.clock.advance(hours=1)
    withdrawn, history = await platform.text("whatsapp", "Y")
    assert withdrawn.params["Body"].startswith("You withdrew your offer on 14 Cardigan Road")
    assert whatsapp_options(platform, history) == (
        "quick-reply",
        f"Offer on {PLACE} (asking £285,000)\n"
        "Fri 20 Nov, 10:01: you offered £270,000\n"
        "Fri 20 Nov, 11:01: you withdrew the offer\n"
        "Now: £270,000 (94.7% of the asking price), withdrawn\n"
        "Buying position: first-time buyer\n"
        "Completion: by Mon 1 Mar 2027\n"
        'Message: "We love it! Call me on 07700 900123"',
        ["My offers", "Menu"],
    )
    [*_, event] = await platform.rows(OfferEvent)
    assert (event.kind, event.side, event.channel) == ("withdrawn", "buyer", "whatsapp")

    await platform.converse(tap="menu:offers")
    [seller_sees] = await platform.converse(tap="offers:open:1")
    lines = unescape(seller_sees.params["text"]).split("\n")
    assert lines[1:3] == [
        "Fri 20 Nov, 10:01: Amira offered £270,000",
        "Fri 20 Nov, 11:01: Amira withdrew the offer",
    ]
    assert lines[-1] == 'Message: "We love it! Call me on [hidden]"'
    stale = await platform.whatsapp_tap("offers:withdraw:1:yes", "Yes, withdraw")
    assert text_of(platform, stale[0]) == (
        "That offer was withdrawn.\n\nYour offers:\n1. 14 Cardigan Road: £270,000, withdrawn"
    )


async def test_withdrawing_in_arabic_by_sms(platform: Platform) -> None:
    amira = await platform.returning("sms", phone=PHONE, name="Amira", locale="ar")
    async with platform.sessions() as session, session.begin():
        buyer = await session.get_one(Person, amira)
        await make_offer(
            session, Actor(buyer, "sms"), "DS-LDS-001", Terms(Decimal(270000)), platform.clock.now()
        )
    await platform.text("sms", "القائمة")
    await platform.text("sms", "3")
    await platform.text("sms", "1")
    [sure] = await platform.text("sms", "1")
    assert sure.params["Body"] == (
        "هل تريد سحب عرضك البالغ UK£270,000 على \u200e14 Cardigan Road؟\n\n"
        "1 نعم، اسحبه\n2 إبقاء العرض\nأرسل 1 أو 2"
    )
    [withdrawn, history] = await platform.text("sms", "1")
    assert withdrawn.params["Body"].startswith("تم سحب عرضك على")
    assert "سُحب العرض بواسطتك" in history.params["Body"]
    [offer] = await platform.rows(Offer)
    assert offer.status == "withdrawn"


def text_of(platform: Platform, call: TwilioCall) -> str:
    """A WhatsApp message's text, whether it went as plain text or as a content item with choices."""
    body = call.params.get("Body")
    return str(body) if body is not None else whatsapp_options(platform, call)[1]


BAD_COMPLETION = (
    "Please give a completion date after today and within two years, such as 31 March, or choose Flexible."
)


async def test_a_completion_date_the_calendar_lacks_is_named_on_telegram(platform: Platform) -> None:
    await telegram_buyer_asks_to_offer(platform)
    await platform.converse("270k")
    await platform.converse(tap="offer:position:cash")
    [missing] = await platform.converse("31 Feb")
    assert missing.params["text"] == f"There is no 31 February. {BAD_COMPLETION}"
    assert buttons(missing)[0][0] == "In 2 months"
    [missing] = await platform.converse("29 Feb")
    assert missing.params["text"] == f"There is no 29 February in 2027. {BAD_COMPLETION}"
    [missing] = await platform.converse("31/4/2027")
    assert missing.params["text"] == f"There is no 31 April. {BAD_COMPLETION}"
    [past] = await platform.converse("1 Jan 2020")
    assert past.params["text"] == BAD_COMPLETION
    [message] = await platform.converse("28 Feb")
    assert message.params["text"].startswith("Anything you'd like the seller to know?")


async def test_a_completion_date_the_calendar_lacks_is_named_on_whatsapp(platform: Platform) -> None:
    await whatsapp_buyer_asks_to_offer(platform)
    await platform.text("whatsapp", "270k")
    await platform.whatsapp_tap("offer:position:cash", "Cash buyer")
    [missing] = await platform.text("whatsapp", "30 february")
    assert text_of(platform, missing) == f"There is no 30 February. {BAD_COMPLETION}"


async def test_a_completion_date_the_calendar_lacks_is_named_by_sms_in_arabic(platform: Platform) -> None:
    await sms_buyer_asks_to_offer(platform, locale="ar")
    await platform.text("sms", "270000")
    await platform.text("sms", "3")
    [missing] = await platform.text("sms", "31 أبريل")
    assert missing.params["Body"].startswith(
        "لا يوجد يوم 31 أبريل. "
        "يُرجى كتابة تاريخ لإتمام الشراء بعد اليوم وخلال سنتين، مثل 31 مارس، أو اختر «مرن»."
    )
