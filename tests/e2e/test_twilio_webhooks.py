"""Twilio's webhooks: signatures checked against PUBLIC_BASE_URL, MessageSid dedupe, status callbacks."""

from __future__ import annotations

import pytest

from core.message_log.model import InboundMessage, OutboxMessage
from core.people.model import ChannelIdentity
from tests.fakes.twilio import sign
from tests.support import PHONE, PUBLIC_BASE_URL, Platform


@pytest.mark.parametrize("channel", ["sms", "whatsapp"])
@pytest.mark.parametrize("signature", ["", "bm90IHRoZSBzaWduYXR1cmU=", "signed-for-another-url"])
async def test_a_forged_or_missing_signature_is_refused_and_writes_nothing(
    platform: Platform, channel: str, signature: str
) -> None:
    form = platform.twilio_form(channel, "hi")
    if signature == "signed-for-another-url":
        signature = sign(platform.twilio_fake.auth_token, "https://internal:8080/webhooks/twilio/sms", form)
    before = await platform.count_all()
    response = await platform.post_twilio(f"/webhooks/twilio/{channel}", form, signature=signature)
    assert response.status == 403
    assert await platform.count_all() == before


async def test_the_signature_is_checked_against_the_public_url_whatever_host_the_proxy_sends(
    platform: Platform,
) -> None:
    form = platform.twilio_form("sms", "hi")
    signature = sign(platform.twilio_fake.auth_token, PUBLIC_BASE_URL + "/webhooks/twilio/sms", form)
    response = await platform.client.post(
        "/webhooks/twilio/sms", data=form, headers={"X-Twilio-Signature": signature, "Host": "10.0.0.7:8080"}
    )
    assert response.status == 200
    assert response.content_type == "text/xml"
    assert await response.text() == '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'


async def test_a_retried_message_sid_is_answered_once(platform: Platform) -> None:
    form = platform.twilio_form("sms", "hi")
    for _ in range(3):
        assert (await platform.post_twilio("/webhooks/twilio/sms", form)).status == 200
    await platform.deliver_all()
    assert len(platform.twilio.messages(to=PHONE)) == 1
    assert len(await platform.rows(InboundMessage)) == 1


async def test_a_message_without_sender_is_malformed(platform: Platform) -> None:
    form = platform.twilio_form("sms", "hi")
    del form["From"]
    before = await platform.count_all()
    response = await platform.post_twilio("/webhooks/twilio/sms", form)
    assert response.status == 400
    assert await platform.count_all() == before


async def test_a_whatsapp_reaction_without_text_is_ignored(platform: Platform) -> None:
    before = await platform.count_all()
    form = platform.twilio_form("whatsapp", "", MessageType="reaction")
    assert (await platform.post_twilio("/webhooks/twilio/whatsapp", form)).status == 200
    assert await platform.count_all() == before


async def test_a_shared_location_and_a_photo_are_recorded(platform: Platform) -> None:
    form = platform.twilio_form(
        "whatsapp",
        "",
        Latitude="53.8008",
        Longitude="-1.5491",
        NumMedia="1",
        MediaUrl0="https://api.twilio.com/media/ME1",
        MediaContentType0="image/jpeg",
    )
    assert (await platform.post_twilio("/webhooks/twilio/whatsapp", form)).status == 200
    [row] = await platform.rows(InboundMessage)
    assert (row.message["latitude"], row.message["longitude"]) == (53.8008, -1.5491)
    assert row.message["media_urls"] == ["https://api.twilio.com/media/ME1"]


async def test_status_callbacks_move_a_message_forward_only(platform: Platform) -> None:
    await platform.text("sms", "hi")
    [row] = await platform.rows(OutboxMessage)
    steps = []
    for status in ("sent", "delivered", "sent", "queued", "failed", "read", "delivered", "undelivered"):
        assert (await platform.report_status(row.provider_message_id, status)).status == 204
        [now] = await platform.rows(OutboxMessage)
        steps.append((now.status, now.provider_status))
    assert steps == [
        ("sent", "sent"),
        ("delivered", "delivered"),
        ("delivered", "sent"),
        ("delivered", "queued"),
        ("delivered", "failed"),  # a failure after delivery is noted, not obeyed
        ("read", "read"),
        ("read", "delivered"),
        ("read", "undelivered"),
    ]
    [identity] = await platform.rows(ChannelIdentity)
    assert (identity.unreachable_at, identity.opted_out_at) == (None, None)


async def test_undelivered_to_a_landline_marks_the_number_unreachable(platform: Platform) -> None:
    await platform.text("sms", "hi")
    [row] = await platform.rows(OutboxMessage)
    response = await platform.report_status(row.provider_message_id, "undelivered", error_code="30006")
    assert response.status == 204
    [row] = await platform.rows(OutboxMessage)
    assert (row.status, row.error_code, row.last_error) == (
        "undeliverable",
        "30006",
        "Twilio reported undelivered with error 30006",
    )
    [identity] = await platform.rows(ChannelIdentity)
    assert identity.unreachable_reason == "Twilio error 30006"


async def test_a_forged_status_callback_changes_nothing(platform: Platform) -> None:
    await platform.text("sms", "hi")
    [row] = await platform.rows(OutboxMessage)
    form = {"MessageSid": row.provider_message_id, "MessageStatus": "failed", "ErrorCode": "30006"}
    response = await platform.post_twilio("/webhooks/twilio/status", form, signature="forged")
    assert response.status == 403
    [row] = await platform.rows(OutboxMessage)
    assert row.status == "sent"
