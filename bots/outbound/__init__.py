"""Outbound: notices into the outbox, and delivering them through the channels with limits and fallbacks."""
