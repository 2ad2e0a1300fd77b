"""The `settings` and `language` words, and the first language taken from Telegram or the number."""

# ruff: noqa: RUF001 - the Arabic letters in these strings are meant, not look-alikes of Latin ones

from __future__ import annotations

import copy

from core.people.model import Person
from tests.support import Platform, buttons, recorded

SETTINGS_BUTTONS = [["Language", "Time zone"], ["Quiet hours", "Confirm my phone"], ["Menu"]]


def settings_text(zone: str, now: str, quiet: str) -> str:
    return (
        f"Your settings:\nLanguage: English\nTime zone: {zone} (it's {now} there now)\n"
        f"Quiet hours: {quiet} (I hold non-urgent messages until they end)\nPhone: not confirmed yet\n\n"
        "What would you like to change?"
    )


async def test_settings_show_and_change_quiet_hours_and_time_zone(platform: Platform) -> None:
    person_id = await platform.returning()
    [shown] = await platform.converse("Settings")
    assert shown.params["text"] == settings_text("Europe/London", "10:00", "22:00-08:00")
    assert buttons(shown) == SETTINGS_BUTTONS

    [ask] = await platform.converse(tap="settings:quiet")
    assert ask.params["text"] == (
        "When should I keep quiet? I hold non-urgent messages during these hours; codes and viewings within "
        "2 hours still come. Pick below or type hours, for example 22-8."
    )
    assert buttons(ask) == [["22:00-08:00", "23:00-07:00"], ["21:00-09:00", "No quiet hours"], ["Menu"]]
    [unread] = await platform.converse("whenever")
    assert unread.params["text"] == (
        "Sorry, I couldn't read those hours. Please type them like 22-8 or 10pm-7am, or type off."
    )
    set_, again = await platform.converse("23-7")
    assert set_.params["text"] == "Quiet hours set to 23:00-07:00."
    assert again.params["text"] == settings_text("Europe/London", "10:00", "23:00-07:00")

    await platform.converse(tap="settings:timezone")
    [unknown] = await platform.converse("Narnia")
    assert unknown.params["text"] == (
        "Sorry, I don't know that place. Please type a city or time zone, for example London, Dubai or "
        "Asia/Kolkata."
    )
    zone, _ = await platform.converse("dubai")
    assert zone.params["text"] == "Time zone set to Asia/Dubai. It's 14:00 there now."
    [person] = await platform.rows(Person, Person.id == person_id)
    assert (person.timezone, f"{person.quiet_start:%H:%M}", f"{person.quiet_end:%H:%M}") == (
        "Asia/Dubai",
        "23:00",
        "07:00",
    )

    off, _ = await platform.converse(tap="settings:quiet_set:off")
    assert off.params["text"] == "Quiet hours are off: I'll send messages whenever they're ready."
    [person] = await platform.rows(Person, Person.id == person_id)
    assert (person.quiet_start, person.quiet_end) == (None, None)


async def test_language_switches_to_arabic_and_the_listing_card_follows(platform: Platform) -> None:
    person_id = await platform.returning()
    await platform.converse(tap="menu:find")
    [ask] = await platform.converse("language")
    assert ask.params["text"] == "Which language would you like? / بأي لغة تفضل أن نتحدث؟"
    assert buttons(ask) == [["English", "العربية"]]
    changed, menu = await platform.converse(tap="language:set:ar")
    assert changed.params["text"] == "تم، سأتحدث معك بالعربية من الآن فصاعداً."
    assert menu.params["text"] == "كيف يمكنني مساعدتك؟"
    assert buttons(menu) == [["ابحث عن منزل", "معايناتي"], ["عروضي", "الرسائل"], ["الإعدادات", "مساعدة"]]
    [person] = await platform.rows(Person, Person.id == person_id)
    assert person.locale == "ar"

    await platform.converse(tap="menu:find")
    await platform.converse("Leeds")
    [card] = await platform.converse(tap="search:details:DS-LDS-001")
    assert card.params["caption"] == (
        "<b>UK£285,000</b> - شقة\nغرفتا نوم · حمام واحد · 75 م²\n"
        "14 Cardigan Road, Headingley, Leeds LS6 3AG\n\n"
        "Bright second-floor flat with a south-facing balcony, ten minutes&#39; walk from the park."
    )
    assert buttons(card) == [["حجز معاينة", "تقديم عرض"], ["العودة للنتائج", "القائمة"]]

    [again] = await platform.converse("اللغة")
    assert buttons(again) == [["English", "العربية"]]
    changed_back, _ = await platform.converse("English")
    assert changed_back.params["text"] == "Done, I'll speak English from now on."


async def test_a_telegram_user_whose_app_speaks_arabic_is_welcomed_in_arabic(platform: Platform) -> None:
    update = copy.deepcopy(recorded("telegram", "message_text"))
    update["message"]["text"] = "/start"
    update["message"]["from"]["language_code"] = "ar"
    before = len(platform.telegram.calls)
    await platform.post(update)
    await platform.deliver_all()
    [welcome] = platform.telegram.calls[before:]
    assert welcome.params["text"] == (
        "أهلاً بك في Doorstep! أساعدك على شراء المنازل وبيعها وحجز مواعيد المعاينة وتقديم العروض، "
        "هنا في المحادثة مباشرة.\n\nما الذي جاء بك إلينا اليوم؟"
    )
    assert buttons(welcome)[-1][-1] == "English"
    [person] = await platform.rows(Person)
    assert (person.locale, person.timezone) == ("ar", "Europe/London")


async def test_an_sms_from_a_uae_number_starts_in_arabic_on_dubai_time(platform: Platform) -> None:
    [welcome] = await platform.text("sms", "hi", From="+971501234567")
    assert welcome.params["Body"].startswith("أهلاً بك في Doorstep")
    assert welcome.params["To"] == "+971501234567"
    [person] = await platform.rows(Person)
    assert (person.locale, person.timezone) == ("ar", "Asia/Dubai")
