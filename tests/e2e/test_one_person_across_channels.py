"""Proving on Telegram a number already proven on WhatsApp makes one person of the two."""

from __future__ import annotations

from sqlalchemy import update

from core.dialog_state import DialogState
from core.listings.model import Listing
from core.message_log.model import OutboxMessage
from core.people.model import ChannelIdentity, Person
from core.people.verification_model import PersonMerge
from tests.support import CHAT_ID, PHONE, Platform, buttons, whatsapp_options


async def prove_on_telegram(platform: Platform) -> list[str]:
    await platform.converse("/start")
    await platform.converse(tap="onboarding:role:buyer")
    await platform.converse(tap="onboarding:name:keep")
    await platform.converse("settings")
    await platform.converse(tap="settings:verify")
    await platform.converse("07700 900123")
    return [call.params["text"] for call in await platform.converse(platform.last_code())]


async def test_the_whatsapp_seller_and_the_telegram_buyer_become_one_person(platform: Platform) -> None:
    seller_id = await platform.returning("whatsapp", phone=PHONE, roles=("seller",), name="Amira H")
    async with platform.sessions() as session, session.begin():
        await session.execute(
            update(Listing).where(Listing.listing_key == "DS-LDS-001").values(seller_id=seller_id)
        )
    await platform.text("whatsapp", "hi")

    done, settings = await prove_on_telegram(platform)
    assert done == (
        "Thank you, +44 7700 900123 is confirmed. I've joined your chats on that number into one account, "
        "so your homes, viewings and offers are all here."
    )
    assert settings.startswith("Your settings:\nLanguage: English\n")
    assert "Phone: +44 7700 900123 (confirmed)" in settings

    [person] = await platform.rows(Person)
    assert person.id != seller_id
    assert (person.display_name, person.phone) == ("Amira", PHONE)
    assert sorted(role.role for role in person.roles) == ["buyer", "seller"]
    identities = await platform.rows(ChannelIdentity)
    assert sorted((i.channel, i.address, i.person_id) for i in identities) == [
        ("sms", PHONE, person.id),
        ("telegram", str(CHAT_ID), person.id),
        ("whatsapp", PHONE, person.id),
    ]
    assert all(i.verified_at is not None for i in identities)
    [listing] = await platform.rows(Listing, Listing.listing_key == "DS-LDS-001")
    assert listing.seller_id == person.id
    [state] = await platform.rows(DialogState)
    assert (state.person_id, state.flow) == (person.id, "settings")
    assert {row.person_id for row in await platform.rows(OutboxMessage)} == {person.id}
    merges = await platform.rows(PersonMerge)
    assert sorted(m.merged_person_id for m in merges) == sorted([seller_id, seller_id + 2])
    whatsapp_merge = next(m for m in merges if m.merged_person_id == seller_id)
    assert whatsapp_merge.moved == ("channel_identities=1, inbound_messages=1, listings=1, outbox=1")

    [menu] = await platform.text("whatsapp", "menu")
    assert whatsapp_options(platform, menu)[2] == [
        "My listings",
        "Find a home",
        "My viewings",
        "My offers",
        "Messages",
        "Settings",
        "Help",
    ]


async def test_a_later_whatsapp_message_joins_the_person_who_proved_the_number(platform: Platform) -> None:
    await prove_on_telegram(platform)
    [welcome] = await platform.text("whatsapp", "hi")
    assert whatsapp_options(platform, welcome)[1].startswith("Hi Amira!")
    [person] = await platform.rows(Person)
    channels = sorted(
        i.channel for i in await platform.rows(ChannelIdentity, ChannelIdentity.person_id == person.id)
    )
    assert channels == ["sms", "telegram", "whatsapp"]


async def test_someone_else_cannot_take_over_a_number_by_typing_it(platform: Platform) -> None:
    owner = await platform.returning("whatsapp", phone=PHONE, roles=("seller",))
    await platform.converse("/start")
    await platform.converse(tap="onboarding:role:buyer")
    await platform.converse(tap="onboarding:name:keep")
    await platform.converse("settings")
    await platform.converse(tap="settings:verify")
    [sent] = await platform.converse("07700 900123")
    assert sent.params["text"].startswith("I've sent a 6-digit code to +44 7700 900123")
    [wrong] = await platform.converse("123456" if platform.last_code() != "123456" else "654321")
    assert wrong.params["text"] == "That code isn't right. You have 4 tries left."
    assert buttons(wrong) == [["Send a new code", "Change number"], ["Menu"]]
    [kept] = await platform.rows(Person, Person.id == owner)
    assert kept.phone == PHONE
    assert len(await platform.rows(PersonMerge)) == 0
