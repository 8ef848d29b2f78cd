"""Shapes of non-narrative lines: titles, subheadings, captions, boilerplate, trailers."""

from __future__ import annotations

import re
from collections.abc import Sequence

from dispatch_corpus.core.cues.common import TERMINAL_PUNCTUATION
from dispatch_corpus.core.label.patterns import (
    BARE_URL,
    LINK,
    UPPER,
    LanguagePatterns,
    wiki_heading_title,
)

CLOSING_MARKS = "»”\")’'"
"""Closing quote marks and brackets that may end a title."""
_NAME_PUNCTUATION = ",()«»\"'“”"
_SENTENCE_BREAK = re.compile(rf"[.!?…]\s+[{UPPER}]")


def is_title_like(text: str, max_chars: int) -> bool:
    """Return whether a line reads as a title: short, without final sentence punctuation.

    A closing quote mark or bracket ends a title ("X на съезде «Наших»") unless sentence
    punctuation stands inside it.
    """
    if len(text) > max_chars:
        return False
    return not text.rstrip(CLOSING_MARKS).endswith(tuple(TERMINAL_PUNCTUATION))


def has_sentence_break(text: str) -> bool:
    """Return whether a text holds two sentences or more (an end mark, then a capital)."""
    return _SENTENCE_BREAK.search(text) is not None


def is_trailer_heading(text: str, pats: LanguagePatterns) -> bool:
    """Return whether a line heads the trailing apparatus ("Sources", "== Ссылки ==")."""
    title = wiki_heading_title(text)
    return pats.trailer.fullmatch(text if title is None else title) is not None


def is_boilerplate(text: str, pats: LanguagePatterns) -> bool:
    """Return whether a line is not part of the story wherever it stands.

    Boilerplate openings ("Voir aussi", "Категория:", "© …"), bare links and link titles,
    media file lines and short notes about attached video, audio or photographs.
    """
    if pats.boilerplate.match(text) or BARE_URL.fullmatch(text):
        return True
    settings = pats.settings
    # A link title is one title: text of several sentences that ends on a link is prose.
    if (
        is_title_like(text, settings.subheading_max_chars * 2)
        and LINK.search(text)
        and not has_sentence_break(text)
    ):
        return True
    # Split no further than the limit: a list of every word of a long paragraph is large.
    max_words = settings.media_note_max_words
    short = len(text.split(maxsplit=max_words)) <= max_words
    return short and pats.media_note.search(text) is not None


def is_caption(text: str, pats: LanguagePatterns) -> bool:
    """Return whether a short title-like line is an image caption.

    A caption opens with a caption cue ("Photo", "thumb|"), names people only ("X and Y"),
    names someone and then where or when ("X at the summit", "X на съезде"), or ends with
    the date the picture was taken ("X, 2018", "X, 12 février 2020").
    """
    settings = pats.settings
    if not is_title_like(text, settings.subheading_max_chars * 2):
        return False
    words = text.split()
    if len(words) > settings.caption_max_words:
        return False
    if pats.caption.match(text) or pats.caption_date.search(text):
        return True
    tokens = [w.strip(_NAME_PUNCTUATION) for w in words]
    tokens = [t for t in tokens if t]
    # Names hold no digits and one word names no pair of people: only the names-then-place shape can
    # still hold.
    if any(ch.isdigit() for t in tokens for ch in t) or len(tokens) < 2:
        return _names_then_place(tokens, pats)
    capitalised = [t for t in tokens if t[:1].isupper()]
    names_only = all(t[:1].isupper() or t.lower() in pats.name_connectors for t in tokens)
    # Two capitalised words at least ("X and Y", a first and a last name): one alone could be any
    # title word.
    return (names_only and len(capitalised) >= 2) or _names_then_place(tokens, pats)


def _names_then_place(tokens: Sequence[str], pats: LanguagePatterns) -> bool:
    if len(tokens) < 3 or not (tokens[0][:1].isupper() and tokens[1][:1].isupper()):
        return False
    index = 2
    while index < len(tokens) and tokens[index][:1].isupper():
        index += 1
    return index < len(tokens) and tokens[index].lower() in pats.caption_prepositions


def is_subheading(paragraphs: Sequence[str], i: int, pats: LanguagePatterns) -> bool:
    """Return whether a paragraph is a short heading that titles the paragraphs after it.

    A heading is a short title-like line without a comma-separated clause, followed by a
    paragraph of prose (not by another title-like line), or a wiki heading.
    """
    text = paragraphs[i]
    if i + 1 >= len(paragraphs):
        return False
    if wiki_heading_title(text) is not None:
        return not is_trailer_heading(text, pats)
    settings = pats.settings
    short = (
        is_title_like(text, settings.subheading_max_chars)
        and len(text.split()) <= settings.subheading_max_words
    )
    return (
        short
        and ", " not in text
        and not is_title_like(paragraphs[i + 1], settings.headline_max_chars)
    )
