"""Message size limits: SMS encodings and segments, and splitting long texts for Telegram, all pure."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Final, Literal

SmsEncoding = Literal["GSM-7", "UCS-2"]

GSM7_BASIC: Final = (
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENSION: Final = "\f^{}\\[~]|€"
GSM7_SINGLE_SEPTETS: Final = 160
GSM7_CONCATENATED_SEPTETS: Final = 153
UCS2_SINGLE_UNITS: Final = 70
UCS2_CONCATENATED_UNITS: Final = 67
TELEGRAM_TEXT_LIMIT: Final = 4096
TELEGRAM_CAPTION_LIMIT: Final = 1024
SMS_TEXT_AIM: Final = 320  # two segments: the most one SMS reply should take

_GSM7_ALL: Final = frozenset(GSM7_BASIC + GSM7_EXTENSION)
_GSM7_EXTENSION_SET: Final = frozenset(GSM7_EXTENSION)
_GSM_ELLIPSIS: Final = "..."
_UNICODE_ELLIPSIS: Final = "…"
_DANGLING_PUNCTUATION: Final = ",;:.-"
_NO_BREAK_SPACES: Final = frozenset("\u00a0\u2007\u202f")
_ZERO_WIDTH_JOINER: Final = "\u200d"
_MARKUP: Final = re.compile(r"</?[A-Za-z][^<>]*>|&(?:#[0-9]+|#[xX][0-9A-Fa-f]+|[A-Za-z][A-Za-z0-9]*);")
_TAG_NAME: Final = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)")
_BLANK_LINE, _NEWLINE, _SPACE = 3, 2, 1


def utf16_len(text: str) -> int:
    """Length in UTF-16 code units, the unit of Telegram's limits: a character outside the BMP counts 2."""
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def sms_encoding(text: str) -> SmsEncoding:
    """GSM-7 when every character is in the GSM 03.38 basic set or its extension table, else UCS-2."""
    return "GSM-7" if all(char in _GSM7_ALL for char in text) else "UCS-2"


def sms_segments(text: str) -> int:
    """How many SMS segments the text takes (0 for an empty body), filling concatenated segments greedily."""
    if not text:
        return 0
    if sms_encoding(text) == "GSM-7":
        septets = [2 if char in _GSM7_EXTENSION_SET else 1 for char in text]
        return _segments(septets, GSM7_SINGLE_SEPTETS, GSM7_CONCATENATED_SEPTETS)
    units = [utf16_len(char) for char in text]
    return _segments(units, UCS2_SINGLE_UNITS, UCS2_CONCATENATED_UNITS)


def _segments(sizes: Sequence[int], single: int, concatenated: int) -> int:
    """Segments for characters of the given sizes; a character (escape, surrogate pair) is never split."""
    if sum(sizes) <= single:
        return 1
    count, used = 1, 0
    for size in sizes:
        if used + size > concatenated:
            count, used = count + 1, 0
        used += size
    return count


def fit_sms(text: str, max_segments: int = 2) -> str:
    """The text if it fits in `max_segments`, else cut at a word boundary and ended with an ellipsis."""
    if max_segments < 1:
        raise ValueError("max_segments must be at least 1")
    if sms_segments(text) <= max_segments:
        return text
    return next(short for short in _shortenings(text, max_segments) if sms_segments(short) <= max_segments)


def _shortenings(text: str, max_segments: int) -> Iterator[str]:
    """Ever shorter candidates: cuts at word ends first, then anywhere, down to the ellipsis alone."""
    head = text[: max(GSM7_SINGLE_SEPTETS, GSM7_CONCATENATED_SEPTETS * max_segments)]
    word_ends = [
        cut
        for cut in range(len(head), 0, -1)
        if cut < len(text) and _breakable(text[cut]) and not text[cut - 1].isspace()
    ]
    for cut in [*word_ends, *range(len(head), -1, -1)]:
        yield _with_ellipsis(head[:cut])


def _with_ellipsis(kept: str) -> str:
    """The kept text with an ellipsis that does not switch GSM-7 text to UCS-2."""
    kept = kept.rstrip().rstrip(_DANGLING_PUNCTUATION).rstrip()
    return kept + (_GSM_ELLIPSIS if sms_encoding(kept) == "GSM-7" else _UNICODE_ELLIPSIS)


def _breakable(char: str) -> bool:
    """Whether a line may break at this character: whitespace other than the no-break spaces."""
    return char.isspace() and char not in _NO_BREAK_SPACES


@dataclass(frozen=True, slots=True)
class _Token:
    """An unbreakable piece of the text: one character, an HTML tag or an HTML entity."""

    source: str
    size: int
    opens: str = ""
    closes: str = ""

    @property
    def is_space(self) -> bool:
        """A whitespace character, where a part may end."""
        return len(self.source) == 1 and _breakable(self.source)

    @property
    def is_content(self) -> bool:
        """Anything but a tag that opens or closes an element."""
        return not (self.opens or self.closes)

    def closing_tag(self) -> str:
        """The tag that closes the element this token opens."""
        return f"</{self.opens}>"


def split_text(text: str, limit: int) -> list[str]:
    """Split plain text into stripped parts of at most `limit` UTF-16 units, breaking at whitespace."""
    return _split([_Token(char, utf16_len(char)) for char in text], limit)


def split_html(text: str, limit: int) -> list[str]:
    """Split Telegram HTML like split_text, never inside a tag or entity, closing and reopening open tags."""
    return _split(list(_html_tokens(text)), limit)


