"""Lists without markers: a run of parallel paragraphs after a line that announces them."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from dispatch_corpus.core.cues.common import QUOTE_PAIRS, TERMINAL_PUNCTUATION
from dispatch_corpus.settings import LabelerSettings

_QUOTE_OPENINGS = (*QUOTE_PAIRS, "''", "— ", "– ", "- ")
_COLON_THEN_QUOTE = re.compile(r":\s*(?:" + "|".join(map(re.escape, _QUOTE_OPENINGS)) + ")")
_CONTINUING_ENDS = (";", ",")
"""Endings of every item but the last in a list punctuated as one sentence ("…;" "…;" "….")."""


def _ends_continuing(text: str, settings: LabelerSettings) -> bool:
    return text.endswith(_CONTINUING_ENDS)


def _ends_question(text: str, settings: LabelerSettings) -> bool:
    return text.endswith("?")


def _starts_lower(text: str, settings: LabelerSettings) -> bool:
    return text[:1].islower()


def _term_then_colon(text: str, settings: LabelerSettings) -> bool:
    """A term, a colon, then its explanation ("Wikipédia n'est que … : de nombreuses …")."""
    colon = text.find(":", 0, settings.list_term_colon_within)
    return 0 < colon < len(text) - 1


def _short_title(text: str, settings: LabelerSettings) -> bool:
    """A short line without sentence punctuation at its end ("Paris", "Un stand au salon")."""
    max_words = settings.subheading_max_words
    return len(text.split(maxsplit=max_words)) <= max_words and not text.endswith(
        tuple(TERMINAL_PUNCTUATION)
    )


_SHAPES: tuple[tuple[Callable[[str, LabelerSettings], bool], bool], ...] = (
    (_ends_continuing, True),
    (_ends_question, False),
    (_starts_lower, False),
    (_term_then_colon, False),
    (_short_title, False),
)
"""Shapes items of one list share, and whether the last item may end with a period instead.

Each takes the labeler's settings, whether or not it has a threshold to read."""


def is_quote_like(text: str, settings: LabelerSettings) -> bool:
    """Whether a paragraph opens as quoted words: a quote mark, a dialogue dash, ``Name: "…"``.

    Args:
        text: One trimmed paragraph.
        settings: The labeler's thresholds (``list_term_colon_within``).

    Returns:
        True when the paragraph opens a quotation or is a transcript line.
    """
    if text.startswith(_QUOTE_OPENINGS):
        return True
    colon = text.find(":", 0, settings.list_term_colon_within)
    if colon <= 0 or _COLON_THEN_QUOTE.match(text, colon) is None:
        return False
    # A transcript line is headed by a name or title ("Secretary James Roche:"), mostly
    # capitalised words without a clause; a sentence before the colon credits its own speaker.
    head = text[:colon].split()
    capitalised = sum(1 for word in head if word[:1].isupper())
    return "," not in text[:colon] and 2 * capitalised >= len(head)


def unmarked_list_run(
    paragraphs: Sequence[str], intro: int, free: Sequence[bool], settings: LabelerSettings
) -> int:
    """Count the list items without markers that follow a line ending in ``:``.

    Items are consecutive paragraphs of one shape (all ending in ``;`` or ``,`` but the last,
    all questions, all opening in lower case, all a term and a colon, or all short lines
    without final punctuation), none a quotation, none longer than a paragraph of prose.
    Fewer than ``settings.list_item_min_run`` such paragraphs are no list: one paragraph after a
    colon is what the colon introduces, a quotation or an example.

    Args:
        paragraphs: The document's paragraphs.
        intro: Index of the paragraph that ends with ``:``.
        free: Per paragraph, whether no earlier rule gave it a role.
        settings: The labeler's thresholds (the ``list_*`` ones, ``subheading_max_words``).

    Returns:
        The number of items after ``intro`` (0 when they are no list).
    """
    if not paragraphs[intro].endswith(":"):
        return 0
    # The shapes are followed together, paragraph by paragraph, and the scan stops as soon as
    # every shape has ended: collecting every paragraph up to the next break first made a
    # document of many colon lines quadratic (4,000 "Le point:" lines took 3 s).
    runs = [0] * len(_SHAPES)
    going = [True] * len(_SHAPES)
    candidates: list[str] = []
    for j in range(intro + 1, len(paragraphs)):
        text = paragraphs[j]
        if not free[j] or len(text) > settings.list_item_max_chars or is_quote_like(text, settings):
            break
        candidates.append(text)
        for s, (shape, last_may_end) in enumerate(_SHAPES):
            if not going[s]:
                continue
            if shape(text, settings):
                runs[s] += 1
                continue
            going[s] = False
            # A list punctuated as one sentence ends on a period: that item is its last.
            k = len(candidates) - 1
            # Only when it opens as the items do: a capitalised sentence after items in lower case
            # is the text going on, not the list's last item.
            if last_may_end and runs[s] and text.endswith(".") and _same_opening(candidates, k):
                runs[s] += 1
        if not any(going):
            break
    best = max(runs)
    return best if best >= settings.list_item_min_run else 0


def _same_opening(items: Sequence[str], k: int) -> bool:
    """Whether item ``k`` opens like the items before it (same case of its first letter)."""
    return all(items[k][:1].islower() == item[:1].islower() for item in items[:k])
