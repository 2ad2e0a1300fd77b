"""The search conversation on SMS and WhatsApp, exactly as each reaches Twilio."""

from __future__ import annotations

import pytest

from core.message_log.model import OutboxMessage
from core.people.model import ChannelIdentity
from tests.support import PHONE, SMS_FROM, WHATSAPP_FROM, Platform, whatsapp_options

SMS_WELCOME = (
    "Hi Amira! I'm Doorstep: find a home, book viewings and make offers by text.\n\n"
    "1 Find a home\n2 My viewings\n3 My offers\n4 Messages\n5 Settings\n6 Help\nReply 1-6"
)
SMS_LEEDS = (
    "Leeds: homes 1-5 of 6\n"
    "1 £285,000 2 bed flat, Headingley\n"
    "2 £425,000 3 bed semi-detached house, Far Headingley\n"
    "3 £189,950 2 bed terraced house, Hyde Park\n"
    "4 £650,000 4 bed detached house, Roundhay\n"
    "5 £159,000 1 bed flat, City Centre\n"
    "Reply 1-5 for details, 6 more results, 7 new search, 8 menu"
)


@pytest.mark.parametrize("backend", ["postgresql", "sqlite"])
async def test_sms_buyer_searches_by_numbers(platform: Platform) -> None:
    await platform.returning("sms")
    [welcome] = await platform.text("sms", "hi")
    assert welcome.params["To"] == PHONE
    assert welcome.params["From"] == SMS_FROM
    assert welcome.params["StatusCallback"] == "https://doorstep.test/webhooks/twilio/status"
    assert welcome.params["Body"] == SMS_WELCOME

    [ask] = await platform.text("sms", "1")
    assert ask.params["Body"] == (
        "Which city or area? For example: Leeds, Headingley or LS6.\n\n1 All areas\n2 Menu\nReply 1 or 2"
    )
    [results] = await platform.text("sms", "Leeds")
    assert results.params["Body"] == SMS_LEEDS
    [details] = await platform.text("sms", "2")
    assert details.params["Body"] == (
        "£425,000 3 bed semi-detached house\n7 Weetwood Lane, Far Headingley, Leeds LS16 5NP\n"
        "2 bath, 118 sq m\nPhoto: https://demo.doorstep.homes/photos/ds-lds-002-1.jpg\n"
        "1 Book a viewing\n2 Make an offer\n3 Back to results\n4 Menu\nReply 1-4"
    )
    [back] = await platform.text("sms", "3")
    assert back.params["Body"] == SMS_LEEDS
    [more] = await platform.text("sms", "more results")
    assert more.params["Body"] == (
        "Leeds: homes 6-6 of 6\n1 £235,000 3 bed terraced house, Kirkstall\n"
        "Reply 1 for details, 2 previous, 3 new search, 4 menu"
    )

    rows = await platform.rows(OutboxMessage)
    assert all(len(row.text) <= 320 for row in rows)
    assert [row.segments for row in rows] == [1, 1, 2, 2, 2, 1]
    assert all(row.status == "sent" and row.provider_message_id.startswith("SM") for row in rows)
    [identity] = await platform.rows(ChannelIdentity)
    assert (identity.channel, identity.address) == ("sms", PHONE)


async def test_whatsapp_buyer_taps_a_list_and_buttons(platform: Platform) -> None:
    await platform.returning("whatsapp", phone=PHONE)
    [welcome] = await platform.text("whatsapp", "hi")
    assert (welcome.params["To"], welcome.params["From"]) == (
        f"whatsapp:{PHONE}",
        f"whatsapp:{WHATSAPP_FROM}",
    )
    assert whatsapp_options(platform, welcome) == (
        "list-picker",
        "Hi Amira! I'm Doorstep. I help you find a home, book viewings and make offers, right here in chat."
        "\n\nWhat would you like to do?",
        ["Find a home", "My viewings", "My offers", "Messages", "Settings", "Help"],
    )
    assert welcome.params["ContentVariables"]["2"] == "Options"

    [ask] = await platform.whatsapp_tap("menu:find", "Find a home")
    assert whatsapp_options(platform, ask) == (
        "quick-reply",
        "Which city or area? For example: Leeds, Headingley or LS6.",
        ["All areas", "Menu"],
    )
    [results] = await platform.text("whatsapp", "Leeds")
    layout, body, titles = whatsapp_options(platform, results)
    assert layout == "list-picker"
    assert body.startswith(
        "Homes for sale in Leeds (1-5 of 6):\n\n1. £285,000 - Flat\n2 bed · 1 bath · 75 m²\n"
    )
    assert titles == [f"Details {n}" for n in range(1, 6)] + ["More results", "New search", "Menu"]

    photo, buttons = await platform.whatsapp_tap("search:details:DS-LDS-002", "Details 2")
    assert photo.params["MediaUrl"] == ["https://demo.doorstep.homes/photos/ds-lds-002-1.jpg"]
    assert photo.params["Body"] == (
        "£425,000 - Semi-detached house\n3 bed · 2 bath · 118 m²\n"
        "7 Weetwood Lane, Far Headingley, Leeds LS16 5NP\n\n"
        "Family home with a long garden, off-street parking and a loft ready to convert."
    )
    assert whatsapp_options(platform, buttons) == (
        "list-picker",
        "Choose an option:",
        ["Book a viewing", "Make an offer", "Back to results", "Menu"],
    )

    [again] = await platform.whatsapp_tap("search:back", "Back to results")
    assert whatsapp_options(platform, again)[1] == body
    shapes = sorted(content["friendly_name"] for content in platform.twilio.contents())
    assert shapes == [
        "doorstep_list_picker_4",
        "doorstep_list_picker_6",
        "doorstep_list_picker_8",
        "doorstep_quick_reply_2",
    ]


async def test_a_typed_label_or_number_works_on_whatsapp_too(platform: Platform) -> None:
    await platform.returning("whatsapp", phone=PHONE)
    await platform.text("whatsapp", "hi")
    [ask] = await platform.text("whatsapp", "find a home")
    assert whatsapp_options(platform, ask)[1].startswith("Which city or area?")
    [menu] = await platform.text("whatsapp", "2")
    assert whatsapp_options(platform, menu)[0:2] == ("list-picker", "What would you like to do?")
