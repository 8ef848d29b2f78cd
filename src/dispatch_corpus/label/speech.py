"""Measure how much of a paragraph is attributed speech: quotations and reported speech."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from enum import Enum
from itertools import islice

from dispatch_corpus.cues import (
    CLOSING_QUOTES,
    COMPLEMENT_WINDOW_CHARS,
    QUOTE_PAIRS,
    QUOTE_SPEECH_MIN_WORDS,
    SUBJECT_WINDOW_CHARS,
    TRAILING_ATTRIBUTION_POSITION,
)
from dispatch_corpus.label.patterns import UPPER, LanguagePatterns

_SENTENCE_END = re.compile(
    rf"(?<![.!?…])[.!?…]++[\"»”)’']*+(?P<gap>\s++)(?=[\"«“„(\[]?[-–—]?\s?[{UPPER}0-9«\"“„])"
)
"""The end of a sentence, and the white space before the next one (which starts a capital).

It starts only where a run of end marks starts and its runs never give back characters
(possessive): a run that fails would fail from any of its later characters too, and
retrying each of them made runs of end marks quadratic."""
_WORD = re.compile(r"\w+")
_TO_INFINITIVE = re.compile(r"\s+to\b")
_SPEECH_COLON = re.compile(rf":\s*(?=[{UPPER}\"«“„])")
_QUOTE_MARK = re.compile(
    "[" + re.escape("".join({*QUOTE_PAIRS, *QUOTE_PAIRS.values(), *CLOSING_QUOTES})) + "]"
)
"""Any character that can open or close a quotation: the only ones quote_spans looks at."""

Span = tuple[int, int]


class _Verdict(Enum):
    """What a speech cue found in a sentence turns out to be."""

    SPEECH = "speech"
    MEDIA = "media"
    NONE = "none"


@dataclass(frozen=True)
class SpeechProfile:
    """How attributed speech is spread over one paragraph.

    Attributes:
        share: Share of the paragraph's characters that are someone's words: quotations,
            and sentences (or clauses) whose content a speech verb or an attribution
            credits to a source other than a medium or a document.
        opens_with_speech: Whether most of the first sentence is speech.
        ends_inside_quote: Whether a quotation is still open at the end of the paragraph
            (it goes on in the next one).
    """

    share: float
    opens_with_speech: bool
    ends_inside_quote: bool


@dataclass(frozen=True)
class _Quotes:
    """The quotations of a paragraph, with their sorted starts and ends for bisection."""

    spans: list[Span]
    starts: list[int]
    ends: list[int]

    def beside(self, match: re.Match[str]) -> list[Span]:
        """Quotations opening just after a speech cue or closing just before it, in order."""
        after = range(
            bisect_left(self.starts, match.end()),
            bisect_right(self.starts, match.end() + COMPLEMENT_WINDOW_CHARS),
        )
        before = range(
            bisect_left(self.ends, match.start() - 3), bisect_right(self.ends, match.start())
        )
        if not before:
            return self.spans[after.start : after.stop]
        return [self.spans[i] for i in sorted({*after, *before})]


@dataclass(frozen=True)
class _Frame:
    """A speech cue accepted in a sentence: where the reported words start and end."""

    start: int
    end: int
    quotes: tuple[Span, ...]


def profile_speech(
    text: str, pats: LanguagePatterns, *, starts_inside_quote: bool = False
) -> SpeechProfile:
    """Measure the attributed speech of one paragraph.

    Args:
        text: One trimmed paragraph.
        pats: Compiled cue patterns of the document's language.
        starts_inside_quote: Whether the previous paragraph left a quotation open.

    Returns:
        The paragraph's speech profile.
    """
    if not text:
        return SpeechProfile(0.0, False, starts_inside_quote)
    spans, ends_inside = quote_spans(text, starts_inside_quote=starts_inside_quote)
    quotes = _Quotes(spans, [a for a, _ in spans], [b for _, b in spans])
    # Spans of speech, measured once at the end: marking characters one span at a time
    # made a paragraph of many sentences with a colon (each marking to the paragraph's end)
    # quadratic.
    speech: list[Span] = []
    sentences = sentence_spans(text, pats.abbreviations)
    for start, end in sentences:
        inner = spans[bisect_left(quotes.starts, start) : bisect_left(quotes.starts, end)]
        frame, verdict = _find_frame(text, start, end, quotes, pats)
        if frame is not None:
            speech.append((frame.start, frame.end))
            speech.extend(frame.quotes)
        if verdict is _Verdict.MEDIA and frame is None:
            continue
        for a, b in inner:
            carried = a == 0 and text[0] not in QUOTE_PAIRS
            if carried or _has_words(text, a, b, QUOTE_SPEECH_MIN_WORDS):
                speech.append((a, b))
                if min(b, end) - a >= (end - start) / 2:
                    speech.append((start, end))
    union = _union(speech)
    first_start, first_end = sentences[0]
    first_share = _covered(union, first_start, first_end) / max(1, first_end - first_start)
    return SpeechProfile(
        share=_covered(union, 0, len(text)) / len(text),
        opens_with_speech=first_share >= 0.5,
        ends_inside_quote=ends_inside,
    )


def _union(spans: list[Span]) -> list[Span]:
    """The disjoint, sorted spans covering the same characters as ``spans``."""
    union: list[Span] = []
    for start, end in sorted(spans):
        if end <= start:
            continue
        if union and start <= union[-1][1]:
            if end > union[-1][1]:
                union[-1] = (union[-1][0], end)
        else:
            union.append((start, end))
    return union


def _covered(union: list[Span], start: int, end: int) -> int:
    """How many characters of ``[start, end)`` the disjoint, sorted spans cover."""
    first = max(0, bisect_right(union, (start, start)) - 1)
    total = 0
    for a, b in union[first:]:
        if a >= end:
            break
        total += max(0, min(b, end) - max(a, start))
    return total


def quote_spans(text: str, *, starts_inside_quote: bool = False) -> tuple[list[Span], bool]:
    """Find the quotations of a paragraph, quote marks included.

    When ``starts_inside_quote``, the paragraph opens inside a quotation carried over from
    the previous one, closed by the first closing mark. Guillemets nest (« … « … » … »).

    Args:
        text: One paragraph.
        starts_inside_quote: Whether the previous paragraph left a quotation open.

    Returns:
        The ``(start, end)`` spans, and whether a quotation is still open at the end.
    """
    spans: list[Span] = []
    depth = 1 if starts_inside_quote else 0
    opener: str | None = None
    start = 0
    for found in _QUOTE_MARK.finditer(text):
        index, char = found.start(), found.group()
        if depth:
            closer = QUOTE_PAIRS[opener] if opener is not None else None
            if char == opener and opener != closer:
                depth += 1
            elif char == closer or (closer is None and _closes(text, index)):
                depth -= 1
                if not depth:
                    spans.append((start, index + 1))
        elif char in QUOTE_PAIRS and (char != '"' or _opens(text, index)):
            depth, opener, start = 1, char, index
    if depth:
        spans.append((start, len(text)))
    return spans, depth > 0


def sentence_spans(text: str, abbreviations: frozenset[str]) -> list[Span]:
    """Split a paragraph into sentence spans (abbreviations and initials do not end one).

    Args:
        text: One paragraph.
        abbreviations: Words whose final period does not end a sentence.

    Returns:
        Consecutive ``(start, end)`` spans covering the paragraph.
    """
    spans: list[Span] = []
    start = 0
    # The last word before a period is looked for only back to the previous period of the
    # same sentence, then taken from there: a run of abbreviations ("A. «. «. «.") does
    # not walk back over the whole sentence at each period.
    word, searched = "", 0
    for match in _SENTENCE_END.finditer(text):
        if match.group().startswith("."):
            word = _last_word(text, searched, match.start()) or word
            searched = match.start()
            if word in abbreviations or (len(word) == 1 and word.isupper()):
                continue
        spans.append((start, match.start("gap")))
        start = match.end()
        word, searched = "", start
    if start < len(text) or not spans:
        spans.append((start, len(text)))
    return spans


def _last_word(text: str, start: int, end: int) -> str:
    """The last run of word characters (letters, digits, "_") in the window, or ""."""
    stop = end
    while stop > start and not (text[stop - 1].isalnum() or text[stop - 1] == "_"):
        stop -= 1
    begin = stop
    while begin > start and (text[begin - 1].isalnum() or text[begin - 1] == "_"):
        begin -= 1
    return text[begin:stop]


def _find_frame(
    text: str, start: int, end: int, quotes: _Quotes, pats: LanguagePatterns
) -> tuple[_Frame | None, _Verdict]:
    """Find the first speech cue of a sentence that credits its words to a speaker."""
    starts = [cue.start() for cue in pats.any_speech_cue.finditer(text, start, end)]
    if not starts:
        return None, _Verdict.NONE
    # Found once per sentence: searching from each cue to the sentence's end made a
    # sentence of many rejected cues quadratic.
    colons = [colon.start() for colon in _SPEECH_COLON.finditer(text, start, end)]
    best: tuple[re.Match[str], str] | None = None
    seen_media = False
    for kind, pattern in (
        ("claim", pats.claim),
        ("speech", pats.speech),
        ("noun", pats.speech_noun),
        ("attribution", pats.attribution),
    ):
        for match in _matches_from(pattern, text, starts, end):
            if best is not None and match.start() >= best[0].start():
                break
            verdict = _judge(text, start, end, match, kind, quotes, colons, pats)
            seen_media = seen_media or verdict is _Verdict.MEDIA
            if verdict is _Verdict.SPEECH:
                best = (match, kind)
                break
    if best is None:
        return None, _Verdict.MEDIA if seen_media else _Verdict.NONE
    match, kind = best
    clause_start = start
    for brk in pats.clause_break.finditer(text, start, match.start()):
        clause_start = brk.start()
    colon = _speech_colon(colons, match.end()) if kind != "attribution" else None
    adjacent = tuple(quotes.beside(match))
    frame_end = len(text) if colon is not None else end
    return _Frame(clause_start, frame_end, adjacent), _Verdict.SPEECH


def _matches_from(
    pattern: re.Pattern[str], text: str, starts: list[int], end: int
) -> Iterator[re.Match[str]]:
    """Yield what ``pattern.finditer(text, start, end)`` yields, trying only ``starts``.

    ``starts`` holds, in order, every position of the sentence where some cue pattern
    matches: matching at each in turn, past the previous match's end, finds the same
    leftmost non-overlapping matches as a scan of every position.
    """
    resume = 0
    for at in starts:
        if at < resume:
            continue
        match = pattern.match(text, at, end)
        if match is not None:
            yield match
            resume = match.end()


def _judge(
    text: str,
    start: int,
    end: int,
    match: re.Match[str],
    kind: str,
    quotes: _Quotes,
    colons: list[int],
    pats: LanguagePatterns,
) -> _Verdict:
    """Decide whether one speech cue reports a speaker's words, a medium's, or nothing."""
    if kind == "attribution":
        return _judge_attribution(text, start, end, match, pats)
    before = text[max(start, match.start() - 30) : match.start()]
    if pats.negation.search(before):
        return _Verdict.NONE
    colon = _speech_colon(colons, match.end()) is not None
    if kind == "noun" and not colon:
        return _Verdict.NONE
    direct = colon or bool(quotes.beside(match))
    if kind == "speech":
        if pats.determiner is not None and pats.determiner.search(before):
            return _Verdict.NONE
        if not (direct or _reports_content(text, match, end, pats)):
            return _Verdict.NONE
    if _sourced_to_media(text, start, match.start(), pats):
        return _Verdict.MEDIA
    return _Verdict.SPEECH


def _reports_content(text: str, match: re.Match[str], end: int, pats: LanguagePatterns) -> bool:
    """Whether reported content follows a speech verb ("said that …", "a déclaré que …").

    A complementizer after a direct object ("announced the sites that …") is a relative
    pronoun, not reported content; verbs that drop the complementizer ("said the plan …")
    report content unless an infinitive follows ("said to be").
    """
    after = text[match.end() : min(end, match.end() + COMPLEMENT_WINDOW_CHARS)]
    if pats.bare_speech.fullmatch(match.group()):
        return _TO_INFINITIVE.match(after) is None
    if pats.object_start is not None and pats.object_start.match(after):
        return False
    return pats.complement.search(after) is not None


def _speech_colon(colons: list[int], start: int) -> int | None:
    """Return the first colon opening direct speech (a capital or a quote mark next).

    Args:
        colons: Sorted positions of the sentence's colons that open direct speech.
        start: Where to look from.

    Returns:
        The position of the first of them at or after ``start``, or None.
    """
    index = bisect_left(colons, start)
    return colons[index] if index < len(colons) else None


def _sourced_to_media(text: str, start: int, verb_start: int, pats: LanguagePatterns) -> bool:
    """Whether the subject before a speech verb is a medium, a document or data.

    The subject is the clause's last comma-separated part before the verb, or its first
    part when the verb follows an apposition ("X, author of the study, said"); a pronoun
    right before the verb is the subject itself.
    """
    window_start = max(start, verb_start - SUBJECT_WINDOW_CHARS)
    window = text[window_start:verb_start]
    if pats.pronoun.search(window):
        return False
    parts = window.split(",")
    subject = parts[-1] if parts[-1].strip() or len(parts) == 1 else parts[0]
    return pats.source.search(subject) is not None


def _judge_attribution(
    text: str, start: int, end: int, match: re.Match[str], pats: LanguagePatterns
) -> _Verdict:
    """Judge "according to X": a medium's fact, a fact's tail, or a speaker's words.

    Only an attribution in the first part of its sentence frames the sentence as the
    source's words; one further on sources a fact ("…, according to the curator").
    """
    window_end = min(end, match.end() + SUBJECT_WINDOW_CHARS)
    comma = text.find(",", match.end(), window_end)
    source_end = comma if comma >= 0 else window_end
    if pats.source.search(text, match.end(), source_end) is not None:
        return _Verdict.MEDIA
    position = (match.start() - start) / max(1, end - start)
    return _Verdict.NONE if position > TRAILING_ATTRIBUTION_POSITION else _Verdict.SPEECH


def _closes(text: str, index: int) -> bool:
    char = text[index]
    if char in CLOSING_QUOTES:
        return True
    if char not in QUOTE_PAIRS.values():
        return False
    before = text[index - 1] if index > 0 else " "
    after = text[index + 1] if index + 1 < len(text) else " "
    return not before.isspace() and (after.isspace() or not after.isalnum())


def _opens(text: str, index: int) -> bool:
    before = text[index - 1] if index > 0 else " "
    after = text[index + 1] if index + 1 < len(text) else " "
    return (before.isspace() or before in "([—–-:") and not after.isspace()


def _has_words(text: str, start: int, end: int, count: int) -> bool:
    """Whether ``text[start:end]`` holds at least ``count`` words (counting no further)."""
    return len(list(islice(_WORD.finditer(text, start, end), count))) >= count
