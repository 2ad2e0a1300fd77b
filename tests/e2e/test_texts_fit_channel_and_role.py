"""Texts that fit the channel and the person: no taps on SMS, no promised phone check on WhatsApp, and a
broker told what a broker can do."""

from __future__ import annotations

import pytest

from core.people.model import Person
from tests.e2e.test_offer_safeguards import sms_buyer_asks_to_offer, whatsapp_buyer_asks_to_offer
from tests.support import PHONE, Platform, buttons, whatsapp_options


@pytest.mark.parametrize("locale", ["en", "ar"])
async def test_a_whatsapp_buyer_is_not_promised_a_phone_check(platform: Platform, locale: str) -> None:
    ask = await platform.text("whatsapp", "hi" if locale == "en" else "مرحبا")
    if locale == "ar":
        await platform.text("whatsapp", "العربية")
    await platform.text("whatsapp", "I'm buying" if locale == "en" else "أشتري")
    [done] = await platform.text("whatsapp", "Amira")
    text = whatsapp_options(platform, done)[1]
    expected = {
        "en": "Nice to meet you, Amira! Your number is already confirmed, so you can book viewings and make "
        "offers straight away.\n\nWhat would you like to do?",
        "ar": "تشرفت بمعرفتك يا Amira! رقمك مؤكَّد بالفعل، لذا يمكنك حجز المعاينات وتقديم العروض مباشرة."
        "\n\nكيف يمكنني مساعدتك؟",
    }
    assert text == expected[locale], ask
    [person] = await platform.rows(Person)
    assert person.verified


async def test_a_whatsapp_seller_is_not_promised_a_phone_check(platform: Platform) -> None:
    await platform.text("whatsapp", "hi")
    await platform.whatsapp_tap("onboarding:role:seller", "I'm selling")
    said, listings = await platform.text("whatsapp", "Sam")
    assert said.params["Body"] == (
        "Nice to meet you, Sam! Your number is already confirmed, so buyers know they're dealing with a real "
        "seller."
    )
    assert whatsapp_options(platform, listings)[1] == (
        "You have no listings on Doorstep yet. Tap Add a home to list yours: it takes a few minutes."
    )


async def test_a_broker_is_told_what_a_broker_can_do(platform: Platform) -> None:
    await platform.returning("whatsapp", phone=PHONE, name="Bea", roles=("broker",))
    await platform.text("whatsapp", "menu")
    [none] = await platform.whatsapp_tap("listings:show", "My listings")
    assert whatsapp_options(platform, none)[1] == (
        "You have no listings on Doorstep yet. "
        "Tap Add a home to list one for a seller: it takes a few minutes."
    )


async def test_an_sms_buyer_is_told_numbers_to_reply_not_buttons_to_tap(platform: Platform) -> None:
    await sms_buyer_asks_to_offer(platform)
    await platform.text("sms", "270000")
    [when] = await platform.text("sms", "1")
    assert when.params["Body"].startswith(
        "When would you like to complete the purchase? Reply with a number, or type a date such as 31 March."
    )
    [message] = await platform.text("sms", "4")
    assert message.params["Body"] == (
        "Anything you'd like the seller to know? Type a short message, or reply 1.\n\n"
        "1 Skip\n2 Cancel\nReply 1 or 2"
    )


async def test_an_arabic_sms_buyer_is_told_numbers_to_reply(platform: Platform) -> None:
    await sms_buyer_asks_to_offer(platform, locale="ar")
    await platform.text("sms", "270000")
    await platform.text("sms", "1")
    [message] = await platform.text("sms", "4")
    assert message.params["Body"].startswith("هل تودّ إبلاغ البائع بشيء؟ اكتب رسالة قصيرة، أو أرسل 1.")


async def test_a_whatsapp_buyer_still_taps(platform: Platform) -> None:
    await whatsapp_buyer_asks_to_offer(platform)
    await platform.text("whatsapp", "270k")
    [when] = await platform.whatsapp_tap("offer:position:cash", "Cash buyer")
    assert whatsapp_options(platform, when)[1] == (
        "When would you like to complete the purchase? Tap one, or type a date such as 31 March."
    )


async def test_help_for_a_seller_on_telegram_says_what_a_seller_can_do(platform: Platform) -> None:
    await platform.returning(phone="+447700900555", name="Sam", roles=("seller",))
    await platform.converse("/start")
    [help_] = await platform.converse("help")
    assert help_.params["text"].split("\n\n")[0] == (
        "Here is what I can do for you as a seller:\n"
        "- My listings: set viewing hours for your home, take a home off the market or put it back.\n"
        "- Viewing requests and offers reach you here: confirm or decline a viewing or propose other times; "
        "accept, reject or counter an offer. My viewings and My offers list them."
    )
    assert buttons(help_)[0] == ["My listings", "Find a home"]


async def test_help_for_a_broker_who_also_buys_by_sms(platform: Platform) -> None:
    await platform.returning("sms", phone=PHONE, name="Bea", roles=("broker", "buyer"))
    await platform.text("sms", "menu")
    [help_] = await platform.text("sms", "HELP")
    assert help_.params["Body"] == (
        "Doorstep: viewing hours, viewing requests and offers for homes you broker; "
        "find homes, book viewings, make offers by text. Reply MENU for options. "
        "Msg&data rates may apply. Reply STOP to unsubscribe, START to resubscribe.\n\n"
        "1 My listings\n2 Find a home\n3 My viewings\n4 My offers\n5 Messages\n6 Settings\n7 Help\nReply 1-7"
    )
    assert len(help_.params["Body"]) <= 320


async def test_help_for_a_buyer_on_whatsapp_in_arabic(platform: Platform) -> None:
    await platform.returning("whatsapp", phone=PHONE, name="Amira", locale="ar")
    await platform.text("whatsapp", "القائمة")
    [help_] = await platform.text("whatsapp", "مساعدة")
    assert whatsapp_options(platform, help_)[1].split("\n\n")[0] == (
        "إليك ما يمكنني فعله لك:\n"
        "- ابحث عن منزل: اكتب اسم مدينة أو حي أو رمزاً بريدياً، ثم افتح تفاصيل المنزل.\n"
        "- احجز معاينة من تفاصيل المنزل، وغيّر موعدها أو ألغها من «معايناتي».\n"
        "- قدّم عرضاً من تفاصيل المنزل، وتابعه أو ردّ على العروض المقابلة أو اسحبه من «عروضي»."
    )
