"""Sellers' photos end to end: what the webhooks keep of them, and buyers shown the cover on each channel."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from bots.messages import Reply
from bots.outbound.fallback import reply_record
from core.listings.model import Listing
from core.listings.photos import MAX_PHOTO_BYTES, Photo, media_url, set_media, store_photo
from core.message_log import outbox
from core.message_log.model import InboundMessage, OutboxMessage
from core.people.model import ChannelIdentity
from core.viewings.model import Viewing
from doorstep.simulator.telegram_api import ApiCall
from tests.e2e.test_listing_a_home import ASK_PHOTOS, start_listing
from tests.e2e.test_my_listings import BUYER_CHAT, buyer_converse
from tests.support import (
    CHAT_ID,
    PHONE,
    PUBLIC_BASE_URL,
    Platform,
    buttons,
    photo_update,
    text_update,
    twilio_media,
    whatsapp_options,
)

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"j" * 300
PDF = b"%PDF-1.7\n" + b"d" * 300
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"p" * 300
FILE_ID = "AgACAgQAAxkBAAIBcover"
LISTING = "DS-LDS-002"
BUYER_PHONE = "+447700900456"


async def _keep(platform: Platform, data: bytes, content_type: str) -> str:
    """Store a photo's bytes as the photos step does; returns its key."""
    async with platform.sessions() as session, session.begin():
        return store_photo(session, data, content_type, platform.clock.now()).media_key


async def _give_photos(platform: Platform, telegram_file_id: str | None) -> str:
    """The listing's photos become two kept ones, the cover sent on Telegram once; returns the cover's URL."""
    keys = [await _keep(platform, JPEG, "image/jpeg"), await _keep(platform, PNG, "image/png")]
    photos = [
        Photo(keys[0], media_url(PUBLIC_BASE_URL, keys[0]), telegram_file_id),
        Photo(keys[1], media_url(PUBLIC_BASE_URL, keys[1])),
    ]
    async with platform.sessions() as session, session.begin():
        listing = await session.scalar(select(Listing).where(Listing.listing_key == LISTING))
        assert listing is not None
        set_media(listing, photos)
    return photos[0].media_url


# ----- what the webhooks keep ---------------------------------------------------------------------------


async def test_a_telegram_photo_is_logged_with_its_file_id(platform: Platform) -> None:
    await platform.returning()
    response = await platform.post(photo_update(900_001, FILE_ID, caption="The kitchen"))
    assert response.status == 200
    [logged] = await platform.rows(InboundMessage)
    assert logged.message["media_kind"] == "photo"
    assert logged.message["media_ids"] == [FILE_ID]
    assert logged.message["text"] == "The kitchen"


async def test_whatsapp_media_are_logged_with_their_types(platform: Platform) -> None:
    await platform.returning("whatsapp", phone=PHONE)
    first, second = platform.twilio.put_media(JPEG), platform.twilio.put_media(PNG, "image/png")
    media = twilio_media((first, "image/jpeg"), (second, "image/png"))
    await platform.text("whatsapp", "", **media)
    [logged] = await platform.rows(InboundMessage)
    assert logged.message["media_urls"] == [first, second]
    assert logged.message["media_types"] == ["image/jpeg", "image/png"]


# ----- buyers shown the cover ---------------------------------------------------------------------------


@pytest.mark.parametrize("backend", ["postgresql", "sqlite"])
async def test_a_telegram_buyer_is_sent_the_cover_by_its_file_id(platform: Platform) -> None:
    cover = await _give_photos(platform, FILE_ID)
    await platform.returning()
    await platform.converse("/start")
    await platform.converse(tap="menu:find")
    await platform.converse("Leeds")
    [details] = await platform.converse(tap=f"search:details:{LISTING}")
    assert details.method == "sendPhoto"
    assert details.params["photo"] == FILE_ID
    assert details.params["caption"].startswith("<b>£425,000</b> - Semi-detached house\n")
    assert cover.startswith(f"{PUBLIC_BASE_URL}/media/")


async def test_a_cover_never_sent_on_telegram_goes_there_by_its_url(platform: Platform) -> None:
    cover = await _give_photos(platform, None)
    await platform.returning()
    await platform.converse("/start")
    await platform.converse(tap="menu:find")
    await platform.converse("Leeds")
    [details] = await platform.converse(tap=f"search:details:{LISTING}")
    assert (details.method, details.params["photo"]) == ("sendPhoto", cover)


