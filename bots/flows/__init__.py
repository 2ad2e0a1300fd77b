"""Conversation flows, each a bots.dialog.turn.Flow, registered here by name."""

from bots.dialog.turn import Flow
from bots.flows import language, listings, menu, onboarding, search, settings, verify

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
    )
}
