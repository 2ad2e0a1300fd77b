"""Runs one inbound message through the person's dialog: global words, choices, then the current step."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from markupsafe import Markup
from sqlalchemy.ext.asyncio import AsyncSession

from bots.dialog.choices import NoSuchNumber, match_text, remember
from bots.dialog.detours import adopt_legacy
from bots.dialog.optout import handle_subscription_words
from bots.dialog.registry import HOME_FLOW, Flows
from bots.dialog.turn import Setup, Turn
from bots.messages import Choice, Inbound, Reply, listed_as_lines
from bots.texts import Texts
from core.answers import ANSWER_LIMITS, AnswerKind, answer_problem
from core.dialog_state import DialogState
from core.people.model import ChannelIdentity, Person

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
    "back": "back",
    "/back": "back",
    "go back": "back",
    "رجوع": "back",
    "ارجع": "back",
    "الرجوع": "back",
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


async def converse(
    session: AsyncSession,
    person: Person,
    identity: ChannelIdentity,
    inbound: Inbound,
    texts: Texts,
    now: datetime,
    setup: Setup,
    flows: Flows,
) -> Turn:
    """Answer one message with `flows`: load the dialog state, act, persist the new state; returns the
    finished turn."""
    state = await session.get(DialogState, person.id)
    is_new = state is None
    if state is None or state.expires_at <= now:
        state = await _fresh_state(session, person.id, state, now)
    state.data = adopt_legacy(state.flow, state.data)
    turn = Turn(
        session=session,
        person=person,
        identity=identity,
        state=state,
        inbound=inbound,
        texts=texts,
        now=now,
        setup=setup,
        router=flows.run_choice,
    )
    await _dispatch(turn, flows, is_new)
    for notice in await flows.announce(session, now):
        turn.notify(notice)
    _remember_prompt(turn)
    return turn


async def _dispatch(turn: Turn, flows: Flows, is_new: bool) -> None:
    inbound, state = turn.inbound, turn.state
    if inbound.text is not None and await handle_subscription_words(turn, flows):
        return
    if inbound.choice_token is not None:
        choice_id = (state.recent_choices or {}).get(inbound.choice_token)
        await (_on_choice(turn, flows, choice_id) if choice_id else _reprompt(turn, flows))
        return
    if inbound.media_kind is not None and not is_new and await _on_media(turn, flows):
        return
    text = (inbound.text or "").strip()
    word = GLOBAL_WORDS.get(" ".join(text.casefold().split()))
    if word == "start" or (is_new and not text):
        await _on_global(turn, flows, "start")
    elif word is not None and not (word == "back" and await _pick(turn, flows, text)):
        await _on_global(turn, flows, word)
    elif word is None and not await _pick(turn, flows, text):
        await _on_text(turn, flows, text)


async def _pick(turn: Turn, flows: Flows, text: str) -> bool:
    """Act on the choice a typed reply names; a number with nothing behind it is told so. True if handled."""
    flow = flows.get(turn.state.flow)
    kind = flow.answer_kind(turn.state.step) if flow and turn.state.step in flow.on_text else None
    offered = _offered(turn.state)
    lines = listed_as_lines(turn.channel, len(offered))
    chosen = match_text(text, offered, lines=lines, yes_no=kind != AnswerKind.PROSE) if text else None
    if isinstance(chosen, Choice):
        await _on_choice(turn, flows, chosen.id)
    elif isinstance(chosen, NoSuchNumber) and kind not in (AnswerKind.NUMBER, AnswerKind.PROSE):
        await _reprompt(turn, flows, "choices.no_such_number", **vars(chosen))
    else:
        return False
    return True


async def _on_text(turn: Turn, flows: Flows, text: str) -> None:
    """Hand typed text to the step that takes it, unless it can't be read; else say we didn't understand."""
    state, inbound = turn.state, turn.inbound
    flow = flows.get(state.flow)
    step_handler = flow.on_text.get(state.step) if flow else None
    kind = flow.answer_kind(state.step) if flow and step_handler else AnswerKind.WORDS
    problem = answer_problem(text, kind) if text else None
    if inbound.contact_phone and step_handler is not None:
        await step_handler(turn, inbound.contact_phone)
    elif _needs_onboarding(turn, flows):
        await flows.gate.on_text(turn, text)
    elif problem is not None:
        await _reprompt(turn, flows, f"answers.{problem}", limit=ANSWER_LIMITS[kind])
    elif text and step_handler is not None:
        await step_handler(turn, text)
    else:
        await _reprompt(turn, flows)


def _needs_onboarding(turn: Turn, flows: Flows, flow: str | None = None) -> bool:
    """True when someone who has not said who they are tries any flow the gate does not leave open."""
    return turn.person.onboarded_at is None and (flow or turn.state.flow) not in flows.gate.open_flows


async def _on_choice(turn: Turn, flows: Flows, choice_id: str) -> None:
    if _needs_onboarding(turn, flows, choice_id.partition(":")[0]):
        await flows.gate.start(turn)
    elif not await flows.run_choice(turn, choice_id):
        log.warning("choice %r names no flow", choice_id)
        flows.home.show(turn)


async def _on_global(turn: Turn, flows: Flows, word: str) -> None:
    """A word that works anywhere: cancel and back act on the current flow; the others open their flow."""
    opens = flows.word(word)
    if _needs_onboarding(turn, flows, opens[0].name if opens else word):
        await flows.gate.start(turn)
    elif word == "cancel":
        turn.leave_detours()
        await _cancel(turn, flows)
    elif word == "menu":
        turn.leave_detours()
        flows.home.show(turn)
    elif word == "back":
        await _go_back(turn, flows)
    elif opens is not None:
        await opens[1](turn)
    else:
        flows.home.show(turn)


async def _go_back(turn: Turn, flows: Flows) -> None:
    """Show what came before the current step in its flow, or the screen the flow started from."""
    flow = flows.get(turn.state.flow)
    screen = flow.back_from(turn.state.step) if flow else None
    await (screen(turn) if screen else flows[HOME_FLOW].start(turn))


def _offered(state: DialogState) -> list[Choice]:
    return [Choice.from_json(c) for c in state.choices or []]


async def _cancel(turn: Turn, flows: Flows) -> None:
    """Stop the current step: where the flow says cancel leads, else the main menu."""
    flow = flows.get(turn.state.flow)
    if flow is not None and flow.on_cancel is not None:
        await flow.on_cancel(turn)
    else:
        flows.home.show(turn, "cancelled")


async def _reprompt(turn: Turn, flows: Flows, kind: str = "reprompt", **context: Any) -> None:
    """Say what was wrong (by default, that we did not understand) with the last question's choices under it.

    Where that question had no choices, the main menu's are offered if it was the menu, else its text.
    """
    offered, shown = _last_question(turn)
    if not offered and turn.state.flow == HOME_FLOW:
        offered, shown = flows.home.choices(turn), None
    turn.say(kind, choices=offered, prompt=shown, has_choices=bool(offered), **context)
    turn.asked = Reply("again", (turn.state.data or {}).get("_prompt") or "", tuple(offered))


async def _on_media(turn: Turn, flows: Flows) -> bool:
    """Media goes to a step that takes it; elsewhere we say what the step takes and ask again.

    A caption, or the person's own contact card, is read as typed only at a step that takes typed text:
    returns False then, and the message carries on as text (as it does for someone yet to onboard).
    """
    state, inbound = turn.state, turn.inbound
    flow = flows.get(state.flow)
    if flow is not None and state.step in flow.on_media:
        await flow.on_media[state.step](turn)
        return True
    takes_text = flow is not None and state.step in flow.on_text
    if (takes_text and (inbound.text or inbound.contact_phone)) or _needs_onboarding(turn, flows):
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
    offered = _offered(state)
    prompt = (state.data or {}).get("_prompt")
    return offered, Markup(prompt) if prompt and not offered else None


def _remember_prompt(turn: Turn) -> None:
    """Store the choices now on offer and their tokens, so the next message can be matched to them."""
    turn.flush_problem()
    state, asked = turn.state, turn.asked
    if asked is not None:
        state.choices = [c.to_json() for c in asked.choices]
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
    state.choices = [c.to_json() for c in choices]
    state.recent_choices = remember(state.recent_choices or {}, choices)
    state.version = (state.version or 0) + 1
    state.updated_at = now
    state.expires_at = now + STATE_LIFETIME


async def _fresh_state(
    session: AsyncSession, person_id: int, old: DialogState | None, now: datetime
) -> DialogState:
    if old is not None:
        old.flow, old.step, old.data, old.choices = HOME_FLOW, "main", {}, []
        return old
    state = DialogState(
        person_id=person_id,
        flow=HOME_FLOW,
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
