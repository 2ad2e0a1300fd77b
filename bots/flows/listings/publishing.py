"""The end of Add a home: the summary of the listing as buyers will see it, then Publish (inviting the seller
a broker named) or Cancel."""

from __future__ import annotations

from bots.dialog.turn import Turn
from bots.flows.common import resume, show_menu
from bots.flows.listings.covers import cover_of
from bots.flows.routes import listings as routes
from core.errors import DomainError
from core.listings.drafts import discard_draft, draft_of, listing_from, photos_of, publish
from core.listings.invitations import invite_seller
from core.listings.model import Listing, ListingDraft, SellerInvitation
from core.phones import format_international

NAME = routes.FORM
SELLER_PHONE = "seller_phone"


def show_summary(turn: Turn, draft: ListingDraft) -> None:
    """Everything the listing will say, its cover photo, and Publish, Edit or Cancel."""
    listing = listing_from(draft, turn.person, turn.now)
    turn.ask(
        "listings.form.summary",
        choices=[
            turn.choice(routes.publish(), "publish"),
            turn.choice(routes.edit(), "edit"),
            turn.choice(routes.drop(), "cancel"),
        ],
        photo_url=cover_of(turn.channel, photos_of(draft)),
        l=listing,
        photos=len(draft.photos or []),
        seller_phone=_shown((draft.fields or {}).get(SELLER_PHONE)),
    )
    turn.go(NAME, "summary")


def _shown(phone: str | None) -> str | None:
    """The seller's number as the broker reads it ("+44 7700 900555")."""
    return format_international(phone) if phone else None


async def publish_it(turn: Turn) -> None:
    """Publish: the listing goes on the market; a broker's seller is invited."""
    if turn.state.flow != NAME or turn.state.step != "summary":
        await resume(turn, routes.add())
        return
    draft = await draft_of(turn.session, turn.person.id)
    named = (draft.fields or {}).get(SELLER_PHONE) if draft else None
    try:
        listing = await publish(turn.session, turn.person, turn.now)
    except DomainError as error:
        turn.fail(error.message_key, **error.context)
        await resume(turn, routes.carry_on())
        return
    invited: SellerInvitation | DomainError | None = await _invite(turn, listing, named) if named else None
    shown = _shown(invited.phone) if isinstance(invited, SellerInvitation) else None
    turn.say("listings.form.published", l=listing, seller_phone=shown)
    if isinstance(invited, DomainError):
        # Said over the listing, whose screen offers to invite the seller again.
        turn.fail(invited.message_key, on_screen=True, **invited.context)
    if not await turn.run_choice(routes.open_(listing.listing_key)):
        show_menu(turn)


async def _invite(turn: Turn, listing: Listing, phone: str) -> SellerInvitation | DomainError:
    """Invite the seller the broker named; the refusal when they cannot be (the number said STOP)."""
    try:
        return await invite_seller(
            turn.session, turn.person, listing.listing_key, phone, turn.setup.region, turn.now
        )
    except DomainError as error:
        return error


async def drop(turn: Turn) -> None:
    """Cancel on the summary: the draft is deleted and nothing is published."""
    await discard_draft(turn.session, turn.person.id)
    show_menu(turn, "listings.form.dropped")
