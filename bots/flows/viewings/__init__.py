"""Viewing flows: booking, the viewings screen, viewing hours, and what each side is told."""
