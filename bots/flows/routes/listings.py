"""My listings' choice ids: the list, and taking a listing off the market or putting it back."""

from __future__ import annotations

from bots.dialog.routes import WORD, ArgRoute, Route

LISTINGS = "listings"

show = Route(LISTINGS, "show")
withdraw = ArgRoute(LISTINGS, "withdraw", WORD)
relist = ArgRoute(LISTINGS, "relist", WORD)
