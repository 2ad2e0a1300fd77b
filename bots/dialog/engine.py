"""Runs one inbound message through the person's dialog: global words, choices, then the current step."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from markupsafe import Markup
from sqlalchemy.ext.asyncio import AsyncSession

from bots.choices import match_text, remember
from bots.dialog.optout import handle_subscription_words
from bots.dialog.turn import Setup, Turn
from bots.flows import FLOWS, language, menu, onboarding, run_choice, settings
from bots.flows.common import MENU_FLOW, show_menu
from bots.messages import Choice, Inbound
from bots.texts import Texts
from core.models import ChannelIdentity, DialogState, Person

log = logging.getLogger(__name__)
STATE_LIFETIME = timedelta(days=7)
GLOBAL_WORDS = {
    "/start": "start",
    "start": "start",
    "hi": "start",
    "hello": "start",
    "hey": "start",
    "مرحبا": "start",
    "السلام عليكم": "start",
    "menu": "menu",
    "/menu": "menu",
    "main menu": "menu",
    "help": "help",
    "/help": "help",
    "cancel": "cancel",
    "/cancel": "cancel",
    "language": "language",
    "/language": "language",
    "settings": "settings",
    "/settings": "settings",
    "قائمة": "menu",
    "القائمة": "menu",
    "مساعدة": "help",
    "إلغاء": "cancel",
    "الغاء": "cancel",
    "لغة": "language",
    "اللغة": "language",
    "الإعدادات": "settings",
    "اعدادات": "settings",
    "الاعدادات": "settings",
}
# Flows and words open to someone who has not yet told us who they are.
_BEFORE_ONBOARDING = {"onboarding", "language"}


async def converse(
    session: AsyncSession,
    person: Person,
    identity: ChannelIdentity,
    inbound: Inbound,
    texts: Texts,
    now: datetime,
    setup: Setup | None = None,
) -> Turn:
    """Answer one message: load the dialog state, act, persist the new state; returns the finished turn."""
    state = await session.get(DialogState, person.id)
    is_new = state is None
    if state is None or state.expires_at <= now:
        state = await _fresh_state(session, person.id, state, now)
    turn = Turn(
        session=session,
        person=person,
        identity=identity,
        state=state,
        inbound=inbound,
        texts=texts,
        now=now,
        setup=setup or Setup(),
    )
    await _dispatch(turn, is_new)
    _remember_prompt(turn)
    return turn


async def _dispatch(turn: Turn, is_new: bool) -> None:
    inbound, state = turn.inbound, turn.state
    if inbound.text is not None and await handle_subscription_words(turn):
        return
    if inbound.choice_token is not None:
        choice_id = (state.recent_choices or {}).get(inbound.choice_token)
        await (_on_choice(turn, choice_id) if choice_id else _reprompt(turn))
        return
    if inbound.media_kind is not None and not is_new and await _on_media(turn):
        return
    text = (inbound.text or "").strip()
    word = GLOBAL_WORDS.get(" ".join(text.casefold().split()))
    if word is not None or is_new:
        await _on_global(turn, word or "start")
        return
    offered = [Choice(c["id"], c["label"]) for c in state.choices or []]
    chosen = match_text(text, offered) if text else None
    if chosen is not None:
        await _on_choice(turn, chosen.id)
        return
    step_handler = FLOWS[state.flow].on_text.get(state.step) if state.flow in FLOWS else None
    if inbound.contact_phone and step_handler is not None:
        await step_handler(turn, inbound.contact_phone)
    elif text and step_handler is not None:
        await step_handler(turn, text)
    elif _needs_onboarding(turn):
        await onboarding.start(turn)
    else:
        await _reprompt(turn)


def _needs_onboarding(turn: Turn, flow: str | None = None) -> bool:
    """True when someone who has not said who they are tries anything but onboarding or language."""
    return turn.person.onboarded_at is None and (flow or turn.state.flow) not in _BEFORE_ONBOARDING


async def _on_choice(turn: Turn, choice_id: str) -> None:
    if _needs_onboarding(turn, choice_id.partition(":")[0]):
        await onboarding.start(turn)
    elif not await run_choice(turn, choice_id):
        log.warning("choice %r names no flow", choice_id)
        show_menu(turn)


async def _on_global(turn: Turn, word: str) -> None:
    if _needs_onboarding(turn, word):
        await onboarding.start(turn)
    elif word == "start":
        await menu.welcome(turn)
    elif word == "help":
        await menu.help_(turn)
    elif word == "cancel":
        await _cancel(turn)
    elif word == "language":
        await language.start(turn)
    elif word == "settings":
        await settings.start(turn)
    else:
        show_menu(turn)


async def _cancel(turn: Turn) -> None:
    """Stop the current step: where the flow says cancel leads, else the main menu."""
    flow = FLOWS.get(turn.state.flow)
    if flow is not None and flow.on_cancel is not None:
        await flow.on_cancel(turn)
    else:
        show_menu(turn, "cancelled")


async def _reprompt(turn: Turn) -> None:
    """Say we did not understand, then offer the last question's choices again."""
    offered, shown = _last_question(turn)
    turn.ask("reprompt", choices=offered, prompt=shown, has_choices=bool(offered))


