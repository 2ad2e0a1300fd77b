"""Choice ids of the offers flows: making an offer, and answering, countering or withdrawing one."""

from __future__ import annotations

from bots.dialog.routes import NUMBER, WORD, ArgRoute, Route, pair

OFFER = "offer"
OFFERS = "offers"
YES, NO = "yes", "no"

start = ArgRoute(OFFER, "start", WORD)
drop = Route(OFFER, "drop")
high = ArgRoute(OFFER, "high", WORD)
position = ArgRoute(OFFER, "position", WORD)
when = ArgRoute(OFFER, "when", WORD)
skip = Route(OFFER, "skip")
send = Route(OFFER, "send")

mine = Route(OFFERS, "show")
open_ = ArgRoute(OFFERS, "open", NUMBER)
accept = ArgRoute(OFFERS, "accept", NUMBER)
reject = ArgRoute(OFFERS, "reject", NUMBER)
counter = ArgRoute(OFFERS, "counter", NUMBER)
counter_high = ArgRoute(OFFERS, "counter_high", pair(NUMBER, WORD, ":"))
withdraw = ArgRoute(OFFERS, "withdraw", NUMBER)
withdraw_answer = ArgRoute(OFFERS, "withdraw", pair(NUMBER, WORD, ":"))
