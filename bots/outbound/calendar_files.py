"""A viewing's calendar file as a message attachment: the .ics text, and the link to the same file."""

from __future__ import annotations

from typing import Any

from bots.messages import Attachment
from core.listings.model import Listing
from core.viewings.calendar import ICS_CONTENT_TYPE, ICS_FILENAME, calendar_url, viewing_calendar
from core.viewings.model import Viewing


def calendar_context(
    viewing: Viewing, listing: Listing, public_base_url: str, *, send: bool = True
) -> dict[str, Any]:
    """The `attachment` and `calendar_url` a message about the viewing carries (both None unless `send`).

    The attachment is the .ics that Telegram uploads and WhatsApp fetches from the link, the same file
    the link serves; SMS and WhatsApp texts show the link.
    """
    if not send:
        return {"attachment": None, "calendar_url": None}
    url = calendar_url(public_base_url, viewing.calendar_token)
    attachment = Attachment(ICS_FILENAME, ICS_CONTENT_TYPE, viewing_calendar(viewing, listing), url)
    return {"attachment": attachment, "calendar_url": url}
