"""SMS encodings and segments, fitting an SMS, and splitting long texts and Telegram HTML."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bots.channels.text_limits import (
    GSM7_BASIC,
    GSM7_EXTENSION,
    fit_sms,
    sms_encoding,
    sms_segments,
    split_html,
    split_text,
    utf16_len,
)

CYRILLIC = "ж"
EMOJI = "😀"
TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)[^<>]*>")
MARKUP = re.compile(r"</?[A-Za-z][^<>]*>|&(?:#[0-9]+|#[xX][0-9A-Fa-f]+|[A-Za-z][A-Za-z0-9]*);")

gsm_text = st.text(alphabet=GSM7_BASIC + GSM7_EXTENSION)
words = st.text(alphabet="abcdefghij" + CYRILLIC + EMOJI + "é\u0301", min_size=1, max_size=25)
separators = st.sampled_from([" ", "  ", "\n", "\n\n", " \n \n ", "\t", "\u00a0"])


def without_space(text: str) -> str:
    """The text with all whitespace removed."""
    return "".join(char for char in text if not char.isspace())


def visible(html: str) -> str:
    """The HTML with its tags removed, entities left as written."""
    return TAG.sub("", html)


def balanced(html: str) -> bool:
    """Whether every tag in the HTML is closed, innermost first."""
    opened: list[str] = []
    for closing, name in TAG.findall(html):
        if not closing:
            opened.append(name)
        elif not opened or opened.pop() != name:
            return False
    return not opened


def has_broken_markup(html: str) -> bool:
    """Whether a tag or entity was cut: a bracket or ampersand left over outside whole markup."""
    return any(char in MARKUP.sub("", html) for char in "<>&")


@st.composite
def spaced_text(draw: st.DrawFn) -> str:
    """Words joined by assorted whitespace, with whitespace possibly at either end."""
    pieces = draw(st.lists(st.tuples(words, separators), max_size=40))
    lead = draw(st.sampled_from(["", " ", "\n"]))
    return lead + "".join(word + separator for word, separator in pieces)


def html_fragments(depth: int) -> st.SearchStrategy[str]:
    """Balanced Telegram HTML at most `depth` elements deep."""
    leaf = st.one_of(
        st.text(alphabet="abc xyz\n", min_size=1, max_size=30),
        st.sampled_from(["&amp;", "&lt;", "&#128512;", "&quot;", EMOJI]),
    )
    if depth == 0:
        return leaf
    inner = st.lists(html_fragments(depth - 1), min_size=1, max_size=4).map("".join)
    element = st.tuples(
        st.sampled_from(
            [
                "<b>|</b>",
                "<i>|</i>",
                "<u>|</u>",
                "<s>|</s>",
                "<code>|</code>",
                '<a href="https://d.io/1">|</a>',
            ]
        ),
        inner,
    ).map(lambda pair: pair[0].replace("|", pair[1]))
    return st.one_of(leaf, element)


@pytest.mark.parametrize(
    ("text", "segments"),
    [
        ("", 0),
        ("a", 1),
        ("a" * 160, 1),
        ("a" * 161, 2),
        ("a" * 306, 2),
        ("a" * 307, 3),
        (CYRILLIC * 70, 1),
        (CYRILLIC * 71, 2),
        (CYRILLIC * 134, 2),
        (CYRILLIC * 135, 3),
        ("€" * 80, 1),
        ("€" * 81, 2),
        ("a" * 152 + "€", 1),
        ("a" * 152 + "€" + "a" * 7, 2),
        ("a" * 152 + "€" + "a" * 152, 3),
        ("a" * 153 + "a" * 153, 2),
        (EMOJI * 35, 1),
        (EMOJI * 36, 2),
        (CYRILLIC * 66 + EMOJI + CYRILLIC * 66, 3),
        ("a" * 159 + CYRILLIC, 3),
    ],
    ids=lambda value: value if isinstance(value, int) else repr(value[:12]) + f"..({len(value)})",
)
def test_sms_segments(text: str, segments: int) -> None:
    assert sms_segments(text) == segments


def test_the_gsm_basic_table_has_127_characters_besides_the_escape() -> None:
    assert len(GSM7_BASIC) == len(set(GSM7_BASIC)) == 127
    assert not set(GSM7_BASIC) & set(GSM7_EXTENSION)


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        ("", "GSM-7"),
        ("Viewing at 10:30, £1,250 pcm @ 3 Elm St.", "GSM-7"),
        ("{[~]}|^\\€\f", "GSM-7"),
        ("Ça coûte", "UCS-2"),
        ("Ç è é ù ì ò Ä Ö Ñ Ü ß ¿ ¡ §", "GSM-7"),
        ("ΔΦΓΛΩΠΨΣΘΞ", "GSM-7"),
        ("smart “quotes”", "UCS-2"),
        ("ok " + EMOJI, "UCS-2"),
        ("…", "UCS-2"),
        ("`backtick`", "UCS-2"),
    ],
)
def test_sms_encoding(text: str, encoding: str) -> None:
    assert sms_encoding(text) == encoding


def test_utf16_length_counts_characters_outside_the_bmp_twice() -> None:
    assert utf16_len(EMOJI) == 2
    assert utf16_len("a" + CYRILLIC + EMOJI) == 4
    assert utf16_len("") == 0


def test_fit_sms_leaves_a_fitting_text_alone() -> None:
    assert fit_sms("a" * 306) == "a" * 306
    assert fit_sms("") == ""


def test_fit_sms_cuts_gsm_text_at_a_word_and_keeps_it_gsm() -> None:
    text = "word " * 100
    fitted = fit_sms(text, max_segments=1)
    assert fitted == "word " * 30 + "word..."
    assert sms_encoding(fitted) == "GSM-7"
    assert sms_segments(fitted) == 1


def test_fit_sms_uses_the_one_character_ellipsis_for_ucs2_text() -> None:
    fitted = fit_sms((CYRILLIC * 4 + " ") * 60, max_segments=2)
    assert fitted == (CYRILLIC * 4 + " ") * 25 + CYRILLIC * 4 + "…"
    assert utf16_len(fitted) == 130


def test_fit_sms_goes_back_to_gsm_when_the_only_unicode_is_cut_off() -> None:
    fitted = fit_sms("a" * 200 + " " + EMOJI, max_segments=1)
    assert fitted == "a" * 157 + "..."


def test_fit_sms_drops_dangling_punctuation_before_the_ellipsis() -> None:
    assert fit_sms("a" * 150 + " bc, " + "d" * 20, max_segments=1) == "a" * 150 + " bc..."


def test_fit_sms_rejects_zero_segments() -> None:
    with pytest.raises(ValueError):
        fit_sms("hello", max_segments=0)


def test_split_text_prefers_a_blank_line_then_a_newline_then_a_space() -> None:
    assert split_text("one two\n\nthree four five", 17) == ["one two", "three four five"]
    assert split_text("one two\nthree four five", 17) == ["one two", "three four five"]
    assert split_text("one two three four five", 17) == ["one two three", "four five"]


def test_split_text_hard_splits_a_word_longer_than_the_limit() -> None:
    assert split_text("ab " + "x" * 12, 5) == ["ab", "xxxxx", "xxxxx", "xx"]


def test_split_text_measures_in_utf16_units_and_keeps_emoji_whole() -> None:
    assert split_text(EMOJI * 5, 4) == [EMOJI * 2, EMOJI * 2, EMOJI]
    with pytest.raises(ValueError):
        split_text(EMOJI, 1)


def test_split_text_keeps_a_combining_accent_with_its_letter() -> None:
    assert split_text("abe\u0301cd", 3) == ["ab", "e\u0301c", "d"]


def test_split_text_does_not_break_at_a_no_break_space() -> None:
    assert split_text("£1\u00a0250 pcm", 8) == ["£1\u00a0250", "pcm"]


def test_split_text_of_blank_text_is_empty() -> None:
    assert split_text("", 10) == []
    assert split_text(" \n\n ", 10) == []


def test_split_html_closes_and_reopens_elements_open_at_the_break() -> None:
    parts = split_html('<b>Two bed flat <a href="https://d.io/9">in Leeds</a></b>', 55)
    assert parts == [
        '<b>Two bed flat <a href="https://d.io/9">in</a></b>',
        '<b><a href="https://d.io/9">Leeds</a></b>',
    ]


def test_split_html_never_cuts_an_entity() -> None:
    assert split_html("abc&amp;&amp;", 8) == ["abc&amp;", "&amp;"]


def test_split_html_does_not_leave_an_empty_element_at_either_side_of_the_break() -> None:
    assert split_html("Price:<b> £950 pcm</b>", 14) == ["Price:", "<b> £950</b>", "<b>pcm</b>"]
    assert split_html("<i>Leeds </i>LS6", 12) == ["<i>Leeds</i>", "LS6"]


def test_split_html_rejects_a_limit_smaller_than_the_markup_it_must_carry() -> None:
    with pytest.raises(ValueError):
        split_html('<a href="https://doorstep.example/listing/1">x</a>', 20)


@given(spaced_text(), st.integers(min_value=2, max_value=40))
def test_split_text_keeps_every_visible_character_in_order_within_the_limit(text: str, limit: int) -> None:
    parts = split_text(text, limit)
    assert without_space("".join(parts)) == without_space(text)
    assert all(0 < utf16_len(part) <= limit for part in parts)
    assert all(part == part.strip() for part in parts)


@given(st.text(), st.integers(min_value=2, max_value=40))
def test_split_text_handles_any_text(text: str, limit: int) -> None:
    parts = split_text(text, limit)
    assert without_space("".join(parts)) == without_space(text)
    assert all(0 < utf16_len(part) <= limit for part in parts)


@given(st.lists(html_fragments(depth=3), max_size=12).map("".join), st.integers(min_value=100, max_value=200))
def test_split_html_parts_are_balanced_whole_and_within_the_limit(html: str, limit: int) -> None:
    parts = split_html(html, limit)
    assert all(balanced(part) for part in parts)
    assert not any(has_broken_markup(part) for part in parts)
    assert all(utf16_len(part) <= limit for part in parts)
    assert without_space("".join(visible(part) for part in parts)) == without_space(visible(html))


@given(st.text(), st.text(alphabet=GSM7_BASIC + GSM7_EXTENSION, min_size=1, max_size=1))
def test_appending_a_gsm_character_never_takes_fewer_segments(text: str, char: str) -> None:
    assert sms_segments(text + char) >= sms_segments(text)


@given(gsm_text)
def test_gsm_segments_never_undercount_the_septets(text: str) -> None:
    septets = len(text) + sum(char in GSM7_EXTENSION for char in text)
    segments = sms_segments(text)
    assert segments * (160 if segments == 1 else 153) >= septets


@given(st.text(), st.integers(min_value=1, max_value=4))
def test_fit_sms_fits_and_only_shortens(text: str, max_segments: int) -> None:
    fitted = fit_sms(text, max_segments)
    assert sms_segments(fitted) <= max_segments
    if fitted != text:
        kept = fitted.removesuffix("...").removesuffix("…")
        assert text.startswith(kept)
        assert sms_encoding(fitted) == "GSM-7" or sms_encoding(text) == "UCS-2"
