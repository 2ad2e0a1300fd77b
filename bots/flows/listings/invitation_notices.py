"""Who hears of a broker's invitation to a seller: the invitee when it is sent or taken back, the broker when
it is answered."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bots.flows.routes import listings as routes
from bots.notice import Button, Notice, NoticeBuilder
from core.events import Event
from core.listings.events import SellerInvitationAnswered, SellerInvitationCancelled, SellerInvited
from core.listings.invitations import pending_invitation
from core.listings.model import Listing, SellerInvitation
from core.people.model import Person
from core.phones import format_international


async def invitation_context(session: AsyncSession, invitation: SellerInvitation) -> dict[str, Any]:
    """What every invitation message shows: the home, the broker's name, the number invited and who has it."""
    listing = await session.get_one(Listing, invitation.listing_id)
    broker = await session.get(Person, invitation.broker_id)
    invitee = await session.get(Person, invitation.invitee_id) if invitation.invitee_id else None
    return {
        "l": listing,
        "broker": (broker.display_name if broker else None) or "",
        "phone": format_international(invitation.phone),
        "seller": (invitee.display_name if invitee else None) or "",
    }


def answer_buttons(invitation: SellerInvitation) -> tuple[Button, ...]:
    """Accept / Decline, under an invitation waiting for its seller."""
    return (
        Button(routes.accept_invitation(invitation.id), "accept"),
        Button(routes.decline_invitation(invitation.id), "decline"),
    )


async def _invited(session: AsyncSession, event: SellerInvited) -> list[Notice]:
    invitation = await session.get_one(SellerInvitation, event.invitation_id)
    if invitation.invitee_id is None:
        return []
    return [
        Notice(
            person_id=invitation.invitee_id,
            kind="invitation.received",
            dedupe_key=f"invitation:{invitation.id}:received",
            context=await invitation_context(session, invitation),
            buttons=answer_buttons(invitation),
        )
    ]


async def _answered(session: AsyncSession, event: SellerInvitationAnswered) -> list[Notice]:
    """The broker hears the answer; after a no, they may invite another number at once."""
    invitation = await session.get_one(SellerInvitation, event.invitation_id)
    key = await _key(session, invitation)
    again = () if event.accepted else (Button(routes.invite(key), "invite_again"),)
    return [
        Notice(
            person_id=invitation.broker_id,
            kind="invitation.answered",
            dedupe_key=f"invitation:{invitation.id}:answered",
            context={**await invitation_context(session, invitation), "accepted": event.accepted},
            buttons=again,
        )
    ]


async def _cancelled(session: AsyncSession, event: SellerInvitationCancelled) -> list[Notice]:
    """The invitee hears it was taken back, unless the invitation that replaced it is theirs too."""
    invitation = await session.get_one(SellerInvitation, event.invitation_id)
    successor = await pending_invitation(session, invitation.listing_id) if event.replaced else None
    if invitation.invitee_id is None or (successor and successor.invitee_id == invitation.invitee_id):
        return []
    return [
        Notice(
            person_id=invitation.invitee_id,
            kind="invitation.cancelled",
            dedupe_key=f"invitation:{invitation.id}:cancelled",
            context=await invitation_context(session, invitation),
        )
    ]


async def _key(session: AsyncSession, invitation: SellerInvitation) -> str:
    return (await session.get_one(Listing, invitation.listing_id)).listing_key


NOTICES: Mapping[type[Event], NoticeBuilder] = {
    SellerInvited: _invited,
    SellerInvitationAnswered: _answered,
    SellerInvitationCancelled: _cancelled,
}
