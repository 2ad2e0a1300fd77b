"""A viewing's calendar file: served at its link, sent as a document on Telegram and as media on WhatsApp."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select, update

from bots.messages import Attachment, Reply
from bots.outbound.outgoing import queue_replies
from core.listings.model import Listing
from core.message_log.model import OutboxMessage
from core.people.model import ChannelIdentity
from core.viewings.calendar import ICS_CONTENT_TYPE, ICS_FILENAME, calendar_url, viewing_calendar
from core.viewings.model import Viewing, ViewingStatus
from tests.support import CHAT_ID, PHONE, PUBLIC_BASE_URL, Platform

TOKEN = "q3Vx_8kLm-2NwPz7"
STARTS = datetime(2026, 11, 24, 14, 0, tzinfo=UTC)


async def booked(platform: Platform, status: str = ViewingStatus.CONFIRMED, channel: str = "telegram") -> int:
    """A buyer's viewing of a listing at Flat 2, 9 Otley Road on Tuesday 24 November at 14:00 UTC."""
    buyer_id = await platform.returning(channel)
    now = platform.clock.now()
    async with platform.sessions() as session, session.begin():
        listing = Listing(
            listing_key="DS-CAL-001",
            standard_status="Active",
            list_price=Decimal("310000.00"),
            currency_code="GBP",
            property_type="Residential",
            unparsed_address="Flat 2, 9 Otley Road",
            city="Leeds",
            postal_code="LS6 2AA",
            country="GB",
            time_zone="Europe/London",
            on_market_timestamp=now,
            modification_timestamp=now,
        )
        session.add(listing)
        await session.flush()
        viewing = Viewing(
            listing_id=listing.id,
            buyer_id=buyer_id,
            status=status,
            starts_at=STARTS,
            ends_at=STARTS + timedelta(minutes=30),
            blocked_until=STARTS + timedelta(minutes=45),
            viewers=1,
            proposals=[],
            calendar_token=TOKEN,
            created_at=now,
            updated_at=now,
        )
        session.add(viewing)
        await session.flush()
        return viewing.id


async def test_the_link_serves_the_viewing_as_a_calendar_file(platform: Platform) -> None:
    viewing_id = await booked(platform)
    response = await platform.client.get(f"/calendar/{TOKEN}.ics")
    assert response.status == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert response.headers["Content-Disposition"] == 'attachment; filename="viewing.ics"'
    body = await response.text()
    assert body.split("\r\n") == [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Doorstep//Viewings//EN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        "SUMMARY:Viewing: Flat 2\\, 9 Otley Road",
        "DTSTART:20261124T140000Z",
        "DTEND:20261124T143000Z",
        "DTSTAMP:20261120T100000Z",
        f"UID:viewing-{viewing_id}@doorstep",
        "SEQUENCE:0",
        "DESCRIPTION:Listing DS-CAL-001\\nBooked on Doorstep",
        "LOCATION:Flat 2\\, 9 Otley Road\\, Leeds LS6 2AA",
        "BEGIN:VALARM",
        "ACTION:DISPLAY",
        "DESCRIPTION:Viewing: Flat 2\\, 9 Otley Road",
        "TRIGGER:-PT1H",
        "END:VALARM",
        "END:VEVENT",
        "END:VCALENDAR",
        "",
    ]


@pytest.mark.parametrize(
    "path",
    [
        "/calendar/q3Vx_8kLm-2NwPz8.ics",
        "/calendar/q3Vx_8kLm-2NwPz7q3Vx_8kLm-2NwPz7q.ics",
        "/calendar/q3Vx_8kLm%2B2NwPz7.ics",
        "/calendar/.ics",
        "/calendar/q3Vx_8kLm-2NwPz7",
    ],
)
async def test_an_unknown_or_malformed_token_is_not_found(platform: Platform, path: str) -> None:
    await booked(platform)
    response = await platform.client.get(path)
    assert response.status == 404
    if path.endswith(".ics") and path != "/calendar/.ics":
        assert await response.text() == "Not found"


async def test_a_cancelled_viewing_is_served_cancelled_so_calendars_drop_it(platform: Platform) -> None:
    await booked(platform)
    platform.clock.advance(hours=2)
    async with platform.sessions() as session, session.begin():
        await session.execute(
            update(Viewing).values(status=ViewingStatus.CANCELLED, updated_at=platform.clock.now())
        )
    body = await (await platform.client.get(f"/calendar/{TOKEN}.ics")).text()
    lines = body.split("\r\n")
    assert {"METHOD:CANCEL", "STATUS:CANCELLED", "SEQUENCE:1", "DTSTAMP:20261120T120000Z"} <= set(lines)
    assert "BEGIN:VALARM" not in lines


async def confirmation(platform: Platform, channel: str) -> str:
    """A viewing confirmation with its calendar file, queued to the buyer and delivered; returns the file."""
    await booked(platform, channel=channel)
    async with platform.sessions() as session, session.begin():
        viewing = await session.scalar(select(Viewing))
        listing = await session.get(Listing, viewing.listing_id) if viewing else None
        identity = await session.scalar(select(ChannelIdentity).where(ChannelIdentity.channel == channel))
        assert viewing is not None and listing is not None and identity is not None
        identity.last_inbound_at = platform.clock.now()
        ics = viewing_calendar(viewing, listing)
        url = calendar_url(PUBLIC_BASE_URL, viewing.calendar_token)
        reply = Reply(
            "viewing.confirmed", "Booked", attachment=Attachment(ICS_FILENAME, ICS_CONTENT_TYPE, ics, url)
        )
        adapter = platform.runtime.adapters()[channel]
        rows = queue_replies(
            session, adapter, identity, [reply], locale="en", now=platform.clock.now(), dedupe_prefix="cal"
        )
        await adapter.aclose()
        await session.flush()
        ids = [row.id for row in rows]
    platform.runtime.queues.deliver(ids)
    await platform.deliver_all()
    sent = await platform.rows(OutboxMessage, OutboxMessage.id.in_(ids))
    assert [row.status for row in sent] == ["sent"] * len(ids)
    return ics


async def test_telegram_sends_the_calendar_file_as_a_document_after_the_text(platform: Platform) -> None:
    ics = await confirmation(platform, "telegram")
    text, document = platform.telegram.sent(chat_id=CHAT_ID)
    assert (text.method, text.params["text"]) == ("sendMessage", "Booked")
    assert document.method == "sendDocument"
    assert document.params == {
        "chat_id": CHAT_ID,
        "document": {
            "file_name": "viewing.ics",
            "content_type": "text/calendar",
            "size": len(ics.encode()),
            "content": ics,
        },
    }


async def test_whatsapp_sends_the_calendar_link_as_the_texts_media(platform: Platform) -> None:
    await confirmation(platform, "whatsapp")
    [message] = platform.twilio.messages(to=f"whatsapp:{PHONE}")
    assert message.params["Body"] == "Booked"
    assert message.params["MediaUrl"] == [f"{PUBLIC_BASE_URL}/calendar/{TOKEN}.ics"]
