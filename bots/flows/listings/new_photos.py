"""New photos for a published listing: sent one or several at a time, kept aside, and saved on Done."""

from __future__ import annotations

from bots.dialog.turn import Turn
from bots.flows.listings import photo_intake
from bots.flows.listings.screen import NAME, back_button, managed, open_listing, show
from bots.flows.routes import listings as routes
from core.listings.photos import Photo, replace_photos


async def ask_photos(turn: Turn, listing_key: str) -> None:
    """New photos replace the listing's, in the order sent; Done saves them."""
    listing = await managed(turn, listing_key)
    if listing is None:
        return
    photo_intake.ask_photos(turn, 0, routes.new_photos_done(), [back_button(turn, listing_key)])
    turn.go(NAME, "photos", listing=listing_key, photos=[])


async def on_photo(turn: Turn) -> None:
    """A new photo: kept aside (in the dialog state) until Done."""
    data = turn.data
    listing_key, sent = data.get("listing", ""), list(data.get("photos") or [])
    photos = await photo_intake.take(turn, len(sent))
    back = [back_button(turn, listing_key)]
    if photos is None:
        photo_intake.ask_photos(turn, len(sent), routes.new_photos_done(), back)
        return
    sent += [photo.to_json() for photo in photos]
    photo_intake.ask_photos(turn, len(sent), routes.new_photos_done(), back, kind="photo_added")
    turn.go(NAME, "photos", listing=listing_key, photos=sent)


async def photos_done(turn: Turn) -> None:
    """Done: the new photos replace the old ones; with none sent, nothing changes."""
    data = turn.data if turn.state.flow == NAME else {}
    listing_key, sent = data.get("listing", ""), data.get("photos") or []
    if not sent:
        await open_listing(turn, listing_key)
        return
    photos = [Photo.from_json(item) for item in sent]
    listing = await replace_photos(turn.session, turn.person, listing_key, photos, turn.now)
    turn.say("listings.photos_saved", l=listing, count=len(photos))
    show(turn, listing)


async def on_photos_text(turn: Turn, text: str) -> None:
    """ "done" ends the new photos; other words are told that photos are wanted."""
    if photo_intake.means_done(text):
        await photos_done(turn)
        return
    turn.fail("listings.form.photos_expected")
    await ask_photos(turn, turn.data.get("listing", ""))
