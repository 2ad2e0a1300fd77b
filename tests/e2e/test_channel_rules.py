"""Provider rules: opt-out words, WhatsApp's 24-hour window, rate limits, and fallback between channels."""

from __future__ import annotations

from datetime import timedelta
from functools import partial

import pytest

from core.message_log import outbox
from core.message_log.model import OutboxMessage
from core.people.model import ChannelIdentity
from tests.conftest import PlatformStarter
from tests.support import CHAT_ID, PHONE, Platform, whatsapp_options

OPTED_OUT = (
    "You're unsubscribed from Doorstep and won't get any more messages here. Reply START to subscribe again."
)


async def test_stop_on_sms_is_confirmed_once_and_silences_the_number_until_start(platform: Platform) -> None:
    await platform.returning("sms")
    await platform.text("sms", "hi")
    [confirmation] = await platform.text("sms", "STOP")
    assert confirmation.params["Body"] == OPTED_OUT
    assert await platform.text("sms", "stop") == []
    assert await platform.text("sms", "menu") == []
    [identity] = await platform.rows(ChannelIdentity)
    assert identity.opted_out_at is not None

    [back] = await platform.text("sms", "Start")
    assert back.params["Body"] == (
        "Welcome back! You'll get Doorstep messages here again.\n\nWhat would you like to do?\n\n"
        "1 Find a home\n2 My viewings\n3 My offers\n4 Messages\n5 Settings\n6 Help\nReply 1-6"
    )
    [identity] = await platform.rows(ChannelIdentity)
    assert identity.opted_out_at is None


async def test_cancel_opts_out_on_sms_but_only_cancels_the_step_on_whatsapp(platform: Platform) -> None:
    await platform.returning("sms")
    [sms] = await platform.text("sms", "CANCEL")
    assert sms.params["Body"] == OPTED_OUT
    await platform.returning("whatsapp", phone=PHONE)
    await platform.text("whatsapp", "hi")
    [whatsapp] = await platform.text("whatsapp", "cancel")
    assert whatsapp_options(platform, whatsapp)[1] == "Cancelled. What would you like to do?"


async def test_help_on_sms_names_the_opt_out_words(platform: Platform) -> None:
    await platform.returning("sms")
    await platform.text("sms", "hi")
    [help_] = await platform.text("sms", "INFO")
    assert help_.params["Body"] == (
        "Doorstep: find homes, book viewings and make offers by text. Reply MENU for options. "
        "Msg&data rates may apply. Reply STOP to unsubscribe, START to resubscribe.\n\n"
        "1 Find a home\n2 My viewings\n3 My offers\n4 Messages\n5 Settings\n6 Help\nReply 1-6"
    )


UNSUBSCRIBED_HELP = (
    "Doorstep: homes for sale by text. This number is unsubscribed and gets no messages from us. "
    "Reply START to subscribe again. Msg&data rates may apply."
)


async def test_help_after_stop_on_sms_gets_the_help_text_and_nothing_else(platform: Platform) -> None:
    await platform.returning("sms")
    await platform.text("sms", "hi")
    await platform.text("sms", "STOP")
    for word in ("HELP", "info", "Help."):
        [help_] = await platform.text("sms", word)
        assert help_.params["Body"] == UNSUBSCRIBED_HELP
    assert await platform.text("sms", "hi") == []
    assert await platform.text("sms", "menu") == []
    [identity] = await platform.rows(ChannelIdentity)
    assert identity.opted_out_at is not None
    kinds = [(row.kind, row.status) for row in await platform.rows(OutboxMessage)]
    assert kinds[-3:] == [("optout.help", "sent")] * 3

    [back] = await platform.text("sms", "START")
    assert back.params["Body"].startswith("Welcome back! You'll get Doorstep messages here again.")


async def test_help_after_stop_in_arabic_by_sms(platform: Platform) -> None:
    await platform.returning("sms", locale="ar")
    await platform.text("sms", "STOP")
    [help_] = await platform.text("sms", "HELP")
    assert help_.params["Body"] == (
        "خدمة Doorstep: منازل للبيع بالرسائل. هذا الرقم ألغى اشتراكه ولا تصله منا أي رسائل. "
        "أرسل START للاشتراك من جديد. قد تطبق رسوم الرسائل."
    )
    assert await platform.text("sms", "مرحبا") == []


async def test_only_the_help_reply_passes_an_sms_opt_out(platform: Platform) -> None:
    await platform.text("sms", "hi")
    await platform.text("sms", "stop")
    help_row = await _queue_text(platform, "sms", "optout.help", "Doorstep help.")
    menu_row = await _queue_text(platform, "sms", "help", "Doorstep help with a menu.")
    await platform.deliver_all()
    rows = {row.id: row for row in await platform.rows(OutboxMessage)}
    assert rows[help_row].status == "sent"
    assert (rows[menu_row].status, rows[menu_row].last_error) == (
        "undeliverable",
        "the recipient opted out (STOP) on this channel",
    )


