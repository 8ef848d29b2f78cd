"""Regexes compiled once per language from the cue tables in ``dispatch_corpus.core.cues``.

``patterns_for`` hands them out with the labeler's settings: every rule that receives a
language's patterns reads its thresholds from them.
"""

from __future__ import annotations

import re
import sys
from array import array
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, fields, replace
from functools import cache
from itertools import pairwise

from dispatch_corpus.core.cues import CUES
from dispatch_corpus.core.cues.common import AGENCIES, MEDIA_NAME_HEADS, LanguageCues
from dispatch_corpus.core.text.split import LIST_ITEM_PATTERN
from dispatch_corpus.settings import DEFAULT_LABELER, LabelerSettings

URL_PATTERN = r"(?:https?://|www\.)[^\s]+"
"""A web address written out: from its scheme or ``www.`` to the next white space."""
DOMAIN_PATTERN = r"[\w-]+\.(?:com|org|net|info|ru|fr|uk|de|io|tv)(?!\w)"
"""A web site named by its domain (a media source, not a speaker)."""

# The ranges skip U+00D7 (×) between Ö and Ø, and add Ё, which lies outside А-Я.
UPPER = "A-ZÀ-ÖØ-ÞА-ЯЁ"
"""Uppercase letters of the supported scripts, for use inside a character class."""
# A case-sensitive capital even inside the case-insensitive dateline patterns: a place name is
# capitalised.
_PLACE_WORD = rf"(?-i:[{UPPER}])[\w'’.-]*"
# Words are joined by spaces only: a word takes hyphens itself ("Saint-Denis"), and letting
# a hyphen also join two words made a run like "A-A-A-A" parse in polynomially many ways.
_PLACE_NAME = rf"{_PLACE_WORD}(?: {_PLACE_WORD}){{0,3}}"
PLACE = rf"{_PLACE_NAME}(?:,\s*{_PLACE_NAME}){{0,3}}"
"""One or more capitalised place names separated by commas: ``PARIS``, ``Brisbane, Australia``."""
_CAPS_PLACE = rf"(?-i:[{UPPER}]{{2,}}(?:[ -][{UPPER}]{{2,}}){{0,2}})"
"""A place written in capitals, as wire datelines do: ``PARIS``, ``NEW YORK``."""
DASH = r"[-–—]"
_QUANTIFIERS = frozenset("?*+{")
_FACTORABLE = frozenset(
    " 0123456789abcdefghijklmnopqrstuvwxyz"
    + "".join(map(chr, [*range(0xDF, 0xF7), *range(0xF8, 0x100), *range(0x430, 0x450), 0x451]))
)
"""Lowercase characters that ignore case alone makes equal (no "ſ", "ı", "ᲀ" variants):
a character matches at most one of them, so alternatives led by different ones commute."""


@dataclass(frozen=True)
class LanguagePatterns:
    """Compiled regexes for one language, and the labeler settings the rules read with them."""

    months: dict[str, int]
    dates: tuple[re.Pattern[str], ...]
    speech: re.Pattern[str]
    bare_speech: re.Pattern[str]
    claim: re.Pattern[str]
    speech_noun: re.Pattern[str]
    attribution: re.Pattern[str]
    any_speech_cue: re.Pattern[str]
    complement: re.Pattern[str]
    negation: re.Pattern[str]
    determiner: re.Pattern[str] | None
    object_start: re.Pattern[str] | None
    pronoun: re.Pattern[str]
    first_person: re.Pattern[str]
    source: re.Pattern[str]
    speaker: re.Pattern[str]
    clause_break: re.Pattern[str]
    abbreviations: frozenset[str]
    boilerplate: re.Pattern[str]
    trailer: re.Pattern[str]
    caption: re.Pattern[str]
    caption_date: re.Pattern[str]
    media_note: re.Pattern[str]
    name_connectors: frozenset[str]
    caption_prepositions: frozenset[str]
    agency: tuple[re.Pattern[str], ...]
    dateline_line: re.Pattern[str]
    dateline_opening: re.Pattern[str]
    settings: LabelerSettings


