"""First contact: what brings the person here (their role) and what to call them."""

from __future__ import annotations

import re

from bots.dialog.flow import Flow, Step
from bots.dialog.routes import on, on_bare
from bots.dialog.turn import Turn
from bots.flows.common import show_menu
from bots.flows.people import verify
from bots.flows.people.languages import other_language
from bots.flows.routes import listings as listings
from bots.flows.routes import people as routes
from core.people.actions import grant_role
from core.people.model import Role

NAME = routes.ONBOARDING
ROLES = {"buyer": Role.BUYER, "seller": Role.SELLER, "broker": Role.BROKER}
NAME_LIMIT = 60
_ROLE_WORDS = {
    "buyer": ("buy", "buying", "buyer", "شراء", "اشتري", "أشتري", "مشتري"),
    "seller": ("sell", "selling", "seller", "بيع", "أبيع", "ابيع", "بائع"),
    "broker": ("broker", "agent", "agency", "estate agent", "وسيط", "سمسار", "وكيل"),
}


async def start(turn: Turn, *, understood: bool = True) -> None:
    """Greet a newcomer and ask what brings them: buying, selling, or brokering."""
    choices = [turn.choice(routes.role(key), f"role_{key}") for key in ROLES]
    turn.ask("onboarding.ask_role", choices=[*choices, other_language(turn)], understood=understood)
    turn.go(NAME, "role")


async def on_role_text(turn: Turn, text: str) -> None:
    """Understand "I want to sell" as well as a tap; anything else is not understood, and asked again.

    Someone who has seen the welcome gets the short apology with the same choices; a first message gets
    the apology with the welcome.
    """
    words = text.casefold()
    for key, hints in _ROLE_WORDS.items():
        if any(re.search(rf"(^|\W){re.escape(hint)}", words) for hint in hints):
            await ask_name(turn, key)
            return
    if turn.state.flow == NAME:
        turn.fail("reprompt", prompt=None, has_choices=True)
    await start(turn, understood=turn.state.flow == NAME or not text)


async def ask_name(turn: Turn, role: str) -> None:
    """Ask what to call them, offering the name their chat app gave us."""
    known = turn.person.display_name
    choices = [turn.choice(routes.keep_name(), "use_name", name=known)] if known else []
    turn.ask("onboarding.ask_name", choices=choices, role=role)
    turn.go(NAME, "name", role=role)


async def on_name(turn: Turn, text: str) -> None:
    """Take a typed name; something that is not a name asks again."""
    name = clean_name(text)
    if name is None:
        turn.ask("onboarding.bad_name", limit=NAME_LIMIT)
        return
    await finish(turn, name)


def clean_name(text: str) -> str | None:
    """A name as typed, tidied; None when it has no letters or is too long to be a name."""
    name = " ".join(text.split())
    if not name or len(name) > NAME_LIMIT or not any(ch.isalpha() for ch in name):
        return None
    return name


async def finish(turn: Turn, name: str) -> None:
    """Record the role and name; sellers and brokers go on to prove their phone before anything else."""
    role = turn.data.get("role", "buyer")
    person = turn.person
    person.display_name = name
    grant_role(person, ROLES[role], turn.now)
    person.onboarded_at = turn.now
    if ROLES[role] == Role.BUYER:
        show_menu(turn, "onboarding.done_buyer", name=name, verified=person.verified)
        return
    turn.say("onboarding.done_seller", name=name, role=role, verified=person.verified)
    await verify.start(turn, then=listings.show())


async def pick_role(turn: Turn, role: str) -> None:
    """A role tapped: ask for the name; anything else asks again."""
    await (ask_name(turn, role) if role in ROLES else start(turn))


async def keep_name(turn: Turn) -> None:
    """Go by the name the chat app gave us, when the question was asked."""
    if turn.state.flow == NAME and turn.person.display_name:
        await finish(turn, turn.person.display_name)
    else:
        await start(turn)


async def otherwise(turn: Turn, _action: str, _arg: str | None) -> None:
    """An onboarding choice no route takes: the question again."""
    await start(turn)


FLOW = Flow(
    name=NAME,
    start=start,
    on_choice=otherwise,
    routes=(on(routes.role, pick_role), on_bare(routes.keep_name, keep_name)),
    on_text={"role": on_role_text, "name": on_name},
    steps=(Step("role", start), Step("name", start)),
    origin=start,
)
