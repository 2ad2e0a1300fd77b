"""The message log: every provider delivery received once, and every message we send."""
