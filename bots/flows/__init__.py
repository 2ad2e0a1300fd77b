"""Conversation flows, each a bots.dialog.turn.Flow, registered here by name."""

from bots.dialog.turn import Flow
from bots.flows import menu, search

FLOWS: dict[str, Flow] = {flow.name: flow for flow in (menu.FLOW, search.FLOW)}
