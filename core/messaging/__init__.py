"""Buyer-seller messaging: conversations relayed through the bot, and what is masked in them."""
