"""Proving a phone number with a one-time code, then carrying on with what needed it."""

from __future__ import annotations

from bots.dialog.flow import Flow, Step
from bots.dialog.routes import on_bare
from bots.dialog.turn import Turn
from bots.flows.common import menu_button, resume
from bots.flows.routes import people as routes
from bots.messages import Choice
from core.answers import AnswerKind
from core.people import otp
from core.people.actions import Newcomer, address_identity, prove_phone
from core.people.model import Channel
from core.phones import example_number, format_international, local_example_number, to_e164

NAME = routes.VERIFY
PHONE_CHANNELS = (Channel.SMS, Channel.WHATSAPP)


async def start(turn: Turn, then: str | None = None) -> None:
    """Ask for the number to prove, as a detour that carries on with the choice `then` once proven;
    someone already verified goes straight on to `then`."""
    if turn.person.verified:
        await resume(turn, then)
        return
    if then is not None:
        turn.detour(NAME, then)
    await ask_first(turn)


async def ask_first(turn: Turn) -> None:
    """Offer to send the code here (on SMS and WhatsApp), else ask for a number."""
    if turn.channel in PHONE_CHANNELS:
        phone = format_international(turn.identity.address)
        choices = [
            turn.choice(routes.send_here(), "send_code"),
            turn.choice(routes.other_number(), "other_number"),
        ]
        turn.ask("verify.ask_send_here", phone=phone, choices=[*choices, menu_button(turn)])
        turn.go(NAME, "phone", on_detour=True)
        return
    ask_phone(turn)


def ask_phone(turn: Turn, kind: str = "verify.ask_phone") -> None:
    """Ask for a number; on Telegram a button shares the person's own."""
    share = turn.texts.label("share_number", locale=turn.locale) if turn.channel == Channel.TELEGRAM else None
    region = turn.setup.region
    turn.ask(
        kind,
        request_contact=share,
        example=example_number(region),
        local_example=local_example_number(region),
        home=region.upper(),
    )
    turn.go(NAME, "phone", on_detour=True)


async def on_phone(turn: Turn, text: str) -> None:
    """Send a code to the number typed or shared; a number we cannot read is refused with an example."""
    phone = to_e164(text, turn.setup.region)
    if phone is None:
        ask_phone(turn, "verify.bad_phone")
        return
    await send_code(turn, phone)


async def send_code(turn: Turn, phone: str) -> None:
    """Ask core for a code for `phone` and queue it by SMS (or WhatsApp), unless a limit says wait."""
    channel = _code_channel(turn, phone)
    if channel is None:
        turn.fail("verify.unavailable")
        await resume(turn, None)
        return
    code = await otp.request_code(turn.session, turn.person.id, phone, channel, turn.now)
    if isinstance(code, otp.Refusal):
        turn.ask(f"verify.refused.{code.reason}", wait=code.retry_at - turn.now, choices=_code_choices(turn))
        turn.go(NAME, "code", on_detour=True, phone=phone)
        return
    target = await address_identity(turn.session, channel, phone, _stranger(turn), turn.now)
    if target.opted_out_at is not None:
        ask_phone(turn, "verify.opted_out")
        return
    meta = {"otp_id": code.id, "template_variables": [otp.CODE_PLACEHOLDER]}
    turn.send_to(target, "otp.code", meta=meta, code=otp.CODE_PLACEHOLDER, minutes=5)
    shown = format_international(phone)
    turn.ask("verify.code_sent", phone=shown, via=channel, choices=_code_choices(turn))
    turn.go(NAME, "code", on_detour=True, phone=phone)


def _code_channel(turn: Turn, phone: str) -> str | None:
    """The same SMS or WhatsApp thread when proving that number, else SMS, else WhatsApp."""
    if turn.channel in PHONE_CHANNELS and phone == turn.identity.address:
        return turn.channel
    return next((c for c in PHONE_CHANNELS if c in turn.setup.channels), None)


def _stranger(turn: Turn) -> Newcomer:
    """Whoever holds a typed number is nobody we know yet; they get the asker's language meanwhile."""
    person = turn.person
    return Newcomer(display_name=None, language_code=None, locale=person.locale, timezone=person.timezone)


def _code_choices(turn: Turn) -> list[Choice]:
    return [
        turn.choice(routes.resend(), "resend_code"),
        turn.choice(routes.other_number(), "change_number"),
        menu_button(turn),
    ]


async def on_code(turn: Turn, text: str) -> None:
    """Check a typed code; a new number instead of a code is taken as a change of number."""
    digits = otp.read_code(text)
    if digits is None:
        if to_e164(text, turn.setup.region) is not None:
            await on_phone(turn, text)
            return
        turn.ask("verify.not_a_code", choices=_code_choices(turn))
        return
    check = await otp.check_code(turn.session, turn.person.id, digits, turn.setup.otp_secret, turn.now)
    if check.outcome == "verified" and check.phone is not None:
        merged = await prove_phone(turn.session, turn.person, check.phone, turn.now)
        turn.say("verify.done", phone=format_international(check.phone), merged=bool(merged))
        await resume(turn, turn.end_detour())
        return
    wait = check.retry_at - turn.now if check.retry_at else None
    turn.ask(f"verify.{check.outcome}", tries_left=check.tries_left, wait=wait, choices=_code_choices(turn))


async def send_here(turn: Turn) -> None:
    """Send the code to the number this chat comes from."""
    await (send_code(turn, turn.identity.address) if turn.channel in PHONE_CHANNELS else again(turn))


async def resend(turn: Turn) -> None:
    """Send another code to the number being proven."""
    phone = turn.data.get("phone") if turn.state.flow == NAME else None
    await (send_code(turn, phone) if phone else again(turn))


async def other_number(turn: Turn) -> None:
    """Ask for a different number."""
    ask_phone(turn)


async def again(turn: Turn) -> None:
    """The first question again; someone proven meanwhile carries on with what needed it."""
    if turn.person.verified:
        await resume(turn, turn.end_detour())
    else:
        await ask_first(turn)


async def otherwise(turn: Turn, _action: str, _arg: str | None) -> None:
    """A verification choice no route takes: as `again`."""
    await again(turn)


async def _phone_again(turn: Turn) -> None:
    ask_phone(turn)


FLOW = Flow(
    name=NAME,
    start=start,
    on_choice=otherwise,
    routes=(
        on_bare(routes.send_here, send_here),
        on_bare(routes.resend, resend),
        on_bare(routes.other_number, other_number),
    ),
    on_text={"phone": on_phone, "code": on_code},
    answers={"phone": AnswerKind.NUMBER, "code": AnswerKind.NUMBER},
    steps=(Step("phone", _phone_again), Step("code", _phone_again)),
)
