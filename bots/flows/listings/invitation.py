"""A broker invites a listing's seller by phone; the seller accepts or declines in chat.

Replying from the invited number by SMS or WhatsApp proves it (the provider delivered it from that number),
so someone new to Doorstep accepts with one reply; anyone else proves the number with a code first.
"""

from __future__ import annotations

from bots.dialog.flow import Flow, Step
from bots.dialog.routes import on
from bots.dialog.turn import Turn
from bots.flows.common import menu_button, show_menu
from bots.flows.listings import listings, screen
from bots.flows.listings.invitation_notices import answer_buttons, invitation_context
from bots.flows.people import onboarding, verify
from bots.flows.routes import listings as routes
from core.answers import AnswerKind
from core.errors import DomainError, NotFound, VerificationRequired
from core.listings.invitations import (
    accept_invitation,
    cancel_invitation,
    decline_invitation,
    invite_seller,
    listing_to_invite_for,
    pending_invitation,
    waiting_for,
)
from core.listings.model import SellerInvitation
from core.people.actions import prove_phone
from core.people.model import Channel
from core.phones import example_number, format_international, local_example_number

NAME = routes.INVITATION
PHONE_CHANNELS = (Channel.SMS, Channel.WHATSAPP)
# Refusals of a typed number that another number may mend; any other refusal ends the question.
_TYPE_AGAIN = frozenset({"errors.invitation.bad_phone", "errors.invitation.own_number"})


async def ask_phone(turn: Turn, listing_key: str) -> None:
    """Ask the broker for the seller's mobile; one invitation waiting already may be cancelled instead."""
    if not turn.person.verified:
        await verify.start(turn, then=routes.invite(listing_key))
        return
    listing = await listing_to_invite_for(turn.session, turn.person, listing_key)
    waiting = await pending_invitation(turn.session, listing.id)
    cancel = [turn.choice(routes.cancel_invitation(waiting.id), "cancel_invitation")] if waiting else []
    region = turn.setup.region
    turn.ask(
        "invitation.ask_phone",
        l=listing,
        waiting=format_international(waiting.phone) if waiting else None,
        example=example_number(region),
        local_example=local_example_number(region),
        choices=[*cancel, turn.choice(routes.show(), "my_listings"), menu_button(turn)],
    )
    turn.go(NAME, "phone", listing=listing_key)


async def on_phone(turn: Turn, text: str) -> None:
    """Invite the number typed; one we cannot text, or the broker's own, is asked for again."""
    key = turn.data.get("listing")
    if key is None:
        await listings.start(turn)
        return
    try:
        invitation = await invite_seller(turn.session, turn.person, key, text, turn.setup.region, turn.now)
    except DomainError as error:
        if error.message_key not in _TYPE_AGAIN:
            await refused(turn, error)
            return
        turn.fail(error.message_key, **error.context)
        await ask_phone(turn, key)
        return
    await show_invitation_sent(turn, invitation)


async def greet_newcomer(turn: Turn) -> None:
    """Someone yet to say who they are: the invitation waiting for them, if any, else the welcome."""
    if not await _show_waiting(turn):
        await onboarding.start(turn)


async def newcomer_text(turn: Turn, text: str) -> None:
    """Words from someone yet to say who they are: the invitation waiting for them comes first."""
    if not await _show_waiting(turn):
        await onboarding.on_role_text(turn, text)


async def _show_waiting(turn: Turn) -> bool:
    """Ask again about the invitation waiting for the person; False when there is none."""
    invitation = await waiting_for(turn.session, turn.person)
    if invitation is None:
        return False
    turn.ask(
        "invitation.received",
        **await invitation_context(turn.session, invitation),
        choices=[turn.choice(b.choice_id, b.label_key) for b in answer_buttons(invitation)],
    )
    turn.go(NAME, "waiting", invitation=invitation.id)
    return True


async def show_invitation_sent(turn: Turn, invitation: SellerInvitation) -> None:
    """Tell the broker the invitation is on its way, with Cancel invitation: the screen after inviting."""
    turn.ask(
        "invitation.sent",
        **await invitation_context(turn.session, invitation),
        choices=[
            turn.choice(routes.cancel_invitation(invitation.id), "cancel_invitation"),
            turn.choice(routes.show(), "my_listings"),
            menu_button(turn),
        ],
    )
    turn.go(NAME, "sent", invitation=invitation.id)


async def accept(turn: Turn, invitation_id: int) -> None:
    """The invited seller accepts: the home is theirs to manage; someone new says what to call them first."""
    invitation = await _invitation(turn, invitation_id)
    if not turn.person.verified and _replies_from(turn, invitation.phone):
        await prove_phone(turn.session, turn.person, invitation.phone, turn.now)
    try:
        await accept_invitation(turn.session, turn.person, invitation_id, turn.now)
    except VerificationRequired:
        await verify.start(turn, then=routes.accept_invitation(invitation_id))
        return
    turn.say("invitation.accepted_self", **await invitation_context(turn.session, invitation))
    if turn.person.onboarded_at is None:
        await onboarding.ask_name(turn, "seller")
    else:
        await listings.start(turn)


async def decline(turn: Turn, invitation_id: int) -> None:
    """The invited seller says no; the broker is told."""
    invitation = await decline_invitation(turn.session, turn.person, invitation_id, turn.now)
    context = await invitation_context(turn.session, invitation)
    if turn.person.onboarded_at is None:
        turn.say("invitation.declined_self", **context)
    else:
        show_menu(turn, "invitation.declined_self", **context)


async def cancel(turn: Turn, invitation_id: int) -> None:
    """The broker takes a waiting invitation back; the invitee is told."""
    invitation = await cancel_invitation(turn.session, turn.person, invitation_id, turn.now)
    context = await invitation_context(turn.session, invitation)
    turn.say("invitation.cancelled_self", **context)
    await screen.open_listing(turn, context["l"].listing_key)


async def _invitation(turn: Turn, invitation_id: int) -> SellerInvitation:
    invitation = await turn.session.get(SellerInvitation, invitation_id)
    if invitation is None:
        raise NotFound(f"invitation {invitation_id}")
    return invitation


def _replies_from(turn: Turn, phone: str) -> bool:
    """True when this message came by SMS or WhatsApp from `phone` itself."""
    return turn.channel in PHONE_CHANNELS and turn.identity.address == phone


async def refused(turn: Turn, error: DomainError) -> None:
    """A refusal is explained over the main menu (alone, to someone yet to say who they are)."""
    if turn.person.onboarded_at is None:
        turn.say(error.message_key, **error.context)
        return
    turn.fail(error.message_key, on_screen=True, **error.context)
    show_menu(turn)


async def otherwise(turn: Turn, _action: str, _arg: str | None) -> None:
    """An invitation choice no route takes: the main menu."""
    show_menu(turn)


async def _phone_again(turn: Turn) -> None:
    key = turn.data.get("listing")
    await (ask_phone(turn, key) if key else listings.start(turn))


async def _start(turn: Turn) -> None:
    show_menu(turn)


FLOW = Flow(
    name=NAME,
    start=_start,
    on_choice=otherwise,
    routes=(
        on(routes.invite, ask_phone),
        on(routes.accept_invitation, accept),
        on(routes.decline_invitation, decline),
        on(routes.cancel_invitation, cancel),
    ),
    on_refused=refused,
    on_text={"phone": on_phone},
    answers={"phone": AnswerKind.NUMBER},
    steps=(Step("phone", _phone_again),),
    origin=listings.start,
)
