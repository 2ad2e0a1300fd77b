"""What each side of an offer is told when the other side (or the clock) moves it on: one notice table."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bots.flows.managers import to_managers
from bots.flows.routes import offers as routes
from bots.notice import Button, Notice, NoticeBuilder
from core.events import Event
from core.listings.model import Listing
from core.listings.queries import managers_of
from core.listings.rules import is_managed
from core.offers.closing import CLOSED_BY_ACCEPTANCE, CLOSED_BY_SALE
from core.offers.events import (
    OfferAccepted,
    OfferChange,
    OfferClosedWithListing,
    OfferCountered,
    OfferExpired,
    OfferMade,
    OfferRejected,
    OfferWithdrawn,
)
from core.offers.model import Offer, OfferSide
from core.offers.rules import across, message_for, share_of_asking
from core.people.model import Person
from core.phones import format_international


def offer_context(offer: Offer, listing: Listing) -> dict[str, Any]:
    """What every offer message shows: the offer, its listing, its share of the asking price, and whether
    a seller or broker is there to answer it."""
    return {
        "o": offer,
        "l": listing,
        "share": share_of_asking(offer.amount, listing),
        "managed": is_managed(listing),
    }


def to_buyer(
    offer: Offer, listing: Listing, kind: str, *, buttons: tuple[Button, ...] = (), **context: Any
) -> Notice:
    """A notice about the offer for its buyer."""
    return Notice(
        person_id=offer.buyer_id,
        kind=kind,
        dedupe_key=f"offer:{offer.id}:{kind}:{offer.buyer_id}",
        context={**offer_context(offer, listing), "side": OfferSide.BUYER, **context},
        buttons=buttons,
    )


async def to_sellers(
    session: AsyncSession,
    offer: Offer,
    listing: Listing,
    kind: str,
    *,
    buttons: tuple[Button, ...] = (),
    **context: Any,
) -> list[Notice]:
    """The same notice for the listing's seller and broker, naming the buyer."""
    return await to_managers(
        session,
        listing,
        offer.buyer_id,
        kind,
        dedupe=f"offer:{offer.id}:{kind}",
        context={**offer_context(offer, listing), "side": OfferSide.SELLER, **context},
        buttons=buttons,
    )


def answer_buttons(offer: Offer) -> tuple[Button, ...]:
    """Accept / Reject / Counter, under an offer waiting for an answer."""
    return (
        Button(routes.accept(offer.id), "accept"),
        Button(routes.reject(offer.id), "reject"),
        Button(routes.counter(offer.id), "counter"),
    )


def new_offer_button(listing: Listing) -> Button:
    """Make a new offer on the listing, after one ended."""
    return Button(routes.start(listing.listing_key), "make_offer")


async def to_other_side(
    session: AsyncSession,
    offer: Offer,
    listing: Listing,
    side: OfferSide,
    kind: str,
    *,
    buttons: tuple[Button, ...] = (),
    **context: Any,
) -> list[Notice]:
    """The notice for whoever is across the table from `side`."""
    if side == OfferSide.SELLER:
        return [to_buyer(offer, listing, kind, buttons=buttons, **context)]
    return await to_sellers(session, offer, listing, kind, buttons=buttons, **context)


async def expiry_notices(session: AsyncSession, offer: Offer, listing: Listing) -> list[Notice]:
    """An offer ran out of time: both sides hear of it; a buyer may offer again."""
    again = (new_offer_button(listing),) if offer.made_by == OfferSide.BUYER else ()
    return [
        to_buyer(offer, listing, "offers.expired", buttons=again),
        *await to_sellers(session, offer, listing, "offers.expired"),
    ]


async def contacts(session: AsyncSession, offer: Offer, listing: Listing, side: OfferSide) -> list[str]:
    """Names and phones of the people across the table from `side`, shown to that side on acceptance."""
    people = (
        await managers_of(session, listing)
        if side == OfferSide.BUYER
        else [await session.get_one(Person, offer.buyer_id)]
    )
    return [
        ", ".join(part for part in (p.display_name, format_international(p.phone or "")) if part)
        for p in people
    ]


async def agreed_notices(
    session: AsyncSession, offer: Offer, listing: Listing, side: OfferSide
) -> list[Notice]:
    """Acceptance reaches the other side with next steps and the contact details of the accepting side."""
    return await to_other_side(
        session,
        offer,
        listing,
        side,
        "offers.agreed",
        contacts=await contacts(session, offer, listing, across(side)),
    )


async def _offer(session: AsyncSession, event: OfferChange) -> tuple[Offer, Listing]:
    """The offer an event is about and its listing, as they stand in the session."""
    return await session.get_one(Offer, event.offer_id), await session.get_one(Listing, event.listing_id)


async def _made(session: AsyncSession, event: OfferMade) -> list[Notice]:
    offer, listing = await _offer(session, event)
    return await to_sellers(
        session,
        offer,
        listing,
        "offers.received",
        buttons=answer_buttons(offer),
        message=message_for(offer, OfferSide.SELLER),
    )


async def _accepted(session: AsyncSession, event: OfferAccepted) -> list[Notice]:
    offer, listing = await _offer(session, event)
    return await agreed_notices(session, offer, listing, event.side)


async def _rejected(session: AsyncSession, event: OfferRejected) -> list[Notice]:
    offer, listing = await _offer(session, event)
    again = (new_offer_button(listing),) if event.side == OfferSide.SELLER else ()
    return await to_other_side(session, offer, listing, event.side, "offers.rejected", buttons=again)


async def _countered(session: AsyncSession, event: OfferCountered) -> list[Notice]:
    offer, listing = await _offer(session, event)
    buttons = answer_buttons(offer)
    return await to_other_side(session, offer, listing, event.side, "offers.countered", buttons=buttons)


async def _withdrawn(session: AsyncSession, event: OfferWithdrawn) -> list[Notice]:
    """A buyer's withdrawal reaches the seller's side; one the platform made on a merge is not told."""
    if event.side != OfferSide.BUYER:
        return []
    offer, listing = await _offer(session, event)
    return await to_sellers(session, offer, listing, "offers.withdrawn")


async def _expired(session: AsyncSession, event: OfferExpired) -> list[Notice]:
    return await expiry_notices(session, *await _offer(session, event))


# What the buyer of an offer the platform closed is told, by why it closed; otherwise "offers.off_market".
_CLOSED_KINDS = {CLOSED_BY_ACCEPTANCE: "offers.under_offer", CLOSED_BY_SALE: "offers.sold"}


async def _closed(session: AsyncSession, event: OfferClosedWithListing) -> list[Notice]:
    offer, listing = await _offer(session, event)
    return [to_buyer(offer, listing, _CLOSED_KINDS.get(event.why, "offers.off_market"))]


NOTICES: Mapping[type[Event], NoticeBuilder] = {
    OfferMade: _made,
    OfferAccepted: _accepted,
    OfferRejected: _rejected,
    OfferCountered: _countered,
    OfferWithdrawn: _withdrawn,
    OfferExpired: _expired,
    OfferClosedWithListing: _closed,
}