async def test_a_file_id_telegram_no_longer_knows_leaves_the_details_as_text(platform: Platform) -> None:
    await _give_photos(platform, FILE_ID)
    platform.telegram.files.revoke(FILE_ID)
    await platform.returning()
    await platform.converse("/start")
    await platform.converse(tap="menu:find")
    await platform.converse("Leeds")
    [details] = await platform.converse(tap=f"search:details:{LISTING}")
    assert details.method == "sendMessage"
    assert details.params["text"].startswith("<b>£425,000</b> - Semi-detached house\n")
    assert buttons(details) == [["Book a viewing", "Make an offer"], ["Back to results", "Menu"]]
    [refused] = [call for call in platform.telegram.calls if call.failed_status is not None]
    assert (refused.method, refused.params["photo"], refused.failed_status) == ("sendPhoto", FILE_ID, 400)
    [row] = await platform.rows(OutboxMessage, OutboxMessage.kind == "listing.details")
    assert row.status == "sent"


async def test_a_whatsapp_buyer_is_sent_the_cover_by_its_media_url(platform: Platform) -> None:
    cover = await _give_photos(platform, FILE_ID)
    await platform.returning("whatsapp", phone=PHONE)
    await platform.text("whatsapp", "hi")
    await platform.whatsapp_tap("menu:find", "Find a home")
    await platform.text("whatsapp", "Leeds")
    photo, _buttons = await platform.whatsapp_tap(f"search:details:{LISTING}", "Details 2")
    assert photo.params["MediaUrl"] == [cover]
    served = await platform.client.get(cover.removeprefix(PUBLIC_BASE_URL))
    assert (served.status, served.headers["Content-Type"], await served.read()) == (200, "image/jpeg", JPEG)


async def test_an_sms_buyer_is_given_the_covers_address(platform: Platform) -> None:
    cover = await _give_photos(platform, FILE_ID)
    await platform.returning("sms")
    await platform.text("sms", "hi")
    await platform.text("sms", "1")
    await platform.text("sms", "Leeds")
    [details] = await platform.text("sms", "2")
    assert f"\nPhoto: {cover}\n" in details.params["Body"]


# ----- an important message that carried a photo, sent again elsewhere ----------------------------------


async def _important_photo_to_telegram(platform: Platform, photo: str) -> None:
    """The Telegram chat is blocked; an important message with a photo is queued to it and delivered."""
    await platform.converse("/start")
    await platform.text("whatsapp", "hi")
    async with platform.sessions() as session, session.begin():
        telegram, whatsapp = await platform.rows(ChannelIdentity)
        for identity in (telegram, whatsapp):
            merged = await session.get_one(ChannelIdentity, identity.id)
            merged.person_id, merged.verified_at = telegram.person_id, platform.clock.now()
    platform.telegram.block(CHAT_ID)
    reply = Reply("offer.received", "A new offer on your home.", photo_url=photo, important=True)
    async with platform.sessions() as session, session.begin():
        [part] = platform.runtime.adapters()["telegram"].render(str(CHAT_ID), reply)
        row = outbox.add(
            session,
            await session.get_one(ChannelIdentity, telegram.id),
            kind=reply.kind,
            locale="en",
            text=part.text,
            payload={**part.payload, "_reply": reply_record(reply)},
            segments=None,
            now=platform.clock.now(),
            important=True,
        )
        await session.flush()
    platform.runtime.queues.deliver([row.id])
    await platform.deliver_all()


async def test_a_file_id_stays_on_telegram_when_a_message_goes_elsewhere(platform: Platform) -> None:
    await _important_photo_to_telegram(platform, FILE_ID)
    rows = await platform.rows(OutboxMessage)
    assert [(r.channel, r.status) for r in rows[-2:]] == [("telegram", "undeliverable"), ("whatsapp", "sent")]
    last = platform.twilio.messages()[-1]
    assert last.params["Body"] == "A new offer on your home."
    assert "MediaUrl" not in last.params


async def test_a_photo_address_goes_along_when_a_message_goes_elsewhere(platform: Platform) -> None:
    cover = media_url(PUBLIC_BASE_URL, await _keep(platform, JPEG, "image/jpeg"))
    await _important_photo_to_telegram(platform, cover)
    last = platform.twilio.messages()[-1]
    assert (last.params["Body"], last.params["MediaUrl"]) == ("A new offer on your home.", [cover])


# ----- a seller sends photos while listing a home -------------------------------------------------------


