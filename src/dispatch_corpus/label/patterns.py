"""Regexes compiled once per language from the cue tables in ``dispatch_corpus.cues``."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from dispatch_corpus.cues import (
    AGENCIES,
    CUES,
    LIST_ITEM_PATTERN,
    QUOTE_PAIRS,
    URL_PATTERN,
    LanguageCues,
)

_UPPER = "A-ZÀ-ÖØ-ÞА-ЯЁ"
_PLACE_WORD = rf"[{_UPPER}][\w'’.-]*"
_PLACE_NAME = rf"{_PLACE_WORD}(?:[ -]{_PLACE_WORD}){{0,3}}"
PLACE = rf"{_PLACE_NAME}(?:,\s*{_PLACE_NAME}){{0,3}}"
"""One or more capitalised place names separated by commas: ``PARIS``, ``Brisbane, Australia``."""
DASH = r"[-–—]"


@dataclass(frozen=True)
class LanguagePatterns:
    """Compiled regexes for one language."""

    months: dict[str, int]
    dates: tuple[re.Pattern[str], ...]
    speech: re.Pattern[str]
    source: re.Pattern[str]
    boilerplate: re.Pattern[str]
    caption: re.Pattern[str]
    agency: tuple[re.Pattern[str], ...]
    dateline_line: re.Pattern[str]
    dateline_opening: re.Pattern[str]


LIST_ITEM = re.compile(LIST_ITEM_PATTERN)
URL = re.compile(URL_PATTERN)
BARE_URL = re.compile(rf"\s*{URL_PATTERN}\s*")
AGENCY_NAME = (
    "(?-i:"
    + "|".join(
        re.escape(alias)
        for alias in sorted(
            (a for names in AGENCIES.values() for a in names), key=len, reverse=True
        )
    )
    + r")(?!\w)"
)
"""Any alias of a known agency, case-sensitive, as a whole word."""


def _alternation(words: Iterable[str]) -> str:
    items = sorted(words, key=len, reverse=True)
    return "|".join(re.escape(w) for w in items)


def _phrases(phrases: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(r"(?<!\w)(?:" + "|".join(phrases) + r")(?!\w)", re.IGNORECASE)


def _date_patterns(cues: LanguageCues) -> tuple[re.Pattern[str], ...]:
    months = _alternation(cues.months)
    weekdays = _alternation(cues.weekdays)
    weekday = rf"(?:(?:{weekdays}),?\s+)?"
    year = r"(?P<year>[0-9]{4})"
    day_month = (
        rf"{weekday}(?P<day>[0-9]{{1,2}})(?:er|st|nd|rd|th|-?го)?\s+(?P<month>{months})\.?"
        rf"(?:,?\s+{year})?{cues.year_suffix}"
    )
    month_day = (
        rf"{weekday}(?P<month>{months})\.?\s+(?P<day>[0-9]{{1,2}})(?:st|nd|rd|th)?"
        rf"(?:,?\s+{year})?"
    )
    iso = r"(?P<year>[0-9]{4})-(?P<month>[0-9]{2})-(?P<day>[0-9]{2})"
    return tuple(
        re.compile(rf"(?<!\w){p}(?!\w)", re.IGNORECASE) for p in (day_month, month_day, iso)
    )


def _dateline_patterns(cues: LanguageCues) -> tuple[re.Pattern[str], re.Pattern[str]]:
    months = _alternation(cues.months)
    weekdays = _alternation(cues.weekdays)
    date = (
        rf"(?:(?:{weekdays}),?\s+)?(?:[0-9]{{1,2}}(?:er|st|nd|rd|th)?\s+(?:{months})\.?"
        rf"|(?:{months})\.?\s+[0-9]{{1,2}}(?:st|nd|rd|th)?)(?:,?\s+[0-9]{{4}})?{cues.year_suffix}"
        r"|[0-9]{4}-[0-9]{2}-[0-9]{2}"
    )
    agency = rf"\(\s*{AGENCY_NAME}\s*\)"
    core = (
        rf"(?:(?:{PLACE}),?\s+)?(?:{date})(?:,\s*{PLACE})?(?:\s*{agency})?"
        rf"|(?:{PLACE})\s*{agency}"
    )
    line = re.compile(rf"\s*(?P<dateline>{core})\s*[.,]?\s*(?:{DASH})?\s*", re.IGNORECASE)
    opening = re.compile(
        rf"(?P<dateline>{core})(?:\s*\.?\s*{DASH}\s+|\s*:\s+|(?<=[0-9]{{4}})\s+(?=[{_UPPER}]))",
        re.IGNORECASE,
    )
    return line, opening


@cache
def patterns_for(language: str) -> LanguagePatterns:
    """Return the compiled patterns of a language (the union of all tables if unknown)."""
    cues = CUES.get(language)
    if cues is None:
        cues = LanguageCues(
            months={k: v for c in CUES.values() for k, v in c.months.items()},
            weekdays=tuple(w for c in CUES.values() for w in c.weekdays),
            year_suffix=r"",
            speech_verbs=tuple(v for c in CUES.values() for v in c.speech_verbs),
            source_phrases=tuple(v for c in CUES.values() for v in c.source_phrases),
            boilerplate_starts=tuple(v for c in CUES.values() for v in c.boilerplate_starts),
            caption_starts=tuple(v for c in CUES.values() for v in c.caption_starts),
            agency_reports=tuple(v for c in CUES.values() for v in c.agency_reports),
        )
    line, opening = _dateline_patterns(cues)
    return LanguagePatterns(
        months=dict(cues.months),
        dates=_date_patterns(cues),
        speech=_phrases(cues.speech_verbs),
        source=_phrases(cues.source_phrases),
        boilerplate=re.compile(r"\s*(?:" + "|".join(cues.boilerplate_starts) + ")", re.IGNORECASE),
        caption=re.compile(r"\s*(?:" + "|".join(cues.caption_starts) + r")\b", re.IGNORECASE),
        agency=tuple(
            re.compile(p.replace("{agency}", f"(?P<agency>{AGENCY_NAME})"), re.IGNORECASE)
            for p in cues.agency_reports
        ),
        dateline_line=line,
        dateline_opening=opening,
    )


QUOTED = re.compile(
    "|".join(
        f"{re.escape(open_)}[^{re.escape(close)}\n]*{re.escape(close)}"
        for open_, close in QUOTE_PAIRS.items()
    )
)
"""A span inside a pair of quote marks."""
