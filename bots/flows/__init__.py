"""Conversation flows, each a bots.dialog.turn.Flow, registered here by name; choices are routed here."""

from bots.dialog.turn import Flow, Turn
from bots.flows import menu
from bots.flows.listings import listings
from bots.flows.offers import make_offer, offers
from bots.flows.people import language, onboarding, settings, verify
from bots.flows.searches import search
from bots.flows.viewings import booking, hours, viewings

FLOWS: dict[str, Flow] = {
    flow.name: flow
    for flow in (
        menu.FLOW,
        search.FLOW,
        onboarding.FLOW,
        verify.FLOW,
        language.FLOW,
        settings.FLOW,
        listings.FLOW,
        hours.FLOW,
        booking.FLOW,
        viewings.FLOW,
        make_offer.FLOW,
        offers.FLOW,
    )
}


async def run_choice(turn: Turn, choice_id: str) -> bool:
    """Hand a choice id ("flow:action:arg") to its flow; False when it names no flow."""
    flow_name, _, rest = choice_id.partition(":")
    action, _, arg = rest.partition(":")
    flow = FLOWS.get(flow_name)
    if flow is None:
        return False
    await flow.on_choice(turn, action, arg or None)
    return True
