"""Assign one role to each paragraph of a document (see LABELING.md)."""

from __future__ import annotations

from collections.abc import Sequence

from dispatch_corpus.cues import (
    CAPTION_MAX_WORDS,
    DASH_QUOTE_STARTS,
    HEADLINE_MAX_CHARS,
    QUOTE_PAIRS,
    STATEMENT_QUOTE_SHARE,
    SUBHEADING_MAX_CHARS,
    SUBHEADING_MAX_WORDS,
    TERMINAL_PUNCTUATION,
)
from dispatch_corpus.label.fields import is_dateline_paragraph
from dispatch_corpus.label.patterns import (
    BARE_URL,
    LIST_ITEM,
    QUOTED,
    LanguagePatterns,
    patterns_for,
)
from dispatch_corpus.models import Role


def label_roles(paragraphs: Sequence[str], language: str, title: str | None = None) -> list[Role]:
    """Label every paragraph of one document with its role.

    Args:
        paragraphs: The document's trimmed paragraphs, in order.
        language: ISO 639-1 code selecting the cue table.
        title: The title from metadata, if any; a first paragraph equal to it is the headline.

    Returns:
        One role per paragraph. Exactly one paragraph is the lead unless every paragraph is
        a headline, dateline, boilerplate or list item.
    """
    pats = patterns_for(language)
    n = len(paragraphs)
    roles: list[Role | None] = [None] * n
    for i, text in enumerate(paragraphs):
        if _is_list_item(paragraphs, i):
            roles[i] = Role.LIST_ITEM
        elif _is_boilerplate(text, pats):
            roles[i] = Role.BOILERPLATE
    start = 0
    if n > 1 and roles[0] is None and _is_headline(paragraphs[0], title, language):
        roles[0] = Role.HEADLINE
        start = 1
    lead = None
    for i in range(start, n):
        if roles[i] is not None:
            continue
        if is_dateline_paragraph(paragraphs[i], language):
            roles[i] = Role.DATELINE
        elif _is_caption(paragraphs, i, pats):
            roles[i] = Role.BOILERPLATE
        else:
            roles[i] = Role.LEAD
            lead = i
            break
    if lead is None:
        lead = n
    for i in range(lead + 1, n):
        if roles[i] is not None:
            continue
        roles[i] = _content_role(paragraphs, roles, i, pats)
    return [role if role is not None else Role.BODY for role in roles]


def _content_role(
    paragraphs: Sequence[str], roles: Sequence[Role | None], i: int, pats: LanguagePatterns
) -> Role:
    text = paragraphs[i]
    following = roles[i + 1] if i + 1 < len(roles) else None
    if text.endswith(":") and following is Role.LIST_ITEM:
        return Role.LIST_INTRO
    if _is_caption(paragraphs, i, pats):
        return Role.BOILERPLATE
    if _is_subheading(paragraphs, i):
        return Role.SUBHEADING
    if is_statement(text, pats):
        return Role.STATEMENT
    return Role.BODY


def is_statement(text: str, pats: LanguagePatterns) -> bool:
    """Return whether attributed speech dominates a paragraph.

    Args:
        text: One paragraph.
        pats: Compiled cue patterns of the document's language.

    Returns:
        True when the paragraph opens with a quote, is mostly quoted, or reports speech
        of a source other than a news outlet or a document.
    """
    if text.startswith(tuple(QUOTE_PAIRS)) or text.startswith(DASH_QUOTE_STARTS):
        return True
    if quote_share(text) >= STATEMENT_QUOTE_SHARE:
        return True
    speech = pats.speech.search(text)
    return speech is not None and pats.source.search(text) is None


def quote_share(text: str) -> float:
    """Return the share of a paragraph's characters that stand inside quote marks."""
    if not text:
        return 0.0
    return sum(len(m.group()) for m in QUOTED.finditer(text)) / len(text)


def _is_list_item(paragraphs: Sequence[str], i: int) -> bool:
    text = paragraphs[i]
    if LIST_ITEM.match(text) is None:
        return False
    if not text.startswith(DASH_QUOTE_STARTS):
        return True
    neighbours = (paragraphs[j] for j in (i - 1, i + 1) if 0 <= j < len(paragraphs))
    return any(LIST_ITEM.match(p) or p.endswith(":") for p in neighbours)


def _is_boilerplate(text: str, pats: LanguagePatterns) -> bool:
    return pats.boilerplate.match(text) is not None or BARE_URL.fullmatch(text) is not None


def _is_title_like(text: str, max_chars: int) -> bool:
    return len(text) <= max_chars and not text.endswith(tuple(TERMINAL_PUNCTUATION))


def _is_headline(text: str, title: str | None, language: str) -> bool:
    if title is not None and " ".join(title.split()) == " ".join(text.split()):
        return True
    if is_dateline_paragraph(text, language) or len(text) > HEADLINE_MAX_CHARS:
        return False
    return not text.endswith(".")


def _is_caption(paragraphs: Sequence[str], i: int, pats: LanguagePatterns) -> bool:
    text = paragraphs[i]
    words = text.split()
    if len(words) > CAPTION_MAX_WORDS or text.endswith(tuple(TERMINAL_PUNCTUATION)):
        return False
    if pats.caption.match(text):
        return True
    return 2 <= len(words) <= 4 and all(w[:1].isupper() for w in words)


def _is_subheading(paragraphs: Sequence[str], i: int) -> bool:
    text = paragraphs[i]
    if i + 1 >= len(paragraphs) or not _is_title_like(text, SUBHEADING_MAX_CHARS):
        return False
    return len(text.split()) <= SUBHEADING_MAX_WORDS
