"""Newcomers say who they are; sellers prove their phone with a one-time code, within every limit."""

from __future__ import annotations

import pytest

from core.message_log.model import OutboxMessage
from core.people.model import Person
from core.people.verification_model import OtpCode
from tests.support import PHONE, Platform, buttons

MENU = [["Find a home", "My viewings"], ["My offers", "Messages"], ["Settings", "Help"]]
SELLER_MENU = [
    ["My listings", "Find a home"],
    ["My viewings", "My offers"],
    ["Messages", "Settings"],
    ["Help"],
]
ASK_ROLE = (
    "Welcome to Doorstep! I help people buy and sell homes, book viewings and make offers, "
    "right here in chat.\n\nWhat brings you here?"
)
BAD_PHONE = (
    "Sorry, that isn't a phone number I can use. Please type a mobile number, such as 07700 900123, "
    "or with + and its country code, such as +44 7700 900123. "
    "Numbers without + and a country code are read as United Kingdom numbers."
)
ASK_PHONE = (
    "What's your mobile number? I'll send a 6-digit code to confirm it. "
    'Tap "Share my number" below, or type it, for example 07700 900123. '
    "Numbers without + and a country code are read as United Kingdom numbers."
)
CODE_SENT = (
    "I've sent a 6-digit code to +44 7700 900123 by text. Please type it here. It works for 5 minutes."
)
CODE_BUTTONS = [["Send a new code", "Change number"], ["Menu"]]


async def become_seller(platform: Platform) -> None:
    await platform.converse("/start")
    await platform.converse(tap="onboarding:role:seller")
    await platform.converse(tap="onboarding:name:keep")


@pytest.mark.parametrize("backend", ["postgresql", "sqlite"])
async def test_a_newcomer_says_what_brings_them_and_their_name(platform: Platform) -> None:
    [ask] = await platform.converse("/start")
    assert ask.params["text"] == ASK_ROLE
    assert buttons(ask) == [["I'm buying", "I'm selling"], ["I'm a broker", "العربية"]]
    [again] = await platform.converse("menu")
    assert again.params["text"] == ASK_ROLE

    [name] = await platform.converse("I want to buy a flat")
    assert name.params["text"] == (
        "Great, let's find you a home. What should I call you? Type your name, or tap below."
    )
    assert buttons(name) == [["Call me Amira"]]
    [bad] = await platform.converse("12345")
    assert bad.params["text"] == (
        "Sorry, that doesn't look like a name. "
        "Please type the name you'd like me to use (up to 60 characters)."
    )
    [done] = await platform.converse("  Amira   Haddad ")
    assert done.params["text"] == (
        "Nice to meet you, Amira Haddad! Browse homes as much as you like. When you book a viewing or make "
        "an offer, I'll ask you to confirm your phone number once.\n\nWhat would you like to do?"
    )
    assert buttons(done) == MENU
    [person] = await platform.rows(Person)
    assert person.display_name == "Amira Haddad"
    assert [role.role for role in person.roles] == ["buyer"]
    assert person.onboarded_at == platform.clock.now()
    assert (person.phone, person.locale, person.timezone) == (None, "en", "Europe/London")


@pytest.mark.parametrize("backend", ["postgresql", "sqlite"])
async def test_a_seller_shares_their_number_and_types_the_code(platform: Platform) -> None:
    await platform.converse("/start")
    await platform.converse(tap="onboarding:role:seller")
    [welcome, ask] = await platform.converse(tap="onboarding:name:keep")
    assert welcome.params["text"] == (
        "Nice to meet you, Amira! Before you manage your listing, I need to confirm your phone number once, "
        "so buyers know they're dealing with a real seller."
    )
    assert ask.params["text"] == ASK_PHONE
    assert ask.params["reply_markup"] == {
        "keyboard": [[{"text": "Share my number", "request_contact": True}]],
        "resize_keyboard": True,
        "one_time_keyboard": True,
    }

    [sent] = await platform.share_contact("447700900123")
    assert sent.params["text"] == CODE_SENT
    assert buttons(sent) == CODE_BUTTONS
    [sms] = platform.texts_to(PHONE)
    code = platform.last_code()
    assert sms == (
        f"Your Doorstep code is {code}. It works for 5 minutes. "
        "Never share it: Doorstep will never ask you for it in a call."
    )
    [row] = await platform.rows(OutboxMessage, OutboxMessage.channel == "sms")
    assert code not in row.text and "#CODE#" in row.text
    [otp] = await platform.rows(OtpCode)
    assert (otp.phone, otp.status, otp.code_hash is not None) == (PHONE, "issued", True)

    wrong = "000000" if code != "000000" else "111111"
    [refused] = await platform.converse(wrong)
    assert refused.params["text"] == "That code isn't right. You have 4 tries left."
    assert buttons(refused) == CODE_BUTTONS
    [done, listings] = await platform.converse(f"{code[:3]} {code[3:]}")
    assert done.params["text"] == "Thank you, +44 7700 900123 is confirmed."
    assert listings.params["text"] == (
        "You have no listings on Doorstep yet. Tap Add a home to list yours: it takes a few minutes."
    )
    assert buttons(listings) == [["Add a home", "Menu"]]
    [person] = await platform.rows(Person, Person.display_name == "Amira")
    assert person.phone == PHONE
    assert person.phone_verified_at is not None
    assert sorted(r.role for r in person.roles) == ["seller"]
    assert [c.status for c in await platform.rows(OtpCode)] == ["used"]


