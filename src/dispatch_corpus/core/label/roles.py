"""Assign one role to each paragraph of a document (see LABELING.md).

Each role comes with the name of the rule that decided it (its evidence): the calibration
in ``dispatch_corpus.core.label.confidence`` turns that evidence into a confidence.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import NamedTuple

from dispatch_corpus.core.cues.common import DASH_QUOTE_STARTS
from dispatch_corpus.core.label.byline import is_dateline_paragraph
from dispatch_corpus.core.label.lists import is_quote_like, unmarked_list_run
from dispatch_corpus.core.label.patterns import (
    LIST_ITEM,
    LanguagePatterns,
    patterns_for,
    wiki_heading_title,
)
from dispatch_corpus.core.label.shapes import (
    has_sentence_break,
    is_boilerplate,
    is_caption,
    is_subheading,
    is_title_like,
    is_trailer_heading,
)
from dispatch_corpus.core.label.speech import (
    SpeechProfile,
    opens_with_speech_cue,
    profile_speech,
    speech_intro_start,
)
from dispatch_corpus.models import Role
from dispatch_corpus.settings import DEFAULT_LABELER, LabelerSettings

_WHITE_SPACE_RUN = re.compile(r"\s+")
# Roles that frame the story rather than tell it: a quotation does not run on across them.
_FRAMING = frozenset({Role.HEADLINE, Role.DATELINE, Role.BOILERPLATE, Role.SUBHEADING})


class Labeled(NamedTuple):
    """The role of one paragraph and the rule that decided it.

    Attributes:
        role: The paragraph's role.
        evidence: Name of the deciding rule, ``<role>.<rule>`` (e.g. ``body.no_speech``);
            the key of the confidence calibration.
    """

    role: Role
    evidence: str


def label_roles(
    paragraphs: Sequence[str],
    language: str,
    title: str | None = None,
    *,
    settings: LabelerSettings = DEFAULT_LABELER,
) -> list[Role]:
    """Label every paragraph of one document with its role.

    Args:
        paragraphs: The document's trimmed paragraphs, in order.
        language: ISO 639-1 code selecting the cue table.
        title: The title from metadata, if any; a first paragraph equal to it is the headline.
        settings: The labeler's thresholds.

    Returns:
        One role per paragraph. Exactly one paragraph is the lead unless every paragraph is
        a headline, dateline, boilerplate or list item.
    """
    labeled = label_paragraphs(paragraphs, language, title, settings=settings)
    return [item.role for item in labeled]


def label_paragraphs(
    paragraphs: Sequence[str],
    language: str,
    title: str | None = None,
    *,
    settings: LabelerSettings = DEFAULT_LABELER,
) -> list[Labeled]:
    """Label every paragraph with its role and the evidence for it.

    Args:
        paragraphs: The document's trimmed paragraphs, in order.
        language: ISO 639-1 code selecting the cue table.
        title: The title from metadata, if any; a first paragraph equal to it is the headline.
        settings: The labeler's thresholds, passed down with the language's patterns to
            every rule that reads one.

    Returns:
        One labeled role per paragraph (see ``label_roles``).
    """
    pats = patterns_for(language, settings)
    n = len(paragraphs)
    roles: list[Labeled | None] = [None] * n
    # Apparatus first: boilerplate and marked list items are found wherever they stand, so the
    # search for the headline and the lead passes over them.
    _mark_apparatus(paragraphs, roles, pats)
    start = 0
    # A one-paragraph document has no headline: more paragraphs follow a headline (LABELING.md), so
    # its only paragraph is the lead.
    if n > 1 and roles[0] is None:
        headline = _headline_evidence(paragraphs[0], title, language, settings)
        if headline is not None:
            roles[0] = Labeled(Role.HEADLINE, headline)
            start = 1
    # Before the lead only framing lines stand (a dateline, a heading over it, a title or caption):
    # the first paragraph that is none of them is the lead, and the search stops there.
    lead = n
    for i in range(start, n):
        if roles[i] is not None:
            continue
        text = paragraphs[i]
        if is_dateline_paragraph(text, language, settings):
            roles[i] = Labeled(Role.DATELINE, "dateline.line")
        elif i + 1 < n and _heads_the_lead(paragraphs, i, settings):
            roles[i] = Labeled(Role.SUBHEADING, "subheading.before_lead")
        elif i + 1 < n and _is_title_before_lead(text, pats):
            roles[i] = Labeled(Role.BOILERPLATE, "boilerplate.before_lead")
        else:
            roles[i] = Labeled(Role.LEAD, "lead.first_content")
            lead = i
            break
    # Lists before content: a line ending in ":" is a list intro only when items follow, which
    # _label_content reads from the roles set here.
    _mark_unmarked_lists(paragraphs, roles, lead, settings)
    _label_content(paragraphs, roles, lead, pats)
    return [item if item is not None else Labeled(Role.BODY, "body.default") for item in roles]


def _mark_apparatus(
    paragraphs: Sequence[str], roles: list[Labeled | None], pats: LanguagePatterns
) -> None:
    """Mark list items, boilerplate lines and everything after a trailer heading."""
    trailer = False
    for i, text in enumerate(paragraphs):
        # Not the first paragraph: a trailer heading there would make the whole document
        # boilerplate.
        heading = i > 0 and is_trailer_heading(text, pats)
        trailer = trailer or heading
        if trailer:
            roles[i] = Labeled(Role.BOILERPLATE, "boilerplate.trailer")
        elif is_boilerplate(text, pats):
            roles[i] = Labeled(Role.BOILERPLATE, "boilerplate.pattern")
        elif _is_list_item(paragraphs, i):
            roles[i] = Labeled(Role.LIST_ITEM, "list_item.marker")
    _mark_trailing_titles(paragraphs, roles, pats)


def _mark_trailing_titles(
    paragraphs: Sequence[str], roles: list[Labeled | None], pats: LanguagePatterns
) -> None:
    """Mark the titles and captions closing an article with no text under them.

    A gallery or media title at the end ("Galerie", "Photos of the match") and the captions
    after it are boilerplate: a subheading needs body paragraphs after it (LABELING.md).
    """
    i = len(paragraphs)
    tail: list[int] = []
    # The first two paragraphs (a headline and a lead at most) are never closing apparatus.
    while i > 2:
        labeled = roles[i - 1]
        if labeled is None and _is_closing_title(paragraphs[i - 1], pats):
            tail.append(i - 1)
        elif labeled is None or labeled.role is not Role.BOILERPLATE:
            break
        i -= 1
    # Only a run holding two lines or a wiki heading is apparatus: one last line without
    # final punctuation may be the story's closing line.
    if len(tail) >= 2 or any(wiki_heading_title(paragraphs[j]) is not None for j in tail):
        for j in tail:
            roles[j] = Labeled(Role.BOILERPLATE, "boilerplate.closing_titles")


def _is_closing_title(text: str, pats: LanguagePatterns) -> bool:
    max_words = pats.settings.subheading_max_words
    short = len(text.split(maxsplit=max_words)) <= max_words
    return short and (
        is_title_like(text, pats.settings.headline_max_chars) or is_caption(text, pats)
    )


def _is_title_before_lead(text: str, pats: LanguagePatterns) -> bool:
    """A caption or title line before the lead (not sentences ending on a link or a name)."""
    if is_caption(text, pats):
        return True
    return is_title_like(text, pats.settings.headline_max_chars) and not has_sentence_break(text)


def _heads_the_lead(paragraphs: Sequence[str], i: int, settings: LabelerSettings) -> bool:
    """Whether a line before the lead is a heading over it (a short question, a wiki title)."""
    text = paragraphs[i]
    if wiki_heading_title(text) is not None:
        return True
    max_words = settings.subheading_max_words
    short = len(text.split(maxsplit=max_words)) <= max_words
    return (
        short
        and text.endswith("?")
        and len(text) <= settings.headline_max_chars
        and not is_title_like(paragraphs[i + 1], settings.headline_max_chars)
    )


def _mark_unmarked_lists(
    paragraphs: Sequence[str], roles: list[Labeled | None], lead: int, settings: LabelerSettings
) -> None:
    """Mark runs of parallel paragraphs after a line ending in ``:`` as a list."""
    free = [role is None for role in roles]
    i = lead
    while i < len(paragraphs):
        intro = roles[i]
        # The lead may introduce a list and stays the lead (LABELING.md); a paragraph with any other
        # role introduces none.
        if intro is not None and intro.role is not Role.LEAD:
            i += 1
            continue
        run = unmarked_list_run(paragraphs, i, free, settings)
        if not run:
            i += 1
            continue
        if intro is None:
            roles[i] = Labeled(Role.LIST_INTRO, "list_intro.parallel")
        for j in range(i + 1, i + 1 + run):
            roles[j] = Labeled(Role.LIST_ITEM, "list_item.parallel")
            free[j] = False
        # An item introduces no list of its own: go on after the run.
        i += run + 1


def _label_content(
    paragraphs: Sequence[str], roles: list[Labeled | None], lead: int, pats: LanguagePatterns
) -> None:
    """Label the paragraphs after the lead, carrying open quotations from one to the next."""
    n = len(paragraphs)
    inside_quote = False
    introduced = False
    for i in range(lead, n):
        text = paragraphs[i]
        following = roles[i + 1] if i + 1 < n else None
        # A paragraph announced by the one before is that speaker's words: a statement, never a
        # caption or a heading.
        if roles[i] is None and not introduced:
            if text.endswith(":") and following is not None and following.role is Role.LIST_ITEM:
                roles[i] = Labeled(Role.LIST_INTRO, "list_intro.marker")
            # Not the last paragraph: a caption stands over other text, while a short last line may
            # close the story (see _mark_trailing_titles).
            elif is_caption(text, pats) and i + 1 < n:
                roles[i] = Labeled(Role.BOILERPLATE, "boilerplate.caption")
            elif is_subheading(paragraphs, i, pats):
                evidence = "wiki" if wiki_heading_title(text) is not None else "short"
                roles[i] = Labeled(Role.SUBHEADING, f"subheading.{evidence}")
        current = roles[i]
        if current is not None and (
            current.role in _FRAMING or current.role in (Role.LIST_INTRO, Role.LIST_ITEM)
        ):
            inside_quote = introduced = False
            continue
        profile = profile_speech(text, pats, starts_inside_quote=inside_quote)
        introduces = False
        # Only when the next paragraph has no role yet: a list intro's items are labeled already.
        # The lead ending in ":" counts too, for what its colon announces.
        colon = text.endswith(":") and following is None and (current is None or i == lead)
        if colon:
            after = paragraphs[i + 1] if i + 1 < n else None
            decided, introduces = _colon_ending(text, after, profile, pats)
            # The lead keeps its role (LABELING.md): only its effect on the next paragraph counts.
            roles[i] = roles[i] or decided
        elif current is None:
            roles[i] = (
                Labeled(Role.STATEMENT, "statement.introduced")
                if introduced
                else _by_speech(text, profile, pats.settings)
            )
        inside_quote = profile.ends_inside_quote
        introduced = introduces


def _colon_ending(
    text: str, after: str | None, profile: SpeechProfile, pats: LanguagePatterns
) -> tuple[Labeled, bool]:
    """The role of a paragraph ending in ``:`` that introduces no list.

    It is a statement when a quotation follows or when it is mostly the introduction of
    someone's words ("В ГИБДД Москвы сообщили:", "Le président a déclaré :"). A fact that
    ends by announcing words that never came ("…, тогда Новикова сообщила:") keeps its
    content role, and so does a line whose announced content was lost: the paragraph after
    it then speaks for itself (it credits its own speaker, or is another such line).

    Returns:
        The role, and whether the next paragraph is the words it introduces.
    """
    settings = pats.settings
    if after is not None and (
        is_quote_like(after, settings)
        or pats.first_person.search(after, 0, settings.first_person_window_chars)
    ):
        return Labeled(Role.STATEMENT, "statement.before_quote"), True
    intro = speech_intro_start(text, pats)
    if intro is not None:
        if len(text) - intro >= settings.intro_dominates_share * len(text):
            return Labeled(Role.STATEMENT, "statement.speech_intro"), after is not None
        before = text[:intro].rstrip()
        return _by_speech(before, profile_speech(before, pats), settings), False
    if after is None or after.endswith(":") or opens_with_speech_cue(after, pats):
        return _by_speech(text, profile, settings), False
    return Labeled(Role.STATEMENT, "statement.before_content"), True


def _by_speech(text: str, profile: SpeechProfile, settings: LabelerSettings) -> Labeled:
    """Statement or body, by how much of the paragraph is attributed speech."""
    # A dialogue dash marks quoted words whatever the speech share (LABELING.md: opens with a dash
    # quote).
    if text.startswith(DASH_QUOTE_STARTS):
        return Labeled(Role.STATEMENT, "statement.dash")
    if profile.share >= settings.high_speech_share:
        return Labeled(Role.STATEMENT, "statement.mostly_speech")
    if profile.share >= settings.statement_speech_share:
        return Labeled(Role.STATEMENT, "statement.half_speech")
    if profile.opens_with_speech and profile.share >= settings.statement_opening_share:
        return Labeled(Role.STATEMENT, "statement.opens_with_speech")
    if profile.share == 0.0:
        return Labeled(Role.BODY, "body.no_speech")
    if profile.share < settings.low_speech_share:
        return Labeled(Role.BODY, "body.little_speech")
    return Labeled(Role.BODY, "body.some_speech")


def _is_list_item(paragraphs: Sequence[str], i: int) -> bool:
    text = paragraphs[i]
    if LIST_ITEM.match(text) is None:
        return False
    if not text.startswith(DASH_QUOTE_STARTS):
        return True
    # A dash opens a list item and a line of dialogue alike: it is an item only beside another item
    # or after a line ending in ":".
    neighbours = (paragraphs[j] for j in (i - 1, i + 1) if 0 <= j < len(paragraphs))
    return any(LIST_ITEM.match(p) or p.endswith(":") for p in neighbours)


def _headline_evidence(
    text: str, title: str | None, language: str, settings: LabelerSettings
) -> str | None:
    if title is not None and _squeezed(title) == _squeezed(text):
        return "headline.title"
    # A first line that is only a date or place is a dateline, not a title.
    if is_dateline_paragraph(text, language, settings) or len(text) > settings.headline_max_chars:
        return None
    return None if text.endswith(".") else "headline.shape"


def _squeezed(text: str) -> str:
    """``" ".join(text.split())`` without a list of every word of a long paragraph."""
    return _WHITE_SPACE_RUN.sub(" ", text.strip())