async def _send(platform: Platform, update: dict[str, Any]) -> list[ApiCall]:
    """A few seconds on, the seller sends `update` (a photo, a file); returns the replies (not getFile)."""
    platform.clock.advance(seconds=5)
    platform._next_update += 1
    update["update_id"] = platform._next_update
    before = len(platform.telegram.calls)
    response = await platform.post(update)
    assert response.status == 200, await response.text()
    await platform.deliver_all()
    calls = platform.telegram.calls[before:]
    return [call for call in calls if call.failed_status is None and call.method.startswith("send")]


def _file(file_id: str, mime_type: str) -> dict[str, Any]:
    """The recorded text message, carrying a file instead of text."""
    update = text_update(0, "")
    del update["message"]["text"]
    update["message"]["document"] = {"file_id": file_id, "file_unique_id": "AgAD", "mime_type": mime_type}
    return update


@pytest.mark.parametrize("backend", ["postgresql", "sqlite"])
async def test_a_seller_sends_photos_on_telegram_and_buyers_are_shown_the_cover(platform: Platform) -> None:
    await platform.returning(roles=("seller",), phone=PHONE)
    await start_listing(platform)
    for text in ("22 Otley Road, Leeds LS6 4BA", "semi", "3", "2", "915 sq ft", "340k"):
        await platform.converse(text)
    [ask] = await platform.converse("Bright family home with a south-facing garden.")
    assert ask.params["text"] == ASK_PHOTOS
    emulator = platform.telegram

    cover = emulator.put_file(JPEG)
    [added] = await _send(platform, photo_update(0, cover))
    assert added.params["text"] == "Got it: 1 photo so far. Send more, or tap Done."
    [refused] = await _send(platform, _file(emulator.put_file(PDF), "application/pdf"))
    assert refused.params["text"] == "That file isn't a photo I can use. Please send a JPEG or PNG photo."
    huge = emulator.put_file(JPEG, file_size=MAX_PHOTO_BYTES + 1)
    [too_large] = await _send(platform, photo_update(0, huge))
    assert too_large.params["text"] == (
        "That photo is too large: the most is 10 MB. Please send a smaller one."
    )
    uncompressed = emulator.put_file(PNG)
    [added] = await _send(platform, _file(uncompressed, "image/png"))
    assert added.params["text"] == "Got it: 2 photos so far. Send more, or tap Done."
    assert len(emulator.files.downloads) == 2

    [summary] = await platform.converse("done")
    assert (summary.method, summary.params["photo"]) == ("sendPhoto", cover)
    assert "\n\n2 photos.\n\n" in summary.params["caption"]
    await platform.converse(tap="listing_form:publish")
    [listing] = await platform.rows(Listing, Listing.source == "chat")
    assert [(m.order, m.telegram_file_id) for m in listing.media] == [(1, cover), (2, uncompressed)]
    kept = zip(listing.media, (JPEG, PNG), ("image/jpeg", "image/png"), strict=True)
    for photo, data, content_type in kept:
        assert photo.media_url == media_url(PUBLIC_BASE_URL, str(photo.media_key))
        served = await platform.client.get(photo.media_url.removeprefix(PUBLIC_BASE_URL))
        assert (served.headers["Content-Type"], await served.read()) == (content_type, data)

    await platform.returning(address=str(BUYER_CHAT), name="Ben", roles=("buyer",))
    await buyer_converse(platform, "menu")
    await buyer_converse(platform, tap="menu:find")
    await buyer_converse(platform, "LS6 4BA")
    [details] = await buyer_converse(platform, tap=f"search:details:{listing.listing_key}")
    assert (details.method, details.params["photo"]) == ("sendPhoto", cover)


