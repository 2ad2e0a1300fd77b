"""Settings → Reach me on: where messages Doorstep starts go, chosen on each channel and obeyed."""

from __future__ import annotations

from core.message_log.model import OutboxMessage
from core.people.model import ChannelIdentity, Person, Role
from doorstep.admin import change_role
from tests.support import CHAT_ID, PHONE, Platform, buttons, whatsapp_options

GRANTED = "You now have the seller role on Doorstep."


async def add_identity(
    platform: Platform,
    person_id: int,
    channel: str,
    address: str,
    *,
    wrote: bool = True,
    verified: bool = True,
) -> None:
    """Another address of the person's: one they wrote from, or their proven number that never wrote."""
    now = platform.clock.now()
    async with platform.sessions() as session, session.begin():
        session.add(
            ChannelIdentity(
                person_id=person_id,
                channel=channel,
                address=address,
                verified_at=now if verified else None,
                last_inbound_at=now if wrote else None,
                created_at=now,
            )
        )


async def started_message_channels(platform: Platform) -> list[str]:
    """Doorstep starts a conversation (a role granted by an admin); the channels its messages went on."""
    await change_role(platform.runtime, PHONE, Role.SELLER, grant=True)
    await platform.deliver_all()
    return [row.channel for row in await platform.rows(OutboxMessage, OutboxMessage.kind == "roles.granted")]


def settings_text(reach: str = "") -> str:
    return (
        "Your settings:\nLanguage: English\nTime zone: Europe/London (it's {now} there now)\n"
        "Quiet hours: 22:00-08:00 (I hold non-urgent messages until they end)\n"
        f"Phone: +44 7700 900123 (confirmed)\n{reach}\nWhat would you like to change?"
    )


async def test_on_telegram_a_proven_number_can_take_the_messages_by_text(platform: Platform) -> None:
    person_id = await platform.returning(phone=PHONE)
    await add_identity(platform, person_id, "sms", PHONE, wrote=False)

    [shown] = await platform.converse("settings")
    assert buttons(shown) == [["Language", "Time zone"], ["Quiet hours", "Reach me on"], ["Menu"]]
    [ask] = await platform.converse(tap="settings:reach")
    assert ask.params["text"] == (
        "Where should I send messages that I start, such as reminders and replies to your offers?"
    )
    assert buttons(ask) == [["Text (SMS)", "Telegram"], ["Where I last wrote", "Menu"]]
    done, again = await platform.converse(tap="settings:reach_set:sms")
    assert done.params["text"] == "Done, I'll reach you on text (SMS)."
    assert again.params["text"] == settings_text("Reach me on: text (SMS)\n").format(now="10:00")

    [person] = await platform.rows(Person, Person.id == person_id)
    assert person.preferred_channel == "sms"
    assert await started_message_channels(platform) == ["sms"]
    assert platform.texts_to(PHONE) == [GRANTED]


async def test_on_telegram_an_unproven_or_stopped_number_is_no_choice(platform: Platform) -> None:
    person_id = await platform.returning(phone=PHONE)
    await add_identity(platform, person_id, "sms", PHONE, wrote=False, verified=False)
    [shown] = await platform.converse("settings")
    assert buttons(shown) == [["Language", "Time zone"], ["Quiet hours", "Menu"]]

    async with platform.sessions() as session, session.begin():
        sms = await session.get_one(ChannelIdentity, 2)
        sms.verified_at, sms.opted_out_at = platform.clock.now(), platform.clock.now()
    [shown] = await platform.converse("settings")
    assert buttons(shown) == [["Language", "Time zone"], ["Quiet hours", "Menu"]]
    assert await started_message_channels(platform) == ["telegram"]


async def test_on_sms_the_person_picks_telegram_by_number(platform: Platform) -> None:
    person_id = await platform.returning("sms", phone=PHONE)
    await add_identity(platform, person_id, "telegram", str(CHAT_ID))

    [shown] = await platform.text("sms", "settings")
    assert shown.params["Body"].endswith(
        "What would you like to change?\n\n1 Language\n2 Time zone\n3 Quiet hours\n4 Reach me on\n5 Menu\n"
        "Reply 1-5"
    )
    [ask] = await platform.text("sms", "4")
    assert ask.params["Body"] == (
        "Where should I send messages that I start, such as reminders and replies to your offers?\n\n"
        "1 Text (SMS)\n2 Telegram\n3 Where I last wrote\n4 Menu\nReply 1-4"
    )
    [bad] = await platform.text("sms", "9")
    assert "1 Text (SMS)\n2 Telegram\n3 Where I last wrote\n4 Menu" in bad.params["Body"]
    done, _ = await platform.text("sms", "2")
    assert done.params["Body"] == "Done, I'll reach you on Telegram."

    assert await started_message_channels(platform) == ["telegram"]
    [granted] = platform.telegram.sent("sendMessage", chat_id=CHAT_ID)
    assert granted.params["text"] == GRANTED


async def test_on_whatsapp_where_i_last_wrote_undoes_the_choice(platform: Platform) -> None:
    person_id = await platform.returning("whatsapp", phone=PHONE)
    await add_identity(platform, person_id, "telegram", str(CHAT_ID))
    await platform.text("whatsapp", "settings")
    [ask] = await platform.whatsapp_tap("settings:reach", "Reach me on")
    assert whatsapp_options(platform, ask) == (
        "list-picker",
        "Where should I send messages that I start, such as reminders and replies to your offers?",
        ["Telegram", "WhatsApp", "Where I last wrote", "Menu"],
    )
    done, _ = await platform.whatsapp_tap("settings:reach_set:telegram", "Telegram")
    assert done.params["Body"] == "Done, I'll reach you on Telegram."
    await platform.text("whatsapp", "settings")
    await platform.whatsapp_tap("settings:reach", "Reach me on")
    done, _ = await platform.whatsapp_tap("settings:reach_set:last", "Where I last wrote")
    assert done.params["Body"] == "Done, I'll reach you wherever you last wrote to me."

    [person] = await platform.rows(Person, Person.id == person_id)
    assert person.preferred_channel is None
    assert await started_message_channels(platform) == ["whatsapp"]
