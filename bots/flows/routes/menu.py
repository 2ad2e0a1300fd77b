"""The main menu's choice ids, one route per button."""

from __future__ import annotations

from bots.dialog.registry import HOME_FLOW
from bots.dialog.routes import Route

find = Route(HOME_FLOW, "find")
viewings = Route(HOME_FLOW, "viewings")
offers = Route(HOME_FLOW, "offers")
messages = Route(HOME_FLOW, "messages")
help_ = Route(HOME_FLOW, "help")
show = Route(HOME_FLOW, "show")