async def test_help_after_stop_on_whatsapp_subscribes_again_as_any_message_does(platform: Platform) -> None:
    await platform.returning("whatsapp", phone=PHONE)
    await platform.text("whatsapp", "hi")
    [stopped] = await platform.text("whatsapp", "STOP")
    assert stopped.params["Body"] == OPTED_OUT
    [help_] = await platform.text("whatsapp", "help")
    assert whatsapp_options(platform, help_)[1].startswith("Here is what I can do for you")
    [identity] = await platform.rows(ChannelIdentity)
    assert identity.opted_out_at is None


@pytest.mark.parametrize("channel", ["sms", "whatsapp", "telegram"])
async def test_delivery_obeys_an_opt_out_recorded_after_the_message_was_written(
    platform: Platform, channel: str
) -> None:
    write = platform.converse if channel == "telegram" else partial(platform.text, channel)
    await write("hi")
    sent_before = len(platform.telegram.calls) + len(platform.twilio.calls)
    row = await _queue_text(platform, channel, "menu", "What would you like to do?")
    await write("stop")
    await platform.deliver_all()
    [row] = await platform.rows(OutboxMessage, OutboxMessage.id == row)
    assert (row.status, row.last_error) == ("undeliverable", "the recipient opted out (STOP) on this channel")
    sent = [*platform.telegram.calls, *platform.twilio.calls][sent_before:]
    assert [c for c in sent if "What would you like to do?" in str(c.params)] == []


async def test_outside_the_whatsapp_window_without_a_template_nothing_is_sent_free_form(
    platform: Platform,
) -> None:
    await platform.text("whatsapp", "hi")
    platform.clock.advance(hours=25)
    row = await _queue_text(platform, "whatsapp", "menu", "What would you like to do?")
    await platform.deliver_all()
    [row] = await platform.rows(OutboxMessage, OutboxMessage.id == row)
    assert (row.status, row.last_error) == (
        "undeliverable",
        "outside WhatsApp's 24-hour window and no approved template for menu",
    )
    assert len(platform.twilio.messages()) == 1


@pytest.mark.parametrize(
    ("after_last", "free_form"),
    [(timedelta(hours=24) - timedelta(seconds=1), True), (timedelta(hours=24), False)],
)
async def test_the_whatsapp_window_runs_from_the_last_message_not_the_first(
    platform: Platform, after_last: timedelta, free_form: bool
) -> None:
    await platform.text("whatsapp", "hi")
    platform.clock.advance(hours=20)
    await platform.text("whatsapp", "menu")
    platform.clock.advance(seconds=after_last.total_seconds())  # 44 hours after the first message
    sent_before = len(platform.twilio.messages())
    row = await _queue_text(platform, "whatsapp", "menu", "What would you like to do?")
    await platform.deliver_all()
    [row] = await platform.rows(OutboxMessage, OutboxMessage.id == row)
    sent = [m.params.get("Body") for m in platform.twilio.messages()[sent_before:]]
    if free_form:
        assert (row.status, row.last_error, sent) == ("sent", None, ["What would you like to do?"])
    else:
        assert (row.status, sent) == ("undeliverable", [])
        assert row.last_error == "outside WhatsApp's 24-hour window and no approved template for menu"


async def test_outside_the_window_the_approved_template_is_sent(start_platform: PlatformStarter) -> None:
    template = "HX" + "1" * 32
    async with start_platform(TWILIO_WHATSAPP_TEMPLATES=f'{{"viewing.reminder": "{template}"}}') as platform:
        await platform.text("whatsapp", "hi")
        platform.clock.advance(hours=30)
        await _queue_text(platform, "whatsapp", "viewing.reminder", "Your viewing is tomorrow at 10:00.")
        await platform.deliver_all()
        last = platform.twilio.messages()[-1]
        assert last.params["ContentSid"] == template
        assert last.params["ContentVariables"] == {"1": "Your viewing is tomorrow at 10:00."}
        assert "Body" not in last.params


async def test_an_important_message_outside_the_window_falls_back_to_sms(platform: Platform) -> None:
    await platform.text("whatsapp", "hi")
    platform.clock.advance(hours=30)
    await _queue_text(
        platform, "whatsapp", "offer.received", "You have a new offer of £280,000.", important=True
    )
    await platform.deliver_all()
    last = platform.twilio.messages()[-1]
    assert (last.params["To"], last.params["Body"]) == (PHONE, "You have a new offer of £280,000.")
    rows = await platform.rows(OutboxMessage)
    assert [(r.channel, r.status, r.fallback_of) for r in rows[-2:]] == [
        ("whatsapp", "undeliverable", None),
        ("sms", "sent", rows[-2].id),
    ]


