"""People: who is talking to us, their roles, channel identities, proven phones and merges."""
