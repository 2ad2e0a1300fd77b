"""Every flow Doorstep runs, with the main menu and the newcomer gate: the registry the engine is handed."""

from __future__ import annotations

from bots.dialog.registry import Flows, Gate, Home
from bots.flows import menu
from bots.flows.announce import settle_notices
from bots.flows.common import menu_choices, show_menu
from bots.flows.listings import form, invitation, listings, manage
from bots.flows.offers import make_offer, offers
from bots.flows.people import language, onboarding, settings, verify
from bots.flows.searches import search
from bots.flows.viewings import booking, hours, viewings

FLOWS = Flows(
    (
        menu.FLOW,
        search.FLOW,
        onboarding.FLOW,
        verify.FLOW,
        language.FLOW,
        settings.FLOW,
        listings.FLOW,
        manage.FLOW,
        form.FLOW,
        invitation.FLOW,
        hours.FLOW,
        booking.FLOW,
        viewings.FLOW,
        make_offer.FLOW,
        offers.FLOW,
    ),
    home=Home(show=show_menu, choices=menu_choices),
    gate=Gate(
        start=invitation.greet_newcomer,
        on_text=invitation.newcomer_text,
        open_flows=frozenset({onboarding.NAME, language.NAME, invitation.NAME}),
    ),
    announce=settle_notices,
)
