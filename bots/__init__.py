"""Conversation: channel adapters (bots.channels) and the flows people walk through (bots.flows)."""
