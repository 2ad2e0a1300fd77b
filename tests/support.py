"""Test helpers: the running platform with its fakes, recorded payloads, and database peeks."""

from __future__ import annotations

import asyncio
import copy
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import time, timedelta
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from aiohttp import ClientResponse
from aiohttp.test_utils import TestClient
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bots.flows.catalog import FLOWS
from bots.messages import choice_token
from core.clock import ManualClock
from core.dialog_state import DialogState
from core.message_log.model import OutboxMessage
from core.people.model import ChannelIdentity, Person, PersonRole
from core.schema import Base
from doorstep.bootstrap import Runtime
from doorstep.simulator.telegram_api import ApiCall, TelegramApiEmulator
from doorstep.simulator.twilio_api import ApiCall as TwilioCall
from doorstep.simulator.twilio_api import TwilioApiEmulator
from jobs.sweep import sweep
from jobs.worker import drain
from tests.fakes.twilio import FakeTwilio, sign

FIXTURES = Path(__file__).parent / "fixtures"
TURN_SECONDS = 5
WEBHOOK_SECRET = "test-webhook-secret_0123"
OTP_SECRET = "test-otp-secret-0123456789abcdef"
CHAT_ID = 5512347788
PUBLIC_BASE_URL = "https://doorstep.test"
SMS_FROM = "+447700900001"
WHATSAPP_FROM = "+447700900002"
PHONE = "+447700900123"


def sample_listing(**overrides: object) -> SimpleNamespace:
    """A listing as templates see it: the 2-bed flat in Headingley, with any field changed."""
    fields = dict(
        listing_key="LS6-0001",
        standard_status="Active",
        list_price=Decimal("285000.00"),
        currency_code="GBP",
        property_type="Residential",
        property_sub_type="Flat",
        bedrooms_total=2,
        bathrooms_total_integer=1,
        living_area=Decimal("75.00"),
        living_area_units="sqm",
        unparsed_address="14 Cardigan Road",
        city="Leeds",
        subdivision_name="Headingley",
        postal_code="LS6 3AG",
        public_remarks=None,
        time_zone="Europe/London",
        listing_id="LS6-0001",
        feed_listing_key=None,
        originating_system_name=None,
    )
    return SimpleNamespace(**{**fields, **overrides})


def recorded(channel: str, name: str) -> dict[str, Any]:
    """A provider payload recorded under tests/fixtures/<channel>/<name>.json."""
    return json.loads((FIXTURES / channel / f"{name}.json").read_text())


def text_update(update_id: int, text: str) -> dict[str, Any]:
    """The recorded text message, with another update_id and text."""
    update = copy.deepcopy(recorded("telegram", "message_text"))
    update["update_id"] = update_id
    update["message"]["text"] = text
    return update


def photo_update(update_id: int, file_id: str, caption: str | None = None) -> dict[str, Any]:
    """The recorded photo (a thumbnail and a full size), its full size being `file_id`."""
    update = copy.deepcopy(recorded("telegram", "message_photo"))
    update["update_id"] = update_id
    update["message"]["photo"][-1]["file_id"] = file_id
    if caption is None:
        del update["message"]["caption"]
    else:
        update["message"]["caption"] = caption
    return update


def twilio_media(*items: tuple[str, str]) -> dict[str, str]:
    """The fields Twilio adds to a message form for its media, each item (MediaUrl, MediaContentType)."""
    fields = {"NumMedia": str(len(items))}
    for n, (url, content_type) in enumerate(items):
        fields |= {f"MediaUrl{n}": url, f"MediaContentType{n}": content_type}
    return fields


def tap_update(update_id: int, choice_id: str) -> dict[str, Any]:
    """The recorded button tap, tapping the button of `choice_id`."""
    update = copy.deepcopy(recorded("telegram", "callback_query"))
    update["update_id"] = update_id
    update["callback_query"]["id"] = f"cbq-{update_id}"
    update["callback_query"]["data"] = choice_token(choice_id)
    return update


def whatsapp_options(platform: Platform, call: TwilioCall) -> tuple[str, str, list[str]]:
    """A WhatsApp content message as (layout, body, option titles), read back from its content item."""
    content = next(c for c in platform.twilio.contents() if c["sid"] == call.params["ContentSid"])
    [(layout, _)] = content["types"].items()
    values = call.params["ContentVariables"]
    first = 3 if layout == "twilio/list-picker" else 2
    titles = [values[str(n)] for n in range(first, len(values) + 1, 2)]
    return layout.removeprefix("twilio/"), values["1"], titles


