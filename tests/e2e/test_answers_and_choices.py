"""Typed answers on every channel: numbers that match what is shown, paging both ways, yes and no, back,
nonsense at first contact, and answers too long or without words, each told in one message."""

# ruff: noqa: RUF001 - Arabic text on purpose: ruff takes Arabic letters such as alef for Latin look-alikes.

from __future__ import annotations

from datetime import time

import pytest

from core.people.model import Person
from core.viewings.availability import update_settings, weekly_rows
from core.viewings.model import Viewing
from core.viewings.slots import Window
from doorstep.simulator.telegram_api import ApiCall
from doorstep.simulator.twilio_api import ApiCall as TwilioCall
from tests.e2e.test_my_listings import give_listing
from tests.e2e.test_onboarding_and_codes import ASK_ROLE
from tests.e2e.test_search_conversation import LEEDS_PAGE_1, MENU
from tests.e2e.test_twilio_conversations import SMS_LEEDS
from tests.support import PHONE, Platform, buttons, text_update, whatsapp_options

SELLER_PHONE = "+447700900555"
LEEDS_PAGE_2 = (
    "<b>Homes for sale in Leeds</b> (6-6 of 6):\n\n"
    "<b>6. £235,000</b> - Terraced house\n3 bed · 1 bath · 92 m²\nKirkstall, Leeds LS5 3BE"
)
SMS_LEEDS_2 = (
    "Leeds: homes 6-6 of 6\n1 £235,000 3 bed terraced house, Kirkstall\n"
    "Reply 1 for details, 2 previous, 3 new search, 4 menu"
)
SMS_PAGE_2_CHOICES = "1 Details 6\n2 Previous\n3 New search\n4 Menu\nReply 1-4"
ASK_AREA = "Which city or area? For example: Leeds, Headingley or LS6."
NO_WORDS = "I couldn't find any words in that. Please answer in words or numbers."
SORRY = "Sorry, I didn't understand that."


async def telegram_leeds_page_2(platform: Platform) -> ApiCall:
    await platform.returning()
    await platform.converse("/start")
    await platform.converse(tap="menu:find")
    await platform.converse("Leeds")
    [page] = await platform.converse(tap="search:more")
    return page


@pytest.mark.parametrize("backend", ["postgresql", "sqlite"])
async def test_on_telegram_a_typed_number_is_the_home_number_shown(platform: Platform) -> None:
    page = await telegram_leeds_page_2(platform)
    assert page.params["text"] == LEEDS_PAGE_2
    assert buttons(page) == [["Details 6", "Previous"], ["New search", "Menu"]]

    for typed in ("5", "7", "1"):
        [nothing] = await platform.converse(typed)
        assert nothing.params["text"] == f"There's no option {typed} here. Please pick 6, or tap a button."
        assert buttons(nothing) == buttons(page)
    [details] = await platform.converse("6")
    assert details.params["caption"].startswith("<b>£235,000</b> - Terraced house")

    [back] = await platform.converse("back")
    assert back.params["text"] == LEEDS_PAGE_2
    [first] = await platform.converse(tap="search:previous")
    assert first.params["text"] == LEEDS_PAGE_1
    assert buttons(first) == [
        ["Details 1", "Details 2"],
        ["Details 3", "Details 4"],
        ["Details 5", "More results"],
        ["New search", "Menu"],
    ]
    [nothing] = await platform.converse("6")
    assert nothing.params["text"] == "There's no option 6 here. Please pick 1-5, or tap a button."
    [fifth] = await platform.converse("5")
    assert fifth.params["caption"].startswith("<b>£159,000</b> - Flat")


async def test_on_sms_a_typed_number_is_the_line_and_previous_pages_back(platform: Platform) -> None:
    await platform.returning("sms")
    await platform.text("sms", "hi")
    await platform.text("sms", "1")
    await platform.text("sms", "Leeds")
    [page] = await platform.text("sms", "6")
    assert page.params["Body"] == SMS_LEEDS_2
    for typed in ("5", "6"):
        [nothing] = await platform.text("sms", typed)
        assert nothing.params["Body"] == (
            f"There's no option {typed} here. Please reply with a number from 1 to 4.\n\n{SMS_PAGE_2_CHOICES}"
        )
    [previous] = await platform.text("sms", "2")
    assert previous.params["Body"] == SMS_LEEDS
    [again] = await platform.text("sms", "6")
    assert again.params["Body"] == SMS_LEEDS_2
    [details] = await platform.text("sms", "1")
    assert details.params["Body"].startswith("£235,000 3 bed terraced house\n")


