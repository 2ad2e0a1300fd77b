"""The domain's error tree: each error has a stable code and the template key of its user-facing text."""

from __future__ import annotations


class DomainError(Exception):
    """A rule refused an action; `message_key` names the template that explains it to the person."""

    code = "domain_error"
    message_key = "errors.generic"


class NotFound(DomainError):
    """The thing asked for does not exist or is not visible to the asker."""

    code = "not_found"
    message_key = "errors.not_found"


class ListingNotAvailable(DomainError):
    """The listing exists but is no longer on the market."""

    code = "listing_not_available"
    message_key = "errors.listing_not_available"
