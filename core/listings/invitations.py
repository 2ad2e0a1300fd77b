"""A broker names a listing's seller by phone; the owner of that phone accepts in chat and becomes its seller.

A listing that already has a seller takes no invitation: inviting is refused, and so is accepting if a
seller was set meanwhile, so an invitation never replaces a seller silently. One invitation waits per
listing; inviting again cancels the one waiting (its invitee is told).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.errors import Forbidden, InvitationRefused, NotFound, VerificationRequired
from core.events import record
from core.listings.actions import lock_listing
from core.listings.authz import require_verified
from core.listings.events import SellerInvitationAnswered, SellerInvitationCancelled, SellerInvited
from core.listings.model import InvitationStatus, Listing, SellerInvitation
from core.locks import lock_row
from core.people.actions import Newcomer, address_identity, grant_role, owner_of_phone
from core.people.model import Channel, Person, Role
from core.phones import example_number, is_mobile, to_e164
from core.timezones import timezone_for_number


async def invite_seller(
    session: AsyncSession, broker: Person, listing_key: str, phone_text: str, region: str, now: datetime
) -> SellerInvitation:
    """Invite the owner of the mobile `phone_text` to be the seller of the broker's listing.

    Refuses a number that is no mobile, the broker's own, a listing the person does not broker and one that
    has a seller. Whoever has proven the number is invited; else the number's SMS address is, as a new
    person of its own until someone proves it, so the invitation reaches them by text.
    """
    phone = seller_phone(broker, phone_text, region)
    listing = await listing_to_invite_for(session, broker, listing_key)
    invitee = await owner_of_phone(session, phone)
    if invitee is None:
        identity = await address_identity(session, Channel.SMS, phone, _stranger(broker, phone), now)
        if identity.opted_out_at is not None:
            raise InvitationRefused("errors.invitation.opted_out", phone=phone)
        invitee_id = identity.person_id
    else:
        invitee_id = invitee.id
    if invitee_id == broker.id:
        raise InvitationRefused("errors.invitation.own_number")
    waiting = await pending_invitation(session, listing.id)
    if waiting is not None:
        _close(waiting, InvitationStatus.CANCELLED, now)
        await session.flush()
        record(session, SellerInvitationCancelled(listing.id, waiting.id, replaced=True, by=broker.id))
    invitation = SellerInvitation(
        listing_id=listing.id,
        broker_id=broker.id,
        phone=phone,
        invitee_id=invitee_id,
        status=InvitationStatus.PENDING,
        created_at=now,
    )
    session.add(invitation)
    await session.flush()
    record(session, SellerInvited(listing.id, invitation.id, by=broker.id))
    return invitation


def seller_phone(broker: Person, phone_text: str, region: str) -> str:
    """The E.164 mobile a broker typed for a seller; refuses a number texts cannot reach, and their own."""
    phone = to_e164(phone_text, region)
    if phone is None or not is_mobile(phone):
        raise InvitationRefused(
            "errors.invitation.bad_phone", typed=phone_text.strip(), example=example_number(region)
        )
    if phone == broker.phone:
        raise InvitationRefused("errors.invitation.own_number")
    return phone


async def listing_to_invite_for(session: AsyncSession, broker: Person, listing_key: str) -> Listing:
    """The listing locked, once shown to be brokered by `broker`, who has proven a phone, and to have no
    seller yet: what inviting needs, checked before the broker types a number too."""
    listing = await lock_listing(session, listing_key)
    if broker.id is None or broker.id != listing.broker_id:
        raise Forbidden("errors.forbidden.invite_seller")
    require_verified(broker)
    _ensure_no_seller(listing)
    return listing


async def accept_invitation(
    session: AsyncSession, person: Person, invitation_id: int, now: datetime
) -> SellerInvitation:
    """The owner of the invited phone becomes the listing's seller, with the seller role; both manage it.

    Only someone who has proven that very number may accept: the invitee is asked to prove it first
    (VerificationRequired), anyone else is refused.
    """
    found = await session.get(SellerInvitation, invitation_id)
    if found is None:
        raise NotFound(f"invitation {invitation_id}")
    # The listing first, then the invitation: the order inviting takes them in, so neither waits on the other.
    listing = await lock_row(session, Listing, Listing.id == found.listing_id)
    invitation = await _lock(session, invitation_id)
    if not person.verified and person.id == invitation.invitee_id:
        raise VerificationRequired()
    if not person.verified or person.phone != invitation.phone:
        raise Forbidden("errors.invitation.not_yours")
    _ensure_pending(invitation)
    _ensure_no_seller(listing)
    listing.seller_id = person.id
    grant_role(person, Role.SELLER, now)
    invitation.invitee_id = person.id
    _close(invitation, InvitationStatus.ACCEPTED, now)
    record(session, SellerInvitationAnswered(listing.id, invitation.id, accepted=True, by=person.id))
    return invitation


async def decline_invitation(
    session: AsyncSession, person: Person, invitation_id: int, now: datetime
) -> SellerInvitation:
    """The invitee (or whoever has proven the number since) says no; the listing stays the broker's."""
    invitation = await _lock(session, invitation_id)
    if person.id != invitation.invitee_id and not (person.verified and person.phone == invitation.phone):
        raise Forbidden("errors.invitation.not_yours")
    _ensure_pending(invitation)
    _close(invitation, InvitationStatus.DECLINED, now)
    record(
        session, SellerInvitationAnswered(invitation.listing_id, invitation.id, accepted=False, by=person.id)
    )
    return invitation


