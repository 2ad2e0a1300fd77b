"""Who may do what: every core service asks here before it changes anything."""

from __future__ import annotations

from enum import StrEnum

from core.errors import Forbidden, VerificationRequired
from core.listings.model import Listing, Side
from core.people.model import Person, Role


class Action(StrEnum):
    """The actions that a rule guards."""

    SET_LISTING_STATUS = "set_listing_status"
    EDIT_LISTING = "edit_listing"
    SET_AVAILABILITY = "set_availability"
    CONFIRM_VIEWING = "confirm_viewing"
    ANSWER_OFFER = "answer_offer"
    BOOK_VIEWING = "book_viewing"
    MAKE_OFFER = "make_offer"
    WITHDRAW_OFFER = "withdraw_offer"


LISTING_MANAGER_ACTIONS = frozenset(
    {
        Action.SET_LISTING_STATUS,
        Action.EDIT_LISTING,
        Action.SET_AVAILABILITY,
        Action.CONFIRM_VIEWING,
        Action.ANSWER_OFFER,
    }
)


def require_verified(person: Person) -> None:
    """Refuse anyone who has not yet proven a phone number."""
    if not person.verified:
        raise VerificationRequired()


def manages(person: Person, listing: Listing) -> bool:
    """True when the person is the listing's seller or its broker."""
    return person.id is not None and person.id in (listing.seller_id, listing.broker_id)


def authorize_listing(person: Person, listing: Listing, action: Action) -> None:
    """Only the seller or broker of a listing, with a proven phone, may manage it (viewings, offers...)."""
    if action not in LISTING_MANAGER_ACTIONS:
        raise ValueError(f"{action} is not an action on a listing")
    if not manages(person, listing):
        raise Forbidden(f"errors.forbidden.{action}")
    require_verified(person)


def authorize_buyer(person: Person, listing: Listing, action: Action) -> None:
    """A buyer books or offers only with a proven phone, and never on a listing they sell or broker."""
    if action not in (Action.BOOK_VIEWING, Action.MAKE_OFFER):
        raise ValueError(f"{action} is not a buyer's action on a listing")
    if manages(person, listing):
        raise Forbidden(f"errors.forbidden.own_listing.{action}")
    require_verified(person)


def side_in(
    person: Person, buyer_id: int, listing: Listing, action: Action, *, stranger: str | None = None
) -> Side:
    """The person's side of a buyer's dealing on the listing: the buyer's own, or the seller's side when they
    may take `action` on the listing; anyone else is refused, as `stranger` says when given."""
    if person.id == buyer_id:
        return Side.BUYER
    if stranger is not None and not manages(person, listing):
        raise Forbidden(stranger)
    authorize_listing(person, listing, action)
    return Side.SELLER


def authorize_offer_buyer(person: Person, buyer_id: int) -> None:
    """Only the buyer who made an offer may withdraw it."""
    if person.id != buyer_id:
        raise Forbidden(f"errors.forbidden.{Action.WITHDRAW_OFFER}")


def is_admin(person: Person) -> bool:
    """True for people granted the admin role with `doorstep admin grant`."""
    return person.has_role(Role.ADMIN)
