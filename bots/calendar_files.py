"""A viewing's calendar file as a message attachment: the .ics text, and the link to the same file."""

from __future__ import annotations

from datetime import datetime

from bots.messages import Attachment
from core.calendar import ICS_CONTENT_TYPE, ICS_FILENAME, calendar_url, viewing_calendar
from core.models import Listing, Viewing


def calendar_attachment(
    viewing: Viewing, listing: Listing, public_base_url: str, now: datetime
) -> Attachment:
    """The .ics that Telegram uploads and WhatsApp fetches from its link (the same file the link serves)."""
    return Attachment(
        ICS_FILENAME,
        ICS_CONTENT_TYPE,
        viewing_calendar(viewing, listing),
        calendar_url(public_base_url, viewing.calendar_token),
    )