async def _on_media(turn: Turn) -> bool:
    """Media goes to a step that takes it; elsewhere we say what the step takes and ask again.

    A caption, or the person's own contact card, is read as typed only at a step that takes typed text:
    returns False then, and the message carries on as text (as it does for someone yet to onboard).
    """
    state, inbound = turn.state, turn.inbound
    flow = FLOWS.get(state.flow)
    if flow is not None and state.step in flow.on_media:
        await flow.on_media[state.step](turn)
        return True
    takes_text = flow is not None and state.step in flow.on_text
    if (takes_text and (inbound.text or inbound.contact_phone)) or _needs_onboarding(turn):
        return False
    offered, shown = _last_question(turn)
    turn.say(
        "media.refused",
        choices=offered,
        prompt=shown,
        media_kind=inbound.media_kind,
        takes_text=takes_text,
        has_choices=bool(offered),
    )
    return True


def _last_question(turn: Turn) -> tuple[list[Choice], Markup | None]:
    """The choices last offered, and the question's text when it had none to show again."""
    state = turn.state
    offered = [Choice(c["id"], c["label"]) for c in state.choices or []]
    prompt = (state.data or {}).get("_prompt")
    return offered, Markup(prompt) if prompt and not offered else None


def _remember_prompt(turn: Turn) -> None:
    """Store the choices now on offer and their tokens, so the next message can be matched to them."""
    state, asked = turn.state, turn.asked
    if asked is not None and asked.kind != "reprompt":
        state.choices = [{"id": c.id, "label": c.label} for c in asked.choices]
        state.data = {**(state.data or {}), "_prompt": asked.text}
    offered = [choice for reply in turn.replies for choice in reply.choices]
    state.recent_choices = remember(state.recent_choices or {}, offered)
    state.version = (state.version or 0) + 1
    state.updated_at = turn.now
    state.expires_at = turn.now + STATE_LIFETIME


async def offer_choices(session: AsyncSession, person_id: int, choices: list[Choice], now: datetime) -> None:
    """Make a notice's choices the person's current question, so a tap or a typed "1" answers it.

    The caller holds the person's lock; their flow and step stay as they were.
    """
    state = await session.get(DialogState, person_id, populate_existing=True)
    if state is None or state.expires_at <= now:
        state = await _fresh_state(session, person_id, state, now)
    state.choices = [{"id": c.id, "label": c.label} for c in choices]
    state.recent_choices = remember(state.recent_choices or {}, choices)
    state.version = (state.version or 0) + 1
    state.updated_at = now
    state.expires_at = now + STATE_LIFETIME


async def _fresh_state(
    session: AsyncSession, person_id: int, old: DialogState | None, now: datetime
) -> DialogState:
    if old is not None:
        old.flow, old.step, old.data, old.choices = MENU_FLOW, "main", {}, []
        return old
    state = DialogState(
        person_id=person_id,
        flow=MENU_FLOW,
        step="main",
        data={},
        choices=[],
        recent_choices={},
        version=0,
        expires_at=now + STATE_LIFETIME,
        updated_at=now,
    )
    session.add(state)
    return state
