"""Every mapped table, registered on Base.metadata: what migrations and a fresh database are built from."""

import core.dialog_state
import core.listings.model
import core.message_log.model
import core.offers.model
import core.people.model
import core.people.verification_model
import core.viewings.model
from core.tables import Base

MODULES = (
    core.dialog_state,
    core.listings.model,
    core.message_log.model,
    core.offers.model,
    core.people.model,
    core.people.verification_model,
    core.viewings.model,
)
metadata = Base.metadata

__all__ = ["MODULES", "Base", "metadata"]