async def test_a_landline_fails_an_important_message_over_to_telegram(platform: Platform) -> None:
    await platform.converse("/start")
    await platform.text("sms", "hi")
    await _merge_sms_into_telegram_person(platform)
    platform.twilio.fail_next(code=21614)
    await _queue_text(platform, "sms", "viewing.confirmed", "Your viewing is confirmed.", important=True)
    await platform.deliver_all()
    sms_identity = next(i for i in await platform.rows(ChannelIdentity) if i.channel == "sms")
    assert sms_identity.unreachable_reason == (
        "Twilio 21614: Unable to create record: 'To' number is not a valid mobile number"
    )
    last = platform.telegram.sent("sendMessage")[-1]
    assert (last.params["chat_id"], last.params["text"]) == (CHAT_ID, "Your viewing is confirmed.")


async def test_one_sms_sender_sends_one_segment_a_second_after_a_burst_of_four(platform: Platform) -> None:
    await platform.text("sms", "hi")
    platform.clock.advance(seconds=10)
    two_segments = [await _queue_text(platform, "sms", "note", letter * 300) for letter in "xyz"]
    await platform.run_jobs()
    rows = {r.id: r for r in await platform.rows(OutboxMessage)}
    assert [rows[i].segments for i in two_segments] == [2, 2, 2]
    assert [rows[i].status for i in two_segments] == ["sent", "sent", "pending"]
    assert rows[two_segments[2]].next_attempt_at - platform.clock.now() == timedelta(seconds=2)
    platform.clock.advance(seconds=2)
    await platform.run_jobs()
    assert (await platform.rows(OutboxMessage, OutboxMessage.id == two_segments[2]))[0].status == "sent"


async def test_telegram_flood_control_pauses_the_whole_bot(platform: Platform) -> None:
    await platform.converse("/start")
    platform.telegram.fail_next(1, status=429, retry_after=20, method="sendMessage")
    await platform.say("menu")
    other = await _queue_telegram_to_new_chat(platform)
    await platform.run_jobs()
    assert platform.telegram.sent("sendMessage")[-1].params["chat_id"] == CHAT_ID
    [row] = await platform.rows(OutboxMessage, OutboxMessage.id == other)
    assert row.status == "pending"
    platform.clock.advance(seconds=20)
    await platform.deliver_all()
    assert platform.telegram.sent("sendMessage")[-1].params["chat_id"] == 424242


async def _queue_text(
    platform: Platform, channel: str, kind: str, text: str, *, important: bool = False
) -> int:
    """A message a job would write to the test phone's identity on `channel`."""
    from bots.messages import Reply
    from bots.outbound.fallback import reply_record

    async with platform.sessions() as session, session.begin():
        [identity] = await platform.rows(ChannelIdentity, ChannelIdentity.channel == channel)
        reply = Reply(kind, text, important=important)
        [part] = platform.runtime.adapters()[channel].render(identity.address, reply)
        row = outbox.add(
            session,
            identity,
            kind=kind,
            locale="en",
            text=part.text,
            payload={**part.payload, "_reply": reply_record(reply)},
            segments=part.segments,
            now=platform.clock.now(),
            important=important,
        )
        await session.flush()
    platform.runtime.queues.deliver([row.id])
    return row.id


async def _merge_sms_into_telegram_person(platform: Platform) -> None:
    """Stand-in for phone verification (coming with one-time codes): both identities, one person, verified."""
    async with platform.sessions() as session, session.begin():
        telegram, sms = await platform.rows(ChannelIdentity)
        for identity in (telegram, sms):
            merged = await session.get_one(ChannelIdentity, identity.id)
            merged.person_id, merged.verified_at = telegram.person_id, platform.clock.now()


async def _queue_telegram_to_new_chat(platform: Platform) -> int:
    other = {
        "update_id": 1,
        "message": {
            "message_id": 1,
            "date": 1,
            "chat": {"id": 424242, "type": "private"},
            "from": {"id": 424242, "is_bot": False, "first_name": "Tom"},
            "text": "/start",
        },
    }
    before = {r.id for r in await platform.rows(OutboxMessage)}
    await platform.post(other)
    return next(r.id for r in await platform.rows(OutboxMessage) if r.id not in before)


async def test_a_burst_to_many_chats_goes_out_in_booked_slots_each_sent_once(platform: Platform) -> None:
    for chat in range(45):
        update = {
            "update_id": 10 + chat,
            "message": {
                "message_id": 1,
                "date": 1,
                "chat": {"id": 500000 + chat, "type": "private"},
                "from": {"id": 500000 + chat, "is_bot": False, "first_name": "P"},
                "text": "/start",
            },
        }
        assert (await platform.post(update)).status == 200
    await platform.run_jobs()
    rows = await platform.rows(OutboxMessage)
    assert sum(r.status == "sent" for r in rows) == 30
    waiting = sorted(r.next_attempt_at - platform.clock.now() for r in rows if r.status == "pending")
    assert len(set(waiting)) == 15
    assert waiting[-1] == timedelta(seconds=0.5)
    platform.clock.advance(seconds=0.5)
    await platform.run_jobs()
    assert [r.status for r in await platform.rows(OutboxMessage)] == ["sent"] * 45
    assert [r.attempts for r in await platform.rows(OutboxMessage)] == [1] * 45
    assert len(platform.telegram.calls) == 45
