"""Find a home's choice ids: pages of results and a listing's details."""

from __future__ import annotations

from bots.dialog.routes import WORD, ArgRoute, Route

SEARCH = "search"

all_areas = Route(SEARCH, "all")
new = Route(SEARCH, "new")
more = Route(SEARCH, "more")
previous = Route(SEARCH, "previous")
back = Route(SEARCH, "back")
details = ArgRoute(SEARCH, "details", WORD)