async def test_on_whatsapp_a_typed_number_is_the_home_number_shown(platform: Platform) -> None:
    await platform.returning("whatsapp", phone=PHONE)
    await platform.text("whatsapp", "hi")
    await platform.whatsapp_tap("menu:find", "Find a home")
    await platform.text("whatsapp", "Leeds")
    [page] = await platform.whatsapp_tap("search:more", "More results")
    titles = ["Details 6", "Previous", "New search", "Menu"]
    assert whatsapp_options(platform, page)[0::2] == ("list-picker", titles)
    [nothing] = await platform.text("whatsapp", "9")
    assert whatsapp_options(platform, nothing) == (
        "list-picker",
        "There's no option 9 here. Please pick 6, or tap a button.",
        titles,
    )
    photo, _ = await platform.text("whatsapp", "6")
    assert photo.params["Body"].startswith("£235,000 - Terraced house")


async def test_in_arabic_a_number_with_nothing_behind_it_says_which_to_pick(platform: Platform) -> None:
    await platform.returning("sms", locale="ar")
    [menu] = await platform.text("sms", "قائمة")
    assert menu.params["Body"].endswith("أرسل 1-6")
    [nothing] = await platform.text("sms", "٧")
    assert nothing.params["Body"].startswith(
        "لا يوجد خيار رقم 7 هنا. يُرجى الرد برقم من 1 إلى 6.\n\n1 ابحث عن منزل\n"
    )
    assert nothing.params["Body"].endswith("أرسل 1-6")


async def buyer_at_viewing_summary(platform: Platform, channel: str) -> Viewing:
    """A seller (on SMS) has Saturday hours; the buyer types their way to "[1] Confirm [2] Change time"."""
    seller = await platform.returning("sms", SELLER_PHONE, roles=("seller",), phone=SELLER_PHONE, name="Sam")
    await give_listing(platform, "DS-LDS-001", seller_id=seller)
    async with platform.sessions() as session, session.begin():
        sam = await session.get_one(Person, seller)
        saturdays = weekly_rows([5], Window(time(10), time(16)))
        await update_settings(session, sam, "DS-LDS-001", platform.clock.now(), weekly=saturdays)
    await platform.returning(channel, phone=PHONE)
    for typed in ("menu", "find a home", "Headingley", "Details 1", "Book a viewing", "Sat 28 Nov"):
        await say(platform, channel, typed)
    [days] = await say(platform, channel, "back")
    assert "Which day suits you?" in body(platform, days)
    for typed in ("Sat 28 Nov", "10:00"):
        await say(platform, channel, typed)
    [summary] = await say(platform, channel, "2 people")
    assert body(platform, summary).startswith("Please check your viewing:")
    [held] = await platform.rows(Viewing)
    return held


async def say(platform: Platform, channel: str, text: str) -> list[ApiCall] | list[TwilioCall]:
    if channel == "telegram":
        return await platform.converse(text)
    return await platform.text(channel, text)


def body(platform: Platform, call: ApiCall | TwilioCall) -> str:
    if isinstance(call, ApiCall):
        return str(call.params.get("text") or call.params.get("caption"))
    if "ContentSid" in call.params:
        return whatsapp_options(platform, call)[1]
    return str(call.params["Body"])


@pytest.mark.parametrize(
    ("channel", "yes"), [("telegram", "Y"), ("telegram", "yes"), ("sms", "Y"), ("whatsapp", "نعم")]
)
async def test_yes_confirms_a_viewing_on_every_channel(platform: Platform, channel: str, yes: str) -> None:
    await buyer_at_viewing_summary(platform, channel)
    calls = await say(platform, channel, yes)
    [sent] = [c for c in calls if isinstance(c, ApiCall) or c.params["To"].endswith(PHONE)]
    assert body(platform, sent).startswith("Request sent: Sat 28 Nov, 10:00 at 14 Cardigan Road")
    [request] = platform.texts_to(SELLER_PHONE)[-1:]
    assert request.startswith("Viewing request from Amira: Sat 28 Nov, 10:00")
    assert request.endswith("1 Confirm\n2 Decline\n3 Propose other time\nReply 1-3")
    [viewing] = await platform.rows(Viewing)
    assert viewing.status == "pending"


async def test_a_seller_answers_a_viewing_request_with_y_by_sms(platform: Platform) -> None:
    await buyer_at_viewing_summary(platform, "telegram")
    await platform.converse("Confirm")
    await platform.text("sms", "Y", From=SELLER_PHONE)
    [viewing] = await platform.rows(Viewing)
    assert viewing.status == "confirmed"
    assert platform.texts_to(SELLER_PHONE)[-2].startswith("Confirmed: Amira views 14 Cardigan Road")