async def cancel_invitation(
    session: AsyncSession, broker: Person, invitation_id: int, now: datetime
) -> SellerInvitation:
    """The broker who sent a pending invitation takes it back; its invitee is told."""
    invitation = await _lock(session, invitation_id)
    if broker.id != invitation.broker_id:
        raise Forbidden("errors.forbidden.cancel_invitation")
    _ensure_pending(invitation)
    _close(invitation, InvitationStatus.CANCELLED, now)
    record(
        session, SellerInvitationCancelled(invitation.listing_id, invitation.id, replaced=False, by=broker.id)
    )
    return invitation


async def pending_invitation(session: AsyncSession, listing_id: int) -> SellerInvitation | None:
    """The invitation waiting for an answer on the listing, if any."""
    return await session.scalar(
        select(SellerInvitation).where(
            SellerInvitation.listing_id == listing_id, SellerInvitation.status == InvitationStatus.PENDING
        )
    )


async def waiting_for(session: AsyncSession, person: Person) -> SellerInvitation | None:
    """The newest invitation waiting for the person's answer, if any."""
    return await session.scalar(
        select(SellerInvitation)
        .where(SellerInvitation.invitee_id == person.id, SellerInvitation.status == InvitationStatus.PENDING)
        .order_by(SellerInvitation.id.desc())
        .limit(1)
    )


async def _lock(session: AsyncSession, invitation_id: int) -> SellerInvitation:
    return await lock_row(session, SellerInvitation, SellerInvitation.id == invitation_id)


def _ensure_pending(invitation: SellerInvitation) -> None:
    """Refuse an invitation already answered or cancelled, saying which."""
    if invitation.status != InvitationStatus.PENDING:
        raise InvitationRefused(f"errors.invitation.{invitation.status}")


def _ensure_no_seller(listing: Listing) -> None:
    if listing.seller_id is not None:
        raise InvitationRefused("errors.invitation.has_seller", l=listing)


def _close(invitation: SellerInvitation, status: InvitationStatus, now: datetime) -> None:
    invitation.status, invitation.answered_at = status, now


def _stranger(broker: Person, phone: str) -> Newcomer:
    """Nobody we know has the number: they read the broker's language meanwhile, in their number's zone."""
    return Newcomer(
        display_name=None,
        language_code=None,
        locale=broker.locale,
        timezone=timezone_for_number(phone) or broker.timezone,
    )