async def test_a_contact_card_of_someone_else_is_not_taken_as_their_number(platform: Platform) -> None:
    await become_seller(platform)
    [again] = await platform.share_contact("447700900999", user_id=777)
    assert again.params["text"] == f"I can't use contact cards here. Please type your answer.\n\n{ASK_PHONE}"
    assert platform.texts_to("+447700900999") == []


async def test_a_number_that_is_not_one_is_refused_with_an_example(platform: Platform) -> None:
    await become_seller(platform)
    [refused] = await platform.converse("12345")
    assert refused.params["text"] == BAD_PHONE
    [sent] = await platform.converse("07700 900123")
    assert sent.params["text"] == CODE_SENT


@pytest.mark.parametrize(
    ("typed", "accepted"),
    [("07700 900123", True), ("7700 900123", True), ("+44 7700 900123", True), ("0044 7700 900123", True)],
)
async def test_a_uk_number_is_taken_with_or_without_its_country_code(
    platform: Platform, typed: str, accepted: bool
) -> None:
    await become_seller(platform)
    [sent] = await platform.converse(typed)
    assert (sent.params["text"] == CODE_SENT) is accepted


async def test_another_countrys_number_needs_its_country_code(platform: Platform) -> None:
    await become_seller(platform)
    [refused] = await platform.converse("050 123 4567")
    assert refused.params["text"] == BAD_PHONE
    [sent] = await platform.converse("+971 50 123 4567")
    assert sent.params["text"].startswith("I've sent a 6-digit code to +971 50 123 4567")


async def test_the_phone_prompt_by_sms_in_arabic_names_the_region(platform: Platform) -> None:
    await platform.returning("sms", name="Amira", locale="ar")
    await platform.text("sms", "القائمة")
    await platform.text("sms", "1")
    await platform.text("sms", "Headingley")
    await platform.text("sms", "1")
    await platform.text("sms", "2")
    [ask] = await platform.text("sms", "2")
    assert ask.params["Body"] == (
        "ما رقم هاتفك المحمول؟ سأرسل إليه رمزاً من 6 أرقام لتأكيده. اكتبه، مثلاً \u200e07700 900123. "
        "الأرقام المكتوبة دون + ورمز الدولة تُقرأ على أنها أرقام من المملكة المتحدة."
    )


async def test_resending_waits_a_minute_and_stops_at_three_codes_in_ten_minutes(platform: Platform) -> None:
    await become_seller(platform)
    await platform.converse("+44 7700 900123")
    [wait] = await platform.converse(tap="verify:resend")
    assert (
        wait.params["text"]
        == "I've just sent you a code. Please wait 55 seconds before asking for another one."
    )
    first = platform.last_code()
    platform.clock.advance(seconds=55)
    [second] = await platform.converse(tap="verify:resend")
    assert second.params["text"] == CODE_SENT
    [refused] = await platform.converse(first)
    assert refused.params["text"] == "That code isn't right. You have 4 tries left."
    platform.clock.advance(seconds=60)
    [third] = await platform.converse(tap="verify:resend")
    assert third.params["text"] == CODE_SENT
    platform.clock.advance(seconds=60)
    [limit] = await platform.converse(tap="verify:resend")
    assert limit.params["text"] == (
        "I've sent 3 codes to that number in the last 10 minutes. Please try again in 7 minutes."
    )
    assert len(platform.texts_to(PHONE)) == 3


async def test_five_wrong_codes_kill_the_code(platform: Platform) -> None:
    await become_seller(platform)
    await platform.converse("07700900123")
    code = platform.last_code()
    wrong = "000000" if code != "000000" else "111111"
    answers = [(await platform.converse(wrong))[0].params["text"] for _ in range(5)]
    assert answers == [
        "That code isn't right. You have 4 tries left.",
        "That code isn't right. You have 3 tries left.",
        "That code isn't right. You have 2 tries left.",
        "That code isn't right. You have 1 try left.",
        "That code isn't right, and after 5 wrong tries it no longer works. "
        'Tap "Send a new code" to get another.',
    ]
    [dead] = await platform.converse(code)
    assert dead.params["text"] == (
        'That code has already been used or replaced. Tap "Send a new code" to get another.'
    )
    [person] = await platform.rows(Person, Person.display_name == "Amira")
    assert person.phone is None


async def test_a_code_typed_after_five_minutes_has_expired(platform: Platform) -> None:
    await become_seller(platform)
    await platform.converse("07700900123")
    code = platform.last_code()
    platform.clock.advance(seconds=295)
    [expired] = await platform.converse(code)
    assert expired.params["text"] == (
        'That code has expired (codes work for 5 minutes). Tap "Send a new code" to get another.'
    )
    [sent] = await platform.converse(tap="verify:resend")
    assert sent.params["text"] == CODE_SENT
    [done, _] = await platform.converse(platform.last_code())
    assert done.params["text"] == "Thank you, +44 7700 900123 is confirmed."


async def test_something_that_is_not_a_code_asks_for_the_code(platform: Platform) -> None:
    await become_seller(platform)
    await platform.converse("07700900123")
    [ask] = await platform.converse("what code?")
    assert ask.params["text"] == "Please type the 6-digit code we sent you, for example 123456."
    assert buttons(ask) == CODE_BUTTONS
