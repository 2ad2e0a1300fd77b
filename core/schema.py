"""Every mapped table, registered on Base.metadata: what migrations and a fresh database are built from."""

# Importing each model module is what registers its tables; nothing else here is read from them.
import core.dialog_state
import core.feeds.model
import core.listings.model
import core.message_log.model
import core.offers.model
import core.people.model
import core.people.verification_model
import core.viewings.model  # noqa: F401  (ruff counts these imports as one)
from core.tables import Base

__all__ = ["Base"]
