"""Document fields found in the text: dateline, publication date, news agency."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from dispatch_corpus.core.cues.common import AGENCIES
from dispatch_corpus.core.label.patterns import patterns_for
from dispatch_corpus.settings import LabelerSettings

_CANONICAL_AGENCY = {alias: name for name, aliases in AGENCIES.items() for alias in aliases}
# What separates a dateline from the lead ("PARIS, 12 mars (AFP) - ", "29 mai 2012. - "): not part
# of the dateline.
_TRAILING = " \t.,:;-–—"


@dataclass(frozen=True)
class Dateline:
    """A dateline found in a paragraph: its text and its span inside that paragraph."""

    text: str
    start: int
    end: int


def is_dateline_paragraph(paragraph: str, language: str, settings: LabelerSettings) -> bool:
    """Return whether a paragraph is only a date and/or place and agency.

    Args:
        paragraph: One trimmed paragraph.
        language: ISO 639-1 code selecting the cue table.
        settings: The labeler's thresholds (``dateline_max_chars``).

    Returns:
        True for lines like ``Tuesday, September 22, 2015`` or ``BAKOU, 20 septembre (APA)``.
    """
    if len(paragraph) > settings.dateline_max_chars:
        return False
    return patterns_for(language, settings).dateline_line.fullmatch(paragraph) is not None


def find_dateline(paragraph: str, language: str, settings: LabelerSettings) -> Dateline | None:
    """Find a dateline that is the whole paragraph or opens it.

    Args:
        paragraph: One trimmed paragraph (a dateline line or a lead).
        language: ISO 639-1 code selecting the cue table.
        settings: The labeler's thresholds (``dateline_max_chars``).

    Returns:
        The dateline without its trailing separator, or None.
    """
    pats = patterns_for(language, settings)
    # A paragraph longer than any dateline is a lead: only its opening can be one.
    whole_line = len(paragraph) <= settings.dateline_max_chars
    match = pats.dateline_line.fullmatch(paragraph) if whole_line else None
    if match is None:
        match = pats.dateline_opening.match(paragraph)
    if match is None:
        return None
    group = "dateline" if match.group("dateline") is not None else "fulldate"
    start = match.start(group)
    text = match.group(group).rstrip(_TRAILING)
    if not text:
        return None
    return Dateline(text=text, start=start, end=start + len(text))


def parse_date(text: str, language: str, *, whole: bool = False) -> date | None:
    """Parse the first complete date (day, month name or number, year) in a text.

    Args:
        text: Text holding a date such as ``29 mai 2012``, ``September 22, 2015``,
            ``29 апреля 2016 года`` or ``2012-05-29``.
        language: ISO 639-1 code selecting month names.
        whole: Require the date to be the whole text (surrounding whitespace allowed).

    Returns:
        The date, or None when there is no complete, valid date.
    """
    pats = patterns_for(language)
    for pattern in pats.dates:
        match = pattern.fullmatch(text.strip()) if whole else pattern.search(text)
        # A date without a year ("12 mars") gives no publication date.
        if match is None or match.group("year") is None:
            continue
        month_text = match.group("month").lower()
        month = int(month_text) if month_text.isdigit() else pats.months.get(month_text)
        if month is None:
            continue
        try:
            return date(int(match.group("year")), month, int(match.group("day")))
        # A day the month does not have ("31 février"): no date; try the next pattern.
        except ValueError:
            continue
    return None


def detect_agency(paragraphs: Sequence[str], language: str) -> str | None:
    """Detect the news agency credited by attribution in the given paragraphs.

    Args:
        paragraphs: The paragraphs where a wire credit may stand (dateline, lead, last one).
        language: ISO 639-1 code selecting the attribution phrases.

    Returns:
        The canonical agency name (``AFP``, ``TASS``…) or None.
    """
    pats = patterns_for(language)
    for paragraph in paragraphs:
        for pattern in pats.agency:
            match = pattern.search(paragraph)
            if match is not None:
                return _CANONICAL_AGENCY.get(match.group("agency"))
    return None


def normalize_agency(name: str) -> str:
    """Return the canonical name of an agency given any of its aliases (else the name)."""
    stripped = re.sub(r"\s+", " ", name).strip()
    return _CANONICAL_AGENCY.get(stripped, stripped)
