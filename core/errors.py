"""The domain's error tree: each error has a stable code and the template key of its user-facing text."""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """A rule refused an action; `message_key` names the template that explains it to the person."""

    code = "domain_error"
    message_key = "errors.generic"

    @property
    def context(self) -> dict[str, Any]:
        """What the explaining template needs besides the person's language."""
        return {}


class NotFound(DomainError):
    """The thing asked for does not exist or is not visible to the asker."""

    code = "not_found"
    message_key = "errors.not_found"


class ListingNotAvailable(DomainError):
    """The listing exists but is no longer on the market."""

    code = "listing_not_available"
    message_key = "errors.listing_not_available"


class Forbidden(DomainError):
    """The person may not do this; each refusal names the rule in its own message."""

    code = "forbidden"

    def __init__(self, message_key: str) -> None:
        super().__init__(message_key)
        self.message_key = message_key


class VerificationRequired(DomainError):
    """The action needs a proven phone number first."""

    code = "verification_required"
    message_key = "errors.verification_required"


class StatusChangeRefused(DomainError):
    """The listing's status cannot move that way (it is under contract, closed, or already there)."""

    code = "status_change_refused"
    message_key = "errors.status_change_refused"


class ListingFromFeed(StatusChangeRefused):
    """The home is kept by an MLS feed: its price, details, photos and status change there, not in chat."""

    code = "listing_from_feed"
    message_key = "errors.listing_from_feed"


class InvitationRefused(DomainError):
    """A broker's invitation to a seller cannot be sent or answered so; the message key says why."""

    code = "invitation_refused"

    def __init__(self, message_key: str, **context: Any) -> None:
        super().__init__(message_key)
        self.message_key = message_key
        self._context = context

    @property
    def context(self) -> dict[str, Any]:
        """What the explaining template shows (the number, the listing...)."""
        return dict(self._context)