async def test_a_seller_sends_two_photos_on_whatsapp_and_a_telegram_buyer_sees_the_cover_and_books(
    platform: Platform,
) -> None:
    await platform.returning("whatsapp", roles=("seller",), phone=PHONE)
    await platform.text("whatsapp", "hi")
    await platform.whatsapp_tap("listings:show", "My listings")
    await platform.whatsapp_tap("listing_form:add", "Add a home")
    for text in ("22 Otley Road, Leeds LS6 4BA", "semi", "3", "2", "915 sq ft", "340k"):
        await platform.text("whatsapp", text)
    [ask] = await platform.text("whatsapp", "Bright family home with a south-facing garden.")
    assert whatsapp_options(platform, ask) == ("quick-reply", ASK_PHOTOS, ["Done", "Finish later"])

    first = platform.twilio.put_media(JPEG, redirect=True)
    second = platform.twilio.put_media(PNG, "image/png", redirect=True)
    media = twilio_media((first, "image/jpeg"), (second, "image/png"))
    [added] = await platform.text("whatsapp", "", **media)
    assert whatsapp_options(platform, added) == (
        "quick-reply",
        "Got it: 2 photos so far. Send more, or tap Done.",
        ["Done", "Finish later"],
    )
    assert [fetch.status for fetch in platform.twilio.media.fetches] == [307, 200, 307, 200]
    await platform.text("whatsapp", "done")
    await platform.whatsapp_tap("listing_form:publish", "Publish")
    [listing] = await platform.rows(Listing, Listing.source == "chat")
    assert [(m.order, m.telegram_file_id) for m in listing.media] == [(1, None), (2, None)]
    cover = listing.media[0].media_url
    assert cover == media_url(PUBLIC_BASE_URL, str(listing.media[0].media_key))

    await platform.returning(address=str(BUYER_CHAT), name="Ben", roles=("buyer",), phone=BUYER_PHONE)
    await buyer_converse(platform, "menu")
    await buyer_converse(platform, tap="menu:find")
    await buyer_converse(platform, "LS6 4BA")
    [details] = await buyer_converse(platform, tap=f"search:details:{listing.listing_key}")
    assert (details.method, details.params["photo"]) == ("sendPhoto", cover)
    served = await platform.client.get(cover.removeprefix(PUBLIC_BASE_URL))
    assert (served.headers["Content-Type"], await served.read()) == ("image/jpeg", JPEG)

    # The home starts with default viewing hours, the seller confirming each request: the buyer books.
    key = listing.listing_key
    [days] = await buyer_converse(platform, tap=f"booking:start:{key}")
    assert days.params["text"].startswith(
        "Book a viewing of 22 Otley Road, Leeds LS6 4BA.\nWhich day suits you?"
    )
    await buyer_converse(platform, tap="booking:day:2026-11-21")
    await buyer_converse(platform, tap=f"booking:at:{key}@20261121T1045")
    [summary] = await buyer_converse(platform, "1")
    assert "Sat 21 Nov, 10:45, 1 person" in summary.params["text"]
    seller_seen = len(platform.twilio.calls)
    [sent] = await buyer_converse(platform, "Confirm")
    assert sent.params["text"].startswith("Request sent: Sat 21 Nov, 10:45 at 22 Otley Road")
    await platform.deliver_all()
    [request] = [c for c in platform.twilio.calls[seller_seen:] if c.path.endswith("Messages.json")]
    assert whatsapp_options(platform, request)[1] == (
        "Viewing request from Ben: Sat 21 Nov, 10:45 at 22 Otley Road, Leeds LS6 4BA, 1 person.\n"
        "Can you show the home then?"
    )
    [viewing] = await platform.rows(Viewing)
    assert (viewing.listing_id, viewing.status) == (listing.id, "pending")


async def test_a_refused_item_among_several_costs_the_seller_none_of_the_others(platform: Platform) -> None:
    await platform.returning("whatsapp", roles=("seller",), phone=PHONE)
    await platform.text("whatsapp", "hi")
    await platform.whatsapp_tap("listings:show", "My listings")
    await platform.whatsapp_tap("listing_form:add", "Add a home")
    for text in ("22 Otley Road, Leeds LS6 4BA", "semi", "3", "2", "915 sq ft", "340k", "Skip"):
        await platform.text("whatsapp", text)

    photo, pdf = platform.twilio.put_media(JPEG), platform.twilio.put_media(PDF, "application/pdf")
    [added] = await platform.text(
        "whatsapp", "", **twilio_media((photo, "image/jpeg"), (pdf, "application/pdf"))
    )
    assert whatsapp_options(platform, added) == (
        "quick-reply",
        "That file isn't a photo I can use. Please send a JPEG or PNG photo.\n\n"
        "Got it: 1 photo so far. Send more, or tap Done.",
        ["Done", "Finish later"],
    )
    [only_pdf] = await platform.text("whatsapp", "", **twilio_media((pdf, "application/pdf")))
    assert whatsapp_options(platform, only_pdf)[1] == (
        "That file isn't a photo I can use. Please send a JPEG or PNG photo."
    )
    await platform.text("whatsapp", "done")
    await platform.whatsapp_tap("listing_form:publish", "Publish")
    [listing] = await platform.rows(Listing, Listing.source == "chat")
    assert len(listing.media) == 1