@pytest.mark.parametrize(("channel", "no"), [("telegram", "N"), ("sms", "no"), ("whatsapp", "لا")])
async def test_no_cancels_a_viewing_on_every_channel(platform: Platform, channel: str, no: str) -> None:
    await buyer_at_viewing_summary(platform, channel)
    [cancelled] = await say(platform, channel, no)
    assert body(platform, cancelled).startswith("Cancelled. What would you like to do?")
    [viewing] = await platform.rows(Viewing)
    assert viewing.status != "pending"


async def test_nonsense_at_first_contact_says_so_with_the_welcome(platform: Platform) -> None:
    [first] = await platform.converse("asdfgh")
    assert first.params["text"] == f"{SORRY}\n\n{ASK_ROLE}"
    roles = [["I'm buying", "I'm selling"], ["I'm a broker", "العربية"]]
    assert buttons(first) == roles
    [again] = await platform.converse("qwerty")
    assert again.params["text"] == f"{SORRY}\n\nPlease choose one of the options."
    assert buttons(again) == roles
    [name] = await platform.converse("2")
    assert name.params["text"].startswith("Great")


async def test_a_greeting_at_first_contact_just_welcomes(platform: Platform) -> None:
    [first] = await platform.converse("hello")
    assert first.params["text"] == ASK_ROLE


async def test_nonsense_at_first_contact_in_arabic_and_on_sms(platform: Platform) -> None:
    update = text_update(1, "؟؟؟")
    update["message"]["from"]["language_code"] = "ar"
    platform.clock.advance(seconds=5)
    await platform.post(update)
    await platform.deliver_all()
    [first] = [c for c in platform.telegram.calls if c.failed_status is None]
    assert first.params["text"].startswith("عذراً، لم أفهم ذلك.\n\nأهلاً بك في Doorstep!")

    [sms] = await platform.text("sms", "zzz")
    assert sms.params["Body"] == (
        "Sorry, I didn't understand that. Welcome to Doorstep: buy and sell homes, book viewings and make "
        "offers by text. What brings you here?\n\n"
        "1 I'm buying\n2 I'm selling\n3 I'm a broker\n4 العربية\nReply 1-4"
    )

    [whatsapp] = await platform.text("whatsapp", "🏠")
    assert whatsapp_options(platform, whatsapp) == (
        "list-picker",
        f"{SORRY}\n\n{ASK_ROLE}",
        ["I'm buying", "I'm selling", "I'm a broker", "العربية"],
    )


async def test_back_walks_the_search_back_to_the_menu_in_english_and_arabic(platform: Platform) -> None:
    await platform.returning()
    await platform.converse("/start")
    await platform.converse(tap="menu:find")
    await platform.converse("Leeds")
    await platform.converse("2")
    [results] = await platform.converse("Back")
    assert results.params["text"] == LEEDS_PAGE_1
    [ask] = await platform.converse("back")
    assert ask.params["text"] == ASK_AREA
    [menu] = await platform.converse("/back")
    assert menu.params["text"] == "What would you like to do?"
    assert buttons(menu) == MENU

    await platform.returning("sms", locale="ar")
    await platform.text("sms", "قائمة")
    await platform.text("sms", "1")
    await platform.text("sms", "Leeds")
    await platform.text("sms", "1")
    [results] = await platform.text("sms", "رجوع")
    assert results.params["Body"].startswith("Leeds:")
    [ask] = await platform.text("sms", "رجوع")
    assert ask.params["Body"].startswith("في أي مدينة أو منطقة تبحث؟")
    [menu] = await platform.text("sms", "رجوع")
    assert menu.params["Body"].endswith("أرسل 1-6")


async def test_back_in_an_offer_goes_to_the_step_before_then_to_the_home(platform: Platform) -> None:
    seller = await platform.returning("sms", SELLER_PHONE, roles=("seller",), phone=SELLER_PHONE, name="Sam")
    await give_listing(platform, "DS-LDS-001", seller_id=seller)
    await platform.returning("whatsapp", phone=PHONE)
    for typed in ("menu", "find a home", "Headingley", "Details 1", "Make an offer", "270k"):
        await platform.text("whatsapp", typed)
    [amount] = await platform.text("whatsapp", "back")
    assert whatsapp_options(platform, amount)[1].startswith("Make an offer on 14 Cardigan Road")
    photo, options = await platform.text("whatsapp", "back")
    assert photo.params["Body"].startswith("£285,000 - Flat")
    assert whatsapp_options(platform, options)[2][:2] == ["Book a viewing", "Make an offer"]