def buttons(call: ApiCall) -> list[list[str]]:
    """The inline keyboard of a recorded send, as rows of labels."""
    keyboard = (call.params.get("reply_markup") or {}).get("inline_keyboard", [])
    return [[button["text"] for button in row] for row in keyboard]


@dataclass
class Platform:
    """Doorstep running over real PostgreSQL or SQLite, real Redis and the fake Telegram."""

    runtime: Runtime
    client: TestClient
    telegram: TelegramApiEmulator
    sessions: async_sessionmaker[AsyncSession]
    clock: ManualClock
    twilio_fake: FakeTwilio
    _next_update: int = 900_000
    _next_sid: int = 0

    @property
    def twilio(self) -> TwilioApiEmulator:
        """The fake Twilio API's recorder."""
        return self.twilio_fake.emulator

    async def post_twilio(
        self, path: str, form: dict[str, str], signature: str | None = None
    ) -> ClientResponse:
        """POST a form to a Twilio webhook, signed as Twilio signs it unless a signature is given."""
        if signature is None:
            signature = sign(self.twilio_fake.auth_token, PUBLIC_BASE_URL + path, form)
        return await self.client.post(path, data=form, headers={"X-Twilio-Signature": signature})

    async def report_status(self, sid: str, status: str, error_code: str | None = None) -> ClientResponse:
        """Twilio's status callback for message `sid`, signed for the public callback URL."""
        message = self.twilio.message(sid)
        form = {
            "MessageSid": sid,
            "SmsSid": sid,
            "MessageStatus": status,
            "SmsStatus": status,
            "AccountSid": self.twilio_fake.account_sid,
            "From": message["from"],
            "To": message["to"],
            "ApiVersion": "2010-04-01",
            **({"ErrorCode": error_code} if error_code else {}),
        }
        return await self.post_twilio("/webhooks/twilio/status", form)

    def twilio_form(self, channel: str, body: str | None = None, **fields: str) -> dict[str, str]:
        """What Twilio posts for a message from the test phone on `channel`."""
        self._next_sid += 1
        prefix = "whatsapp:" if channel == "whatsapp" else ""
        form = {
            "MessageSid": f"SM{self._next_sid:032x}",
            "AccountSid": self.twilio_fake.account_sid,
            "From": prefix + PHONE,
            "To": prefix + (WHATSAPP_FROM if prefix else SMS_FROM),
            "Body": body or "",
            "NumMedia": "0",
            "NumSegments": "1",
            "ApiVersion": "2010-04-01",
        }
        if channel == "whatsapp":
            form |= {"ProfileName": "Amira", "WaId": PHONE.lstrip("+")}
        return form | fields

    async def text(self, channel: str, body: str | None = None, **fields: str) -> list[TwilioCall]:
        """A few seconds on, the test phone sends `body` (or a tap in `fields`); returns what it was sent."""
        self.clock.advance(seconds=TURN_SECONDS)
        before = len(self.twilio.calls)
        response = await self.post_twilio(
            f"/webhooks/twilio/{channel}", self.twilio_form(channel, body, **fields)
        )
        assert response.status == 200, await response.text()
        await self.deliver_all()
        return [
            c
            for c in self.twilio.calls[before:]
            if c.failed_status is None and c.path.endswith("Messages.json")
        ]

    async def whatsapp_tap(self, choice_id: str, label: str) -> list[TwilioCall]:
        """The test phone taps a WhatsApp button or list item."""
        return await self.text("whatsapp", label, ButtonPayload=choice_token(choice_id), ButtonText=label)

    async def post(self, update: dict[str, Any], secret: str | None = WEBHOOK_SECRET) -> ClientResponse:
        """POST an update to the Telegram webhook as Telegram would."""
        headers = {"X-Telegram-Bot-Api-Secret-Token": secret} if secret is not None else {}
        return await self.client.post("/webhooks/telegram", json=update, headers=headers)

    async def say(self, text: str) -> ClientResponse:
        """The test user types `text`; the response must be 200."""
        self._next_update += 1
        response = await self.post(text_update(self._next_update, text))
        assert response.status == 200, await response.text()
        return response

    async def share_contact(
        self, phone_number: str = "447700900123", user_id: int = CHAT_ID
    ) -> list[ApiCall]:
        """The test user taps "Share my number" (or sends someone else's card when `user_id` differs)."""
        self.clock.advance(seconds=TURN_SECONDS)
        self._next_update += 1
        update = copy.deepcopy(recorded("telegram", "message_contact"))
        update["update_id"] = self._next_update
        update["message"]["contact"] |= {"phone_number": phone_number, "user_id": user_id}
        before = len(self.telegram.calls)
        response = await self.post(update)
        assert response.status == 200, await response.text()
        await self.deliver_all()
        return [call for call in self.telegram.calls[before:] if call.failed_status is None]

    def texts_to(self, phone: str = PHONE) -> list[str]:
        """The bodies of every SMS sent to `phone`, oldest first."""
        return [call.params["Body"] for call in self.twilio.messages(to=phone) if call.failed_status is None]

    def last_code(self, phone: str = PHONE) -> str:
        """The one-time code in the latest SMS to `phone`."""
        [code] = re.findall(r"\b\d{6}\b", self.texts_to(phone)[-1])
        return code

    async def tap(self, choice_id: str) -> ClientResponse:
        """The test user taps the button for `choice_id`; the response must be 200."""
        self._next_update += 1
        response = await self.post(tap_update(self._next_update, choice_id))
        assert response.status == 200, await response.text()
        return response

    async def run_jobs(self) -> bool:
        """Run every queued job (and due scheduled ones) with a real RQ worker; True if any ran."""
        return await asyncio.to_thread(drain, self.runtime.queues)

    async def sweep(self) -> dict[str, int]:
        """Run the periodic sweep once, as the worker's cron would."""
        return await asyncio.to_thread(sweep)

    async def converse(self, text: str | None = None, *, tap: str | None = None) -> list[ApiCall]:
        """A few seconds after the last turn, send a message or tap; deliver the replies; return the calls."""
        self.clock.advance(seconds=TURN_SECONDS)
        before = len(self.telegram.calls)
        await (self.tap(tap) if tap is not None else self.say(text or ""))
        await self.deliver_all()
        return [call for call in self.telegram.calls[before:] if call.failed_status is None]

    async def deliver_all(self, within_seconds: float = 10) -> None:
        """Run jobs, then let the clock run on past rows held back (rate limits) that fall due soon."""
        await self.run_jobs()
        for _ in range(20):
            horizon = self.clock.now() + timedelta(seconds=within_seconds)
            async with self.sessions() as session:
                due = await session.scalar(
                    select(func.max(OutboxMessage.next_attempt_at)).where(
                        OutboxMessage.status == "pending", OutboxMessage.next_attempt_at <= horizon
                    )
                )
            if due is None:
                return
            self.clock.advance(seconds=max(0.0, (due - self.clock.now()).total_seconds()))
            async with self.sessions() as session:
                held = await session.scalars(
                    select(OutboxMessage.id).where(
                        OutboxMessage.status == "pending", OutboxMessage.next_attempt_at <= self.clock.now()
                    )
                )
                # RQ releases scheduled jobs by the wall clock, which the test clock may be ahead of.
                self.runtime.queues.deliver(list(held))
            await self.run_jobs()

    async def returning(
        self,
        channel: str = "telegram",
        address: str | None = None,
        *,
        name: str = "Amira",
        roles: Sequence[str] = ("buyer",),
        phone: str | None = None,
        locale: str = "en",
        timezone: str = "Europe/London",
    ) -> int:
        """Someone who told us who they are in an earlier conversation; returns their person id."""
        now = self.clock.now()
        if address is None:
            address = str(CHAT_ID) if channel == "telegram" else PHONE
        async with self.sessions() as session, session.begin():
            person = Person(
                display_name=name,
                locale=locale,
                timezone=timezone,
                phone=phone,
                phone_verified_at=now if phone else None,
                quiet_start=time(22),
                quiet_end=time(8),
                onboarded_at=now,
                created_at=now,
            )
            person.roles = [PersonRole(role=role, granted_at=now) for role in roles]
            session.add(person)
            await session.flush()
            session.add(
                ChannelIdentity(
                    person_id=person.id,
                    channel=channel,
                    address=address,
                    display_name=name,
                    verified_at=now if phone == address else None,
                    created_at=now,
                )
            )
            return person.id

    async def rows(self, model: type[Base], *where: Any) -> Sequence[Any]:
        """Every row of a table, oldest first."""
        async with self.sessions() as session:
            return list(
                await session.scalars(select(model).where(*where).order_by(*model.__mapper__.primary_key))
            )

    async def unrouted_choices(self) -> list[str]:
        """Every choice id offered to anyone (their recent tokens) that no flow's route reads back."""
        states = await self.rows(DialogState)
        offered = {cid for state in states for cid in (state.recent_choices or {}).values()}
        return sorted(cid for cid in offered if FLOWS.route_of(cid) is None)

    async def count_all(self) -> dict[str, int]:
        """Row counts of every table, to show that nothing was written."""
        async with self.sessions() as session:
            return {
                table.name: await session.scalar(select(func.count()).select_from(table)) or 0
                for table in Base.metadata.sorted_tables
            }
