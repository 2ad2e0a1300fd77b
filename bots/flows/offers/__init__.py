"""Offer flows: making an offer, the offers screen, and what each side is told."""