LIST_ITEM = re.compile(LIST_ITEM_PATTERN)
URL = re.compile(URL_PATTERN)
BARE_URL = re.compile(rf"\s*{URL_PATTERN}\s*")
LINK = re.compile(rf"{URL_PATTERN}|{DOMAIN_PATTERN}/")
"""A web address: a URL, or a domain followed by a path."""
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


def wiki_heading_title(text: str) -> str | None:
    r"""Return the title of a wiki section heading such as ``== Sources ==``, else None.

    The same as ``re.fullmatch(r"\s*(=+)\s*(?P<title>.*?)\s*\1\s*", text)`` and its title
    group, without the backtracking that made a run of ``=`` take cubic time: the heading's
    level is the longest run of ``=`` that both opens and closes it.

    Args:
        text: One paragraph.

    Returns:
        The heading's title (maybe empty), or None when the text is not a wiki heading.
    """
    stripped = text.strip()
    opening = len(stripped) - len(stripped.lstrip("="))
    closing = len(stripped) - len(stripped.rstrip("="))
    # A line of "=" alone ("====") opens and closes on the same characters: half of it each.
    level = min(opening, closing, len(stripped) // 2)
    if not level:
        return None
    title = stripped[level : len(stripped) - level].strip()
    # As "." in the regex this replaces, the title holds no line break.
    return None if "\n" in title else title


def _alternation(words: Iterable[str]) -> str:
    items = sorted(words, key=len, reverse=True)
    return "|".join(re.escape(w) for w in items)


def _phrases(phrases: Iterable[str]) -> re.Pattern[str]:
    alternatives = [alt for phrase in phrases for alt in expand_alternatives(phrase)]
    return re.compile(
        r"(?<!\w)(?:" + "|".join(factor_alternatives(alternatives)) + r")(?!\w)", re.IGNORECASE
    )


def _any_phrase(*tables: Iterable[str]) -> re.Pattern[str]:
    """Match, without consuming, wherever a phrase of any of the tables starts.

    ``finditer`` then yields every position at which at least one of the tables' ``_phrases``
    patterns matches: one scan instead of one per table. Its alternatives open with
    case-sensitive letters (see ``split_case``), which the regex engine rules out faster.
    """
    alternatives = [
        alt for table in tables for phrase in table for alt in expand_alternatives(phrase)
    ]
    return re.compile(
        r"(?<!\w)(?=(?:" + "|".join(split_case(factor_alternatives(alternatives))) + r")(?!\w))"
    )


def expand_alternatives(fragment: str) -> list[str]:
    """Split a regex fragment into alternatives, distributing leading groups over theirs.

    ``(?:a|ont) dit`` becomes ``a dit``, ``ont dit`` and ``(?:по)?проси`` becomes ``попроси``,
    ``проси``: the same strings in the same priority order (a backtracking engine tries a
    group's options, then skipping an optional group, in that order), but each alternative
    now opens with a plain letter that ``factor_alternatives`` can share.

    Args:
        fragment: A regex fragment.

    Returns:
        Its alternatives, in priority order.
    """
    return [
        expanded
        for alternative in split_alternatives(fragment)
        for expanded in _expand_leading_group(alternative)
    ]


def _expand_leading_group(alternative: str) -> list[str]:
    close = _group_end(alternative) if alternative.startswith("(?:") else None
    if close is None:
        return [alternative]
    options = split_alternatives(alternative[3:close])
    after = alternative[close + 1 :]
    # A greedy optional group is its options, then the empty string, in the order the engine tries
    # them; a lazy or possessive one is kept whole (by the branch below).
    if after[:1] == "?" and after[1:2] not in ("?", "+"):
        options, after = [*options, ""], after[1:]
    # A repeated group is no finite list of alternatives.
    elif after[:1] in _QUANTIFIERS:
        return [alternative]
    return [x for option in options for x in _expand_leading_group(option + after)]


def _group_end(fragment: str) -> int | None:
    """Index of the parenthesis closing the group that opens the fragment, if any."""
    for index, char, depth in _syntax(fragment):
        if char == ")" and depth == 1:
            return index
    return None


def _syntax(fragment: str) -> Iterator[tuple[int, str, int]]:
    """Yield the regex fragment's unescaped ``(``, ``)`` and ``|`` outside character classes.

    Each comes with its index and the group depth before it.
    """
    depth = 0
    escaped = in_class = False
    for index, char in enumerate(fragment):
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char in "()|":
            yield index, char, depth
            depth += {"(": 1, ")": -1, "|": 0}[char]


def split_alternatives(fragment: str) -> list[str]:
    """Split a regex fragment at its top-level ``|`` (not inside groups or classes).

    Args:
        fragment: A regex fragment.

    Returns:
        Its alternatives, in order (the fragment itself when it has none).
    """
    bars = [index for index, char, depth in _syntax(fragment) if char == "|" and not depth]
    bounds = [-1, *bars, len(fragment)]
    return [fragment[a + 1 : b] for a, b in pairwise(bounds)]


def factor_alternatives(alternatives: Sequence[str]) -> list[str]:
    """Factor the first characters of case-insensitive alternatives into a prefix tree.

    ``said|says|told`` becomes ``sa(?:id|ys)|told``: the regex engine then tries one branch
    per first letter instead of every alternative at every position. Leftmost-first
    semantics are kept: only alternatives starting with different plain letters (which can
    never match at the same position) change places, and nothing moves across an
    alternative that does not start with a plain letter.

    Args:
        alternatives: Regex alternatives, in priority order, matched case-insensitively.

    Returns:
        Equivalent alternatives (fewer when factored).
    """
    factored: list[str] = []
    run: dict[str, list[str]] = {}
    # The empty sentinel flushes the last run of shared heads; it is dropped from the result.
    for alternative in [*alternatives, ""]:
        head = _plain_head(alternative)
        if head is not None:
            run.setdefault(head, []).append(alternative[1:])
            continue
        for key, rests in run.items():
            inner = factor_alternatives(rests) if len(rests) > 1 else rests
            body = inner[0] if len(inner) == 1 else "(?:" + "|".join(inner) + ")"
            factored.append(re.escape(key) + body)
        run = {}
        factored.append(alternative)
    return factored[:-1]


def split_case(alternatives: Sequence[str]) -> list[str]:
    """Rewrite case-insensitive alternatives as case-sensitive ones opening with a literal.

    ``said`` becomes ``Said|said`` with the rest matched case-insensitively (``S(?i:aid)|
    s(?i:aid)``, and ``ſ(?i:aid)``, which ignoring case also accepts): the regex engine skips
    an alternative by comparing one character when it opens with a case-sensitive literal,
    but must enter it when it opens with a case-insensitive one. The first character's
    variants are exactly those the engine itself accepts for it ignoring case, each once, in
    place of the alternative, so the same text matches the same way; alternatives without a
    plain first letter are kept, case-insensitive.

    Args:
        alternatives: Regex alternatives, matched case-insensitively.

    Returns:
        Alternatives to compile without ``re.IGNORECASE``.
    """
    variants = _case_variants()
    split: list[str] = []
    for alternative in alternatives:
        head = _plain_head(alternative)
        # No plain letter first (a digit, a space, a group): no case to split.
        if head is None or not alternative[:1].isalpha():
            split.append(f"(?i:{alternative})")
            continue
        rest = f"(?i:{alternative[1:]})" if alternative[1:] else ""
        split.extend(re.escape(variant) + rest for variant in variants[head])
    return split


@cache
def _case_variants() -> dict[str, str]:
    """Every character that matches each plain first letter when case is ignored.

    Found by the regex engine itself over every code point, so it follows the engine's own
    case rules (``ſ`` for ``s``, the Kelvin sign for ``k``, ``İ`` for ``i``).
    """
    letters = sorted(c for c in _FACTORABLE if c.isalpha())
    # Surrogates left out: UTF-32 text cannot hold them.
    code_points = array("I", [*range(0xD800), *range(0xE000, 0x110000)])
    every = code_points.tobytes().decode("utf-32-le" if sys.byteorder == "little" else "utf-32-be")
    found = set(re.findall("[" + "".join(letters) + "]", every, re.IGNORECASE))
    return {
        letter: "".join(sorted(c for c in found if re.fullmatch(letter, c, re.IGNORECASE)))
        for letter in letters
    }


def _plain_head(alternative: str) -> str | None:
    """The lowercased first character of an alternative when it is a plain, unquantified one."""
    head = alternative[:1].lower()
    # A quantified first character ("s?aid") cannot be shared as a prefix.
    if head not in _FACTORABLE or alternative[1:2] in _QUANTIFIERS:
        return None
    return head


def _whole_word(pattern: str) -> str:
    # Only after a final letter or digit: a pattern ending in "|" or ":" ("thumb|", "fichier\s*:")
    # ends at a non-word character already.
    return pattern + r"(?!\w)" if pattern[-1:].isalnum() else pattern


def _date_patterns(cues: LanguageCues) -> tuple[re.Pattern[str], ...]:
    months = _alternation(cues.months)
    weekdays = _alternation(cues.weekdays)
    weekday = rf"(?:(?:{weekdays}),?\s+)?"
    year = r"(?P<year>[0-9]{4})"
    day_month = (
        # Ordinal suffixes: French "1er", English "1st", Russian "1-го".
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
    day_month = rf"[0-9]{{1,2}}(?:er|st|nd|rd|th)?\s+(?:{months})\.?"
    month_day = rf"(?:{months})\.?\s+[0-9]{{1,2}}(?:st|nd|rd|th)?"
    full = (
        rf"(?:(?:{weekdays}),?\s+)?(?:{day_month}|{month_day})(?:,?\s+[0-9]{{4}})"
        rf"{cues.year_suffix}|[0-9]{{4}}-[0-9]{{2}}-[0-9]{{2}}"
    )
    date = (
        rf"(?:(?:{weekdays}),?\s+)?(?:{day_month}|{month_day})(?:,?\s+[0-9]{{4}})?"
        rf"{cues.year_suffix}|(?:{months})\s+[0-9]{{4}}|[0-9]{{4}}-[0-9]{{2}}-[0-9]{{2}}"
    )
    agency = rf"\(\s*{AGENCY_NAME}\s*\)"
    core = (
        rf"(?:(?:{PLACE}),?\s+)?(?:{date})(?:,\s*{PLACE})?(?:\s*{agency})?"
        rf"|(?:{PLACE})\s*{agency}"
    )
    place_only = rf"{_CAPS_PLACE}(?:,\s*{PLACE})?|{_PLACE_NAME}(?:,\s*{_PLACE_NAME}){{1,3}}"
    # The separators after a dateline match the same text as "\s*[.,]?\s*(?:DASH)?\s*" and
    # "\s*\.?\s*DASH\s+", with one way only to split a run of white space between them.
    line = re.compile(rf"\s*(?P<dateline>{core})\s*+(?:[.,]\s*+)?(?:{DASH}\s*+)?", re.IGNORECASE)
    opening = re.compile(
        rf"(?P<dateline>{core}|{place_only})\s*+(?:\.\s*+)?{DASH}\s+"
        # Without a dash only a complete date (with its year) opens a lead as a dateline: a place,
        # or a day and month, may just as well start the sentence.
        rf"|(?P<fulldate>{full})(?=[\s.,:;])",
        re.IGNORECASE,
    )
    return line, opening


def _union_cues() -> LanguageCues:
    merged: dict[str, object] = {}
    for spec in fields(LanguageCues):
        values = [getattr(c, spec.name) for c in CUES.values()]
        if spec.name == "months":
            merged[spec.name] = {k: v for table in values for k, v in table.items()}
        elif spec.name == "year_suffix":
            # Only the Russian table has a year suffix ("года"): the longest pattern is the one that
            # says something.
            merged[spec.name] = max(values, key=len)
        else:
            merged[spec.name] = tuple(dict.fromkeys(v for table in values for v in table))
    return LanguageCues(**merged)  # type: ignore[arg-type]


def _source_pattern(cues: LanguageCues) -> re.Pattern[str]:
    agencies = sorted((a for names in AGENCIES.values() for a in names), key=len, reverse=True)
    names = "|".join(re.escape(name) for name in (*MEDIA_NAME_HEADS, *agencies))
    return re.compile(
        r"(?<!\w)(?:" + "|".join(cues.source_nouns) + r")(?!\w)"
        rf"|(?-i:(?<!\w)(?:{names})(?!\w))|{DOMAIN_PATTERN}",
        re.IGNORECASE,
    )


@cache
def patterns_for(language: str, settings: LabelerSettings = DEFAULT_LABELER) -> LanguagePatterns:
    """Return the compiled patterns of a language, carrying the labeler's settings.

    Args:
        language: ISO 639-1 code selecting the cue table (the union of all tables if unknown).
        settings: The thresholds the rules that receive these patterns read.

    Returns:
        The patterns; the regexes are compiled once per language whatever the settings.
    """
    return replace(_compiled(language), settings=settings)


@cache
def _compiled(language: str) -> LanguagePatterns:
    """The patterns of a language, compiled once; ``patterns_for`` sets their settings."""
    # A language without a table ("und", or one with no cue words) is read with every table's cues
    # at once.
    cues = CUES.get(language) or _union_cues()
    line, opening = _dateline_patterns(cues)
    # A negation or a pronoun counts up to two words before the cue ("n'a jamais dit", "he later
    # said").
    words_before = r"(?:\s+\S+){0,2}\s*$"
    return LanguagePatterns(
        months=dict(cues.months),
        dates=_date_patterns(cues),
        speech=_phrases(cues.speech_verbs),
        # "(?!)" never matches: a language may have no bare speech verbs.
        bare_speech=_phrases(cues.bare_speech_verbs or ("(?!)",)),
        claim=_phrases(cues.claim_verbs),
        speech_noun=_phrases(cues.speech_nouns),
        attribution=_phrases(cues.attributions),
        any_speech_cue=_any_phrase(
            cues.claim_verbs, cues.speech_verbs, cues.speech_nouns, cues.attributions
        ),
        complement=re.compile(
            r"(?<!\w)(?:" + "|".join(cues.complementizers) + r")(?!\w)", re.IGNORECASE
        ),
        negation=re.compile(
            r"(?<!\w)(?:(?:" + "|".join(cues.negations) + rf"){words_before}"
            r"|(?:" + "|".join(cues.passive_auxiliaries) + r")\s*$)",
            re.IGNORECASE,
        ),
        determiner=re.compile(r"(?<!\w)(?:" + "|".join(cues.determiners) + r")\s*$", re.IGNORECASE)
        if cues.determiners
        else None,
        # An elided determiner ("l'") ends at its apostrophe, glued to its noun.
        object_start=re.compile(
            r"\s*(?:" + "|".join(cues.determiners) + r")(?:(?<=['’])|(?!\w))", re.IGNORECASE
        )
        if cues.determiners
        else None,
        pronoun=re.compile(
            r"(?<!\w)(?:" + "|".join(cues.pronouns) + rf"){words_before}", re.IGNORECASE
        ),
        first_person=re.compile(r"(?<![\w-])(?:" + "|".join(cues.first_person) + r")(?![\w-])"),
        source=_source_pattern(cues),
        speaker=re.compile(
            r"(?<!\w)(?:" + "|".join(cues.speaker_nouns) + r")(?!\w)", re.IGNORECASE
        ),
        clause_break=re.compile("|".join(cues.clause_breaks), re.IGNORECASE),
        abbreviations=frozenset(cues.abbreviations),
        boilerplate=re.compile(r"\s*(?:" + "|".join(cues.boilerplate_starts) + ")", re.IGNORECASE),
        trailer=re.compile(
            r"\s*['\"«]?(?:" + "|".join(cues.trailer_headings) + r")['\"»]?\s*+(?::\s*+)?",
            re.IGNORECASE,
        ),
        caption=re.compile(
            r"\s*(?:" + "|".join(_whole_word(p) for p in cues.caption_starts) + ")", re.IGNORECASE
        ),
        caption_date=re.compile(
            rf",\s*(?:(?:{_alternation(cues.months)})\s+|[0-9]{{1,2}}\s+(?:{_alternation(cues.months)})"
            rf"\s+)?[0-9]{{4}}{cues.year_suffix}\s*$",
            re.IGNORECASE,
        ),
        media_note=_phrases(cues.media_notes),
        name_connectors=frozenset(cues.name_connectors),
        caption_prepositions=frozenset(cues.caption_prepositions),
        agency=tuple(
            re.compile(p.replace("{agency}", f"(?P<agency>{AGENCY_NAME})"), re.IGNORECASE)
            for p in cues.agency_reports
        ),
        dateline_line=line,
        dateline_opening=opening,
        settings=DEFAULT_LABELER,
    )