async def test_too_long_or_wordless_answers_say_what_was_wrong_on_telegram(platform: Platform) -> None:
    await platform.returning()
    await platform.converse("/start")
    await platform.converse(tap="menu:find")
    for typed in ("x" * 81, "x" * 4096):  # 4096: the longest text Telegram sends
        [long] = await platform.converse(typed)
        assert long.params["text"] == "That's too long: please keep it within 80 characters."
        assert buttons(long) == [["All areas", "Menu"]]
    [symbols] = await platform.converse("🏠🏠 !!")
    assert symbols.params["text"] == NO_WORDS
    assert buttons(symbols) == [["All areas", "Menu"]]
    [searched] = await platform.converse("x" * 80)
    assert searched.params["text"].startswith("I found no homes for sale in Xxxx")


async def test_too_long_or_wordless_answers_on_sms_and_whatsapp_and_in_arabic(platform: Platform) -> None:
    await platform.returning("sms")
    await platform.text("sms", "hi")
    await platform.text("sms", "1")
    [symbols] = await platform.text("sms", "👍👍👍")
    assert symbols.params["Body"] == f"{NO_WORDS}\n\n1 All areas\n2 Menu\nReply 1 or 2"
    [long] = await platform.text("sms", "Leeds " * 682)  # 4092 characters, within what webhooks take
    assert long.params["Body"] == (
        "That's too long: please keep it within 80 characters.\n\n1 All areas\n2 Menu\nReply 1 or 2"
    )

    await platform.returning("whatsapp", phone="+447700900777", locale="ar")
    form = {"From": "whatsapp:+447700900777", "WaId": "447700900777"}
    await platform.text("whatsapp", "قائمة", **form)
    await platform.text("whatsapp", "1", **form)
    [long] = await platform.text("whatsapp", "ل" * 81, **form)
    assert whatsapp_options(platform, long)[1:] == (
        "هذا طويل جداً: يُرجى ألا يتجاوز 80 حرفاً.",
        ["كل المناطق", "القائمة"],
    )


async def test_an_offer_message_takes_500_characters_and_no_as_its_words(platform: Platform) -> None:
    seller = await platform.returning("sms", SELLER_PHONE, roles=("seller",), phone=SELLER_PHONE, name="Sam")
    await give_listing(platform, "DS-LDS-001", seller_id=seller)
    await platform.returning("whatsapp", phone=PHONE)
    for typed in ("menu", "find a home", "Headingley", "Details 1", "Make an offer", "270k"):
        await platform.text("whatsapp", typed)
    await platform.text("whatsapp", "First-time buyer")
    await platform.text("whatsapp", "Flexible")
    [long] = await platform.text("whatsapp", "a" * 501)
    assert whatsapp_options(platform, long)[1:] == (
        "That's too long: please keep it within 500 characters.",
        ["Skip", "Cancel"],
    )
    [summary] = await platform.text("whatsapp", "no")
    assert 'Message: "no"' in whatsapp_options(platform, summary)[1]
    [message] = await platform.text("whatsapp", "back")
    assert whatsapp_options(platform, message)[1].startswith("Anything you'd like the seller to know?")
    [summary] = await platform.text("whatsapp", "a" * 500)
    assert f'Message: "{"a" * 500}"' in whatsapp_options(platform, summary)[1]


async def test_on_sms_a_changed_screen_comes_under_the_reason_within_320(platform: Platform) -> None:
    await platform.returning("sms")
    await platform.text("sms", "hi")
    await platform.text("sms", "1")
    await platform.text("sms", "LS6")
    await give_listing(platform, "DS-LDS-001", standard_status="Withdrawn")
    [together] = await platform.text("sms", "1")
    assert together.params["Body"] == (
        "Sorry, that home is no longer on the market.\n\nLS6: homes 1-1 of 1\n"
        "1 £189,950 2 bed terraced house, Hyde Park\nReply 1 for details, 2 new search, 3 menu"
    )

    await give_listing(platform, "DS-LDS-001", standard_status="Active")
    await platform.text("sms", "2")
    await platform.text("sms", "Leeds")
    await give_listing(platform, "DS-LDS-001", standard_status="Withdrawn")
    reason, screen = await platform.text("sms", "1")
    assert reason.params["Body"] == "Sorry, that home is no longer on the market."
    assert screen.params["Body"].startswith("Leeds: homes 1-5 of 5\n1 £425,000 3 bed semi-detached house")
    assert len(screen.params["Body"]) <= 320
