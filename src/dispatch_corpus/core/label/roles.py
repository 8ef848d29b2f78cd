"""Assign one role to each paragraph of a document (see LABELING.md)."""

from __future__ import annotations

import re
from collections.abc import Sequence

from dispatch_corpus.core.cues import (
    DASH_QUOTE_STARTS,
    HEADLINE_MAX_CHARS,
    STATEMENT_OPENING_SHARE,
    STATEMENT_SPEECH_SHARE,
)
from dispatch_corpus.core.label.byline import is_dateline_paragraph
from dispatch_corpus.core.label.patterns import LIST_ITEM, LanguagePatterns, patterns_for
from dispatch_corpus.core.label.shapes import (
    is_boilerplate,
    is_caption,
    is_subheading,
    is_title_like,
    is_trailer_heading,
)
from dispatch_corpus.core.label.speech import SpeechProfile, profile_speech
from dispatch_corpus.models import Role

_WHITE_SPACE_RUN = re.compile(r"\s+")
_FRAMING = frozenset({Role.HEADLINE, Role.DATELINE, Role.BOILERPLATE, Role.SUBHEADING})


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
    _mark_apparatus(paragraphs, roles, pats)
    start = 0
    if n > 1 and roles[0] is None and _is_headline(paragraphs[0], title, language):
        roles[0] = Role.HEADLINE
        start = 1
    lead = n
    for i in range(start, n):
        if roles[i] is not None:
            continue
        if is_dateline_paragraph(paragraphs[i], language):
            roles[i] = Role.DATELINE
        elif i + 1 < n and (
            is_title_like(paragraphs[i], HEADLINE_MAX_CHARS) or is_caption(paragraphs[i], pats)
        ):
            roles[i] = Role.BOILERPLATE
        else:
            roles[i] = Role.LEAD
            lead = i
            break
    _label_content(paragraphs, roles, lead, pats)
    return [role if role is not None else Role.BODY for role in roles]


def _mark_apparatus(
    paragraphs: Sequence[str], roles: list[Role | None], pats: LanguagePatterns
) -> None:
    """Mark list items, boilerplate lines and everything after a trailer heading."""
    trailer = False
    for i, text in enumerate(paragraphs):
        trailer = trailer or (i > 0 and is_trailer_heading(text, pats))
        if trailer or is_boilerplate(text, pats):
            roles[i] = Role.BOILERPLATE
        elif _is_list_item(paragraphs, i):
            roles[i] = Role.LIST_ITEM


def _label_content(
    paragraphs: Sequence[str], roles: list[Role | None], lead: int, pats: LanguagePatterns
) -> None:
    """Label the paragraphs after the lead, carrying open quotations from one to the next."""
    n = len(paragraphs)
    inside_quote = False
    introduced = False
    for i in range(lead, n):
        text = paragraphs[i]
        following = roles[i + 1] if i + 1 < n else None
        if roles[i] is None and not introduced:
            if text.endswith(":") and following is Role.LIST_ITEM:
                roles[i] = Role.LIST_INTRO
            elif is_caption(text, pats) and i + 1 < n:
                roles[i] = Role.BOILERPLATE
            elif is_subheading(paragraphs, i, pats):
                roles[i] = Role.SUBHEADING
        if roles[i] in _FRAMING or roles[i] in (Role.LIST_INTRO, Role.LIST_ITEM):
            inside_quote = introduced = False
            continue
        profile = profile_speech(text, pats, starts_inside_quote=inside_quote)
        if roles[i] is None:
            introduces = text.endswith(":") and i + 1 < n and following is None
            statement = introduced or introduces or _is_statement(text, profile)
            roles[i] = Role.STATEMENT if statement else Role.BODY
        inside_quote = profile.ends_inside_quote
        introduced = text.endswith(":") and following is None


def _is_statement(text: str, profile: SpeechProfile) -> bool:
    """Whether attributed speech dominates a paragraph (or opens it and weighs enough)."""
    if text.startswith(DASH_QUOTE_STARTS):
        return True
    if profile.share >= STATEMENT_SPEECH_SHARE:
        return True
    return profile.opens_with_speech and profile.share >= STATEMENT_OPENING_SHARE


def _is_list_item(paragraphs: Sequence[str], i: int) -> bool:
    text = paragraphs[i]
    if LIST_ITEM.match(text) is None:
        return False
    if not text.startswith(DASH_QUOTE_STARTS):
        return True
    neighbours = (paragraphs[j] for j in (i - 1, i + 1) if 0 <= j < len(paragraphs))
    return any(LIST_ITEM.match(p) or p.endswith(":") for p in neighbours)


def _is_headline(text: str, title: str | None, language: str) -> bool:
    if title is not None and _squeezed(title) == _squeezed(text):
        return True
    if is_dateline_paragraph(text, language) or len(text) > HEADLINE_MAX_CHARS:
        return False
    return not text.endswith(".")


def _squeezed(text: str) -> str:
    """``" ".join(text.split())`` without a list of every word of a long paragraph."""
    return _WHITE_SPACE_RUN.sub(" ", text.strip())