def _html_tokens(text: str) -> Iterator[_Token]:
    """Characters, tags and entities of Telegram HTML, in order."""
    position = 0
    for match in _MARKUP.finditer(text):
        yield from (_Token(char, utf16_len(char)) for char in text[position : match.start()])
        yield _markup_token(match.group())
        position = match.end()
    yield from (_Token(char, utf16_len(char)) for char in text[position:])


def _markup_token(source: str) -> _Token:
    """A tag or entity token, knowing which element a tag opens or closes."""
    name = _TAG_NAME.match(source)
    if name is None or source.endswith("/>"):
        return _Token(source, utf16_len(source))
    if name.group(1):
        return _Token(source, utf16_len(source), closes=name.group(2))
    return _Token(source, utf16_len(source), opens=name.group(2))


def _split(tokens: Sequence[_Token], limit: int) -> list[str]:
    """Cut the tokens into parts that fit `limit`, each carrying the elements still open at its start."""
    if limit < 1:
        raise ValueError("limit must be at least 1")
    ranks = _break_ranks(tokens)
    parts: list[str] = []
    start, carried = _skip_leading(tokens, 0, [])
    while start < len(tokens):
        end = _part_end(tokens, start, carried, limit, ranks)
        still_open = _open_after(carried, tokens[start:end])
        parts.append(_render(carried, tokens[start:end], still_open))
        start, carried = _skip_leading(tokens, end, still_open)
    return [part for part in parts if part]


def _break_ranks(tokens: Sequence[_Token]) -> dict[int, int]:
    """For each run of whitespace, where it starts and how good a break it makes."""
    ranks: dict[int, int] = {}
    run_start: int | None = None
    for index, token in enumerate([*tokens, _Token("x", 1)]):
        if token.is_space and run_start is None:
            run_start = index
        elif not token.is_space and run_start is not None:
            newlines = sum(t.source == "\n" for t in tokens[run_start:index])
            ranks[run_start] = _BLANK_LINE if newlines >= 2 else _NEWLINE if newlines else _SPACE
            run_start = None
    return ranks


def _skip_leading(tokens: Sequence[_Token], index: int, carried: list[_Token]) -> tuple[int, list[_Token]]:
    """Skip whitespace and the closing tags of carried elements, which would otherwise open empty."""
    carried = list(carried)
    while index < len(tokens):
        token = tokens[index]
        if token.closes and carried and carried[-1].opens == token.closes:
            carried.pop()
        elif not token.is_space:
            break
        index += 1
    return index, carried


def _part_end(
    tokens: Sequence[_Token], start: int, carried: list[_Token], limit: int, ranks: dict[int, int]
) -> int:
    """Where the part starting at `start` ends: the best break that fits, else a hard cut."""
    used, still_open = sum(t.size for t in carried), list(carried)
    breaks: dict[int, int] = {}
    last_fit: int | None = None
    for index in range(start, len(tokens)):
        if index in ranks and last_fit is not None:
            breaks[ranks[index]] = index
        used += tokens[index].size
        still_open = _open_after(still_open, tokens[index : index + 1])
        if used + _closing_size(still_open) > limit:
            break
        if tokens[index].is_content:
            last_fit = index + 1
    else:
        return len(tokens)
    if breaks:
        return _without_trailing_openers(tokens, start, breaks[max(breaks)])
    if last_fit is None:
        raise ValueError(f"limit {limit} is too small for {tokens[start].source!r} and its open tags")
    return _hard_cut(tokens, start, last_fit)


def _without_trailing_openers(tokens: Sequence[_Token], start: int, end: int) -> int:
    """Move opening tags (and the whitespace before them) at the end of a part over to the next part."""
    while end - 1 > start and (tokens[end - 1].opens or tokens[end - 1].is_space):
        end -= 1
    return end


def _hard_cut(tokens: Sequence[_Token], start: int, last_fit: int) -> int:
    """The last cut that keeps combining marks, joiners and variation selectors with their character."""
    for end in range(last_fit, start, -1):
        if tokens[end - 1].is_content and not _joined(tokens[end - 1].source, tokens[end].source):
            return end
    return last_fit


def _joined(before: str, after: str) -> bool:
    """Whether two neighbouring pieces belong to one visible character."""
    first = after[0]
    return (
        before == _ZERO_WIDTH_JOINER
        or first == _ZERO_WIDTH_JOINER
        or unicodedata.combining(first) != 0
        or "\ufe00" <= first <= "\ufe0f"
        or "\U0001f3fb" <= first <= "\U0001f3ff"
    )


def _open_after(still_open: list[_Token], tokens: Sequence[_Token]) -> list[_Token]:
    """The elements open after the tokens, given those open before them."""
    opened = list(still_open)
    for token in tokens:
        if token.opens:
            opened.append(token)
        elif token.closes:
            _close(opened, token.closes)
    return opened


def _close(opened: list[_Token], name: str) -> None:
    """Remove the innermost open element of that name; a stray closing tag changes nothing."""
    for position in range(len(opened) - 1, -1, -1):
        if opened[position].opens == name:
            del opened[position]
            return


def _closing_size(still_open: list[_Token]) -> int:
    """UTF-16 length of the closing tags that end a part with these elements open."""
    return sum(utf16_len(token.closing_tag()) for token in still_open)


def _render(carried: list[_Token], body: Sequence[_Token], still_open: list[_Token]) -> str:
    """A part: the carried opening tags, its own tokens, and closing tags for what is still open."""
    opening = "".join(token.source for token in carried)
    closing = "".join(token.closing_tag() for token in reversed(still_open))
    return (opening + "".join(token.source for token in body) + closing).strip()
