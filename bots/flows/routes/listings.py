"""My listings, the new-listing form and a broker's invitation to a seller: their choice ids."""

from __future__ import annotations

from bots.dialog.routes import NUMBER, WORD, ArgRoute, Route, pair

LISTINGS = "listings"

show = Route(LISTINGS, "show")
page = ArgRoute(LISTINGS, "page", NUMBER)
withdraw = ArgRoute(LISTINGS, "withdraw", WORD)
relist = ArgRoute(LISTINGS, "relist", WORD)

# One listing of the seller's: its screen, and each change made from it.
MANAGE = "listing"

open_ = ArgRoute(MANAGE, "open", WORD)
price = ArgRoute(MANAGE, "price", WORD)
details = ArgRoute(MANAGE, "details", WORD)
field = ArgRoute(MANAGE, "field", pair(WORD, WORD))
photos = ArgRoute(MANAGE, "photos", WORD)
new_photos_done = Route(MANAGE, "photos_done")
sold = ArgRoute(MANAGE, "sold", WORD)
sold_unpriced = Route(MANAGE, "sold_unpriced")
skip_detail = Route(MANAGE, "skip")
detail_sub_type = ArgRoute(MANAGE, "type", WORD)

# The new-listing form: Add a home, carrying on a draft or starting again, its buttons, and its summary.
FORM = "listing_form"

add = Route(FORM, "add")
carry_on = Route(FORM, "carry_on")
start_again = Route(FORM, "start_again")
sub_type = ArgRoute(FORM, "type", WORD)
skip = Route(FORM, "skip")
photos_done = Route(FORM, "done")
publish = Route(FORM, "publish")
edit = Route(FORM, "edit")
change = ArgRoute(FORM, "change", WORD)
drop = Route(FORM, "drop")
save_for_later = Route(FORM, "later")

# A broker's invitation to a listing's seller: sending it, and the seller's answer.
INVITATION = "invitation"

invite = ArgRoute(INVITATION, "new", WORD)
accept_invitation = ArgRoute(INVITATION, "accept", NUMBER)
decline_invitation = ArgRoute(INVITATION, "decline", NUMBER)
cancel_invitation = ArgRoute(INVITATION, "cancel", NUMBER)
