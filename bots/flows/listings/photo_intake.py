"""Photos sent in chat for a listing: fetched from the channel, checked, kept, and counted back."""

from __future__ import annotations

from collections.abc import Sequence

from bots.dialog.turn import Turn
from bots.messages import Choice
from bots.photos import PhotoRefused
from core.listings.form import TooManyPhotos
from core.listings.photos import MAX_PHOTO_BYTES, Photo, media_url, store_photo
from core.listings.rules import MAX_PHOTOS

_DONE_WORDS = frozenset({"done", "finished", "that's all", "thats all", "no more", "تم", "انتهيت", "خلاص"})
# Media that may be a photo: Telegram sends an uncompressed photo as a document.
_PHOTO_KINDS = frozenset({"photo", "document"})


def means_done(text: str) -> bool:
    """True for the words that end the photos ("done")."""
    return " ".join(text.casefold().split()).strip(".!") in _DONE_WORDS


def ask_photos(turn: Turn, count: int, done: str, extra: Sequence[Choice], kind: str = "ask_photos") -> None:
    """Ask for photos (or, as `kind` "photo_added", say how many there are now), with Done (`done`)."""
    choices = [turn.choice(done, "photos_done"), *extra]
    turn.ask(f"listings.form.{kind}", choices=choices, count=count, most=MAX_PHOTOS)


async def take(turn: Turn, have: int) -> list[Photo] | None:
    """Keep the photos the message carries, as many as leave `have` within MAX_PHOTOS; None when none could
    be taken. Whatever was refused (too large, not an image, one too many) is said, and the rest kept."""
    if turn.inbound.media_kind not in _PHOTO_KINDS:
        turn.fail("listings.form.not_a_photo")
        return None
    problem: tuple[str, dict[str, int]] | None = None
    try:
        received = list(await turn.setup.photos.fetch(turn.inbound))
    except PhotoRefused as refused:
        received = list(refused.taken)
        problem = (f"listings.form.photo_{refused.reason}", {"most_mb": MAX_PHOTO_BYTES // (1024 * 1024)})
    kept: list[Photo] = []
    # Each source types and sizes its photos (bots.photos.taken), so what arrives is a photo to keep.
    for photo in received:
        if have + len(kept) >= MAX_PHOTOS:
            problem = (TooManyPhotos.message_key, {"most": MAX_PHOTOS})
            break
        stored = store_photo(turn.session, photo.data, photo.content_type, turn.now)
        url = media_url(turn.setup.public_base_url, stored.media_key)
        kept.append(Photo(stored.media_key, url, photo.telegram_file_id))
    if problem is not None:
        turn.fail(problem[0], on_screen=bool(kept), **problem[1])
    return kept or (None if problem else kept)
