"""A pretend SMS or WhatsApp user: signed Twilio webhook forms in, the Messages sent to them printed."""

from __future__ import annotations

import mimetypes
import re
import secrets
from dataclasses import dataclass
from typing import Any

from aiohttp import ClientSession
from twilio.request_validator import RequestValidator

from doorstep.simulator.terminal import Option, Shown
from doorstep.simulator.twilio_api import ApiCall, TwilioApiEmulator
from doorstep.simulator.twilio_objects import num_segments

SIGNATURE_HEADER = "X-Twilio-Signature"
_VARIABLE = re.compile(r"\{\{\s*(\d+)\s*\}\}")


@dataclass(frozen=True)
class TwilioUser:
    """One person writing to the bot's number by SMS or WhatsApp; builds and posts signed webhook forms."""

    phone: str
    bot_number: str
    whatsapp: bool
    account_sid: str
    auth_token: str
    public_base_url: str
    profile_name: str = "Sam"

    @property
    def address(self) -> str:
        """This user as Twilio writes them in From and To: +44... for SMS, whatsapp:+44... for WhatsApp."""
        return f"whatsapp:{self.phone}" if self.whatsapp else self.phone

    @property
    def webhook_url(self) -> str:
        """The public URL Twilio posts this user's messages to (and signs)."""
        return f"{self.public_base_url}/webhooks/twilio/{'whatsapp' if self.whatsapp else 'sms'}"

    def says(self, text: str) -> dict[str, str]:
        """The form of a text message."""
        bot = f"whatsapp:{self.bot_number}" if self.whatsapp else self.bot_number
        form = {
            "MessageSid": "SM" + secrets.token_hex(16),
            "AccountSid": self.account_sid,
            "From": self.address,
            "To": bot,
            "Body": text,
            "NumMedia": "0",
        }
        return {**form, "ProfileName": self.profile_name} if self.whatsapp else form

    def taps(self, payload: str, title: str) -> dict[str, str]:
        """The form of a quick-reply button tap (WhatsApp)."""
        return {**self.says(title), "ButtonPayload": payload, "ButtonText": title}

    def picks(self, list_id: str, title: str) -> dict[str, str]:
        """The form of a list-picker pick (WhatsApp)."""
        return {**self.says(title), "ListId": list_id, "ListTitle": title}

    def signature(self, form: dict[str, str]) -> str:
        """X-Twilio-Signature of the form as posted to webhook_url."""
        return str(RequestValidator(self.auth_token).compute_signature(self.webhook_url, form))

    async def post(self, http: ClientSession, form: dict[str, str]) -> tuple[int, str]:
        """Post the signed form to the webhook; returns the status and body of the answer."""
        headers = {SIGNATURE_HEADER: self.signature(form)}
        async with http.post(self.webhook_url, data=form, headers=headers) as response:
            return response.status, await response.text()


class TwilioChat:
    """The terminal user on SMS or WhatsApp: signed webhook posts in, Messages to their number printed."""

    opening = "hi"

    def __init__(self, user: TwilioUser, emulator: TwilioApiEmulator) -> None:
        self._user, self._emulator = user, emulator

    def shown(self, call: Any) -> Shown | None:
        """A Messages POST to our user: its media, Body, or the body and options of its content item."""
        if not isinstance(call, ApiCall) or call.method != "POST" or not call.path.endswith("/Messages.json"):
            return None
        params = call.params
        if params.get("To") != self._user.address:
            return None
        media = [_media(str(url)) for url in params.get("MediaUrl") or []]
        if params.get("ContentSid"):
            variables = params.get("ContentVariables") or {}
            text, options, label = self._content(str(params["ContentSid"]), variables)
        else:
            text, options, label = str(params.get("Body") or ""), (), ""
        note = "" if self._user.whatsapp else _segments(text)
        return Shown("\n".join([*media, *([text] if text else [])]), options, label, note)

    async def send(self, http: ClientSession, text: str, option: Option | None) -> str | None:
        """Post a text, or the tap of a WhatsApp button or list item; SMS numbers go as typed."""
        if option is None:
            form = self._user.says(text)
        elif option.where == "list":
            form = self._user.picks(option.data, option.title)
        else:
            form = self._user.taps(option.data, option.title)
        status, body = await self._user.post(http, form)
        return None if status == 200 else f"webhook answered {status}: {body}"

    def _content(self, sid: str, variables: dict[str, Any]) -> tuple[str, tuple[Option, ...], str]:
        """The body, options and list button of a content item (WhatsApp shows a list behind its button)."""
        content = next((c for c in self._emulator.contents() if c["sid"] == sid), None)
        if content is None:
            return f"[content {sid} {variables}]", (), ""
        values = {**content.get("variables", {}), **{str(k): str(v) for k, v in variables.items()}}
        types = _fill(content["types"], values)
        if "twilio/quick-reply" in types:
            block = types["twilio/quick-reply"]
            actions = [Option(a["title"], a["id"], "button") for a in block["actions"]]
            return block["body"], tuple(actions), ""
        if "twilio/list-picker" in types:
            block = types["twilio/list-picker"]
            items = [Option(i["item"], i["id"], "list") for i in block["items"]]
            return block["body"], tuple(items), f"{block['button']} list"
        return str(next(iter(types.values())).get("body", "")), (), ""


def _fill(value: Any, variables: dict[str, str]) -> Any:
    """Replace {{n}} placeholders everywhere in a content item's types with the message's variables."""
    if isinstance(value, str):
        return _VARIABLE.sub(lambda match: variables.get(match.group(1), match.group(0)), value)
    if isinstance(value, dict):
        return {key: _fill(item, variables) for key, item in value.items()}
    if isinstance(value, list):
        return [_fill(item, variables) for item in value]
    return value


def _media(url: str) -> str:
    """A media line as WhatsApp shows it: a photo, or a document with its name, by the URL's content type."""
    content_type = mimetypes.guess_type(url)[0] or "application/octet-stream"
    if content_type.startswith("image/"):
        return f"[photo ({content_type}): {url}]"
    name = url.split("?", 1)[0].rstrip("/").rsplit("/", 1)[-1]
    return f"[document: {name} ({content_type}): {url}]"


def _segments(body: str) -> str:
    """How many SMS segments a text takes, shown under it as a phone's counter would."""
    count = num_segments(body)
    return f"[SMS: {len(body)} characters, {count} segment{'s' if count != 1 else ''}]"
