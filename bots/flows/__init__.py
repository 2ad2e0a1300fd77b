"""Conversation flows, each a bots.dialog.flow.Flow; bots.flows.catalog lists them for the engine."""
