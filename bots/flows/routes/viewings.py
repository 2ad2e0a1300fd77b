"""Choice ids of the viewings flows: booking, my viewings, and a listing's viewing hours."""

from __future__ import annotations

from datetime import UTC, datetime

from bots.dialog.routes import DAY, NUMBER, WORD, Arg, ArgRoute, Route, pair, pair_or
from core.viewings.day_parsing import parse_hours
from core.viewings.slots import Window

BOOKING = "booking"
VIEWINGS = "viewings"
HOURS = "hours"
_CODE = "%Y%m%dT%H%M"


def slot_code(start: datetime) -> str:
    """A slot's start as it travels in a choice id ("20261128T1000", UTC)."""
    return start.astimezone(UTC).strftime(_CODE)


def parse_slot_code(code: str) -> datetime | None:
    """The UTC start a choice id carries; None when it is not one."""
    try:
        return datetime.strptime(code, _CODE).replace(tzinfo=UTC)
    except ValueError:
        return None


SLOT: Arg[datetime] = Arg(slot_code, parse_slot_code)
WINDOW: Arg[Window] = Arg(lambda w: f"{w.start:%H:%M}-{w.end:%H:%M}", parse_hours)

book = ArgRoute(BOOKING, "start", WORD)
book_days = ArgRoute(BOOKING, "days", NUMBER)
book_day = ArgRoute(BOOKING, "day", DAY)
book_later = ArgRoute(BOOKING, "later", pair_or(DAY, NUMBER, 0))
book_at = ArgRoute(BOOKING, "at", pair(WORD, SLOT))
book_anyway = ArgRoute(BOOKING, "anyway", pair(WORD, SLOT))
viewers = ArgRoute(BOOKING, "viewers", pair_or(NUMBER, NUMBER, 1))
confirm_booking = ArgRoute(BOOKING, "confirm", pair_or(NUMBER, NUMBER, 1))
drop_booking = ArgRoute(BOOKING, "drop", NUMBER)

mine = Route(VIEWINGS, "show")
open_ = ArgRoute(VIEWINGS, "open", NUMBER)
confirm = ArgRoute(VIEWINGS, "confirm", NUMBER)
decline = ArgRoute(VIEWINGS, "decline", NUMBER)
propose = ArgRoute(VIEWINGS, "propose", NUMBER)
move = ArgRoute(VIEWINGS, "move", NUMBER)
offer_time = ArgRoute(VIEWINGS, "offer", pair(NUMBER, SLOT))
send_proposals = ArgRoute(VIEWINGS, "sendprop", NUMBER)
move_to = ArgRoute(VIEWINGS, "moveto", pair(NUMBER, SLOT))
move_anyway = ArgRoute(VIEWINGS, "moveanyway", pair(NUMBER, SLOT))
take = ArgRoute(VIEWINGS, "take", pair(NUMBER, SLOT))
none_suit = ArgRoute(VIEWINGS, "none", NUMBER)
cancel = ArgRoute(VIEWINGS, "cancel", NUMBER)
why = ArgRoute(VIEWINGS, "why", pair_or(NUMBER, WORD, ""))
completed = ArgRoute(VIEWINGS, "done", NUMBER)
no_show = ArgRoute(VIEWINGS, "noshow", NUMBER)
pick_day = ArgRoute(VIEWINGS, "day", DAY)
pick_later = ArgRoute(VIEWINGS, "later", pair_or(DAY, NUMBER, 0))
more_days = ArgRoute(VIEWINGS, "days", NUMBER)

hours = ArgRoute(HOURS, "show", WORD)
use_suggested = ArgRoute(HOURS, "use", WORD)
change_days = ArgRoute(HOURS, "days", WORD)
toggle_day = ArgRoute(HOURS, "toggle", pair(WORD, NUMBER))
save_days = ArgRoute(HOURS, "savedays", WORD)
change_hours = ArgRoute(HOURS, "hours", WORD)
set_hours = ArgRoute(HOURS, "sethours", pair(WORD, WINDOW))
slot_length = ArgRoute(HOURS, "slot", WORD)
set_slot = ArgRoute(HOURS, "setslot", pair(WORD, NUMBER))
block_date = ArgRoute(HOURS, "block", WORD)
block_day = ArgRoute(HOURS, "blockday", pair(WORD, DAY))
reopen_day = ArgRoute(HOURS, "reopen", pair(WORD, DAY))
switch_mode = ArgRoute(HOURS, "mode", WORD)
