"""Every domain event has its place: told by a notices table, or known to be told to nobody."""

from __future__ import annotations

from types import ModuleType

from bots.flows.announce import NOTICES
from core.events import Event
from core.listings import events as listing_events
from core.listings.events import (
    ListingDetailsChanged,
    ListingPublished,
    ListingSold,
    ListingUnderContract,
    ListingWithdrawn,
)
from core.offers import events as offer_events
from core.people import events as people_events
from core.people.events import PeopleMerged
from core.reactions import REACTIONS
from core.viewings import events as viewing_events
from core.viewings.events import ViewingOutcomeRecorded

# Events nobody is told of directly (their reactions' events may be: an accepted offer's closed ones), or
# not yet: a listing's new details.
SILENT = {
    ListingUnderContract,
    ListingPublished,
    ListingDetailsChanged,
    PeopleMerged,
    ViewingOutcomeRecorded,
}


def _concrete(module: ModuleType) -> set[type[Event]]:
    """The events a module defines that actions record (not the base classes they share)."""
    found = {
        value
        for value in vars(module).values()
        if isinstance(value, type) and issubclass(value, Event) and value.__module__ == module.__name__
    }
    return {event for event in found if not any(o is not event and issubclass(o, event) for o in found)}


def test_every_event_is_told_by_one_notices_table_or_known_to_be_silent() -> None:
    events = set().union(*map(_concrete, (listing_events, offer_events, people_events, viewing_events)))
    assert len(events) == 29  # 10 listings, 7 offers, 1 people, 11 viewings
    assert events - SILENT == set(NOTICES)
    assert not SILENT & set(NOTICES)


def test_the_reactions_table_answers_a_listing_leaving_the_market_or_published_and_a_merge() -> None:
    assert {event: len(reactions) for event, reactions in REACTIONS.items()} == {
        ListingWithdrawn: 2,
        ListingSold: 2,
        ListingPublished: 1,
        PeopleMerged: 2,
    }
