"""The Telegram webhook's contract: verify before parsing, dedupe, answer taps, ignore the unsupported."""

from __future__ import annotations

import pytest

from core.message_log.model import InboundMessage, OutboxMessage
from core.people.model import ChannelIdentity
from tests.support import Platform, recorded, tap_update, text_update


@pytest.mark.parametrize("secret", [None, "", "wrong-secret", "test-webhook-secret_012"])
async def test_missing_or_forged_secret_is_refused_and_writes_nothing(
    platform: Platform, secret: str | None
) -> None:
    before = await platform.count_all()
    response = await platform.post(recorded("telegram", "message_start"), secret=secret)
    assert response.status == 403
    assert await response.json() == {"error": "forbidden"}
    assert await platform.count_all() == before
    await platform.run_jobs()
    assert platform.telegram.calls == []


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"{not json", "malformed update"),
        (b"[1, 2]", "the body is not a JSON object"),
        (b'{"message": {"text": "hi"}}', "malformed update: update_id: Field required"),
        (
            b'{"update_id": 5, "message": {"text": "no chat or date"}}',
            "malformed update: message.message_id: Field required",
        ),
    ],
)
async def test_malformed_body_is_400_and_writes_nothing(platform: Platform, body: bytes, reason: str) -> None:
    before = await platform.count_all()
    response = await platform.client.post(
        "/webhooks/telegram",
        data=body,
        headers={
            "X-Telegram-Bot-Api-Secret-Token": "test-webhook-secret_0123",
            "Content-Type": "application/json",
        },
    )
    assert response.status == 400
    assert reason in (await response.json())["error"]
    assert await platform.count_all() == before


@pytest.mark.parametrize("fixture", ["edited_message", "group_message", "channel_post"])
async def test_unsupported_updates_are_acknowledged_and_ignored(platform: Platform, fixture: str) -> None:
    before = await platform.count_all()
    response = await platform.post(recorded("telegram", fixture))
    assert response.status == 200
    assert await platform.count_all() == before
    await platform.run_jobs()
    assert platform.telegram.calls == []


async def test_a_replayed_update_is_answered_once(platform: Platform) -> None:
    update = recorded("telegram", "message_start")
    first = await platform.post(update)
    again = await platform.post(update)
    assert (first.status, again.status) == (200, 200)
    await platform.run_jobs()
    assert len(platform.telegram.sent("sendMessage")) == 1
    assert len(await platform.rows(InboundMessage)) == 1
    assert len(await platform.rows(OutboxMessage)) == 1
    assert len(await platform.rows(ChannelIdentity)) == 1


async def test_a_tap_is_answered_in_the_webhook_response(platform: Platform) -> None:
    await platform.returning()
    await platform.converse("/start")
    response = await platform.post(tap_update(777, "menu:find"))
    assert response.status == 200
    assert await response.json() == {"method": "answerCallbackQuery", "callback_query_id": "cbq-777"}
    replay = await platform.post(tap_update(777, "menu:find"))
    assert await replay.json() == {"method": "answerCallbackQuery", "callback_query_id": "cbq-777"}
    await platform.deliver_all()
    assert [c.params["text"] for c in platform.telegram.sent("sendMessage")][1:] == [
        "Which city or area? For example: Leeds, Headingley or LS6."
    ]


async def test_a_button_never_offered_to_this_person_is_not_obeyed(platform: Platform) -> None:
    await platform.converse("/start")
    [reply] = await platform.converse(tap="search:details:DS-LON-001")
    assert reply.params["text"] == "Sorry, I didn't understand that.\n\nPlease choose one of the options."


async def test_each_person_is_one_identity_and_gets_their_own_replies(platform: Platform) -> None:
    await platform.returning()
    await platform.converse("/start")
    other = text_update(5001, "/start")
    other["message"]["chat"]["id"] = other["message"]["from"]["id"] = 600700800
    other["message"]["from"]["first_name"] = other["message"]["chat"]["first_name"] = "Tom"
    await platform.post(other)
    await platform.run_jobs()
    texts = {c.params["chat_id"]: c.params["text"] for c in platform.telegram.sent("sendMessage")}
    assert texts[600700800].startswith("Welcome to Doorstep!")
    assert texts[5512347788].startswith("Hi Amira!")
    identities = await platform.rows(ChannelIdentity)
    assert [(i.channel, i.address, i.display_name) for i in identities] == [
        ("telegram", "5512347788", "Amira"),
        ("telegram", "600700800", "Tom"),
    ]
