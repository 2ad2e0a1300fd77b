"""Domain: people, listings, dialog state and the message log; no channel or transport knowledge."""
