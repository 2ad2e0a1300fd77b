"""Flows for sellers and brokers: the homes they manage."""
