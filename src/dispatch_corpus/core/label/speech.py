"""Measure how much of a paragraph is attributed speech: quotations and reported speech."""

from __future__ import annotations

import re
from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from enum import Enum
from itertools import islice

from dispatch_corpus.core.cues.common import CLOSING_QUOTES, QUOTE_PAIRS
from dispatch_corpus.core.label.patterns import UPPER, LanguagePatterns

_SENTENCE_END = re.compile(
    rf"[.!?…](?<![.!?…][.!?…])[.!?…]*+[\"»”)’']*+(?P<gap>\s++)"
    rf"(?=[\"«“„(\[]?[-–—]?\s?[{UPPER}0-9«\"“„])"
)
"""The end of a sentence, and the white space before the next one (which starts a capital).

It starts only where a run of end marks starts (the look-behind follows the first mark, so
the engine still skips to candidates fast) and its runs never give back characters: a run
that fails would fail from any of its later characters too, and retrying each of them made
runs of end marks quadratic."""
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
    """The quotations of a paragraph: their sorted starts and ends, for bisection.

    Kept as arrays of machine integers rather than a list of pairs: a paragraph of a million
    short quotations then takes 16 bytes per quotation, not over a hundred.
    """

    starts: array[int]
    ends: array[int]

    def starting_in(self, start: int, end: int) -> range:
        """Indices of the quotations that start in ``[start, end)``."""
        return range(bisect_left(self.starts, start), bisect_left(self.starts, end))

    def beside(self, match: re.Match[str], window: int) -> list[Span]:
        """Quotations opening just after a speech cue or closing just before it, in order.

        "Just after" is within ``window`` characters (the reported content's window).
        """
        after = range(
            bisect_left(self.starts, match.end()),
            bisect_right(self.starts, match.end() + window),
        )
        # Closing at most three characters before the cue: a comma and a space may stand between
        # ("», a dit").
        before = range(
            bisect_left(self.ends, match.start() - 3), bisect_right(self.ends, match.start())
        )
        indices = sorted({*after, *before}) if before else after
        return [(self.starts[i], self.ends[i]) for i in indices]


class _Colons:
    """The colons of a sentence that open direct speech (a capital or a quote mark next).

    Found once, when first asked for: searching from each speech cue to the end of the
    sentence made a sentence of many rejected cues quadratic.
    """

    def __init__(self, text: str, start: int, end: int) -> None:
        self._text, self._start, self._end = text, start, end
        self._positions: array[int] | None = None

    def first_from(self, position: int) -> int | None:
        """Return the position of the first such colon at or after ``position``, or None."""
        if self._positions is None:
            found = _SPEECH_COLON.finditer(self._text, self._start, self._end)
            self._positions = array("q", map(re.Match.start, found))
        index = bisect_left(self._positions, position)
        return self._positions[index] if index < len(self._positions) else None


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
        pats: Compiled cue patterns of the document's language, with the labeler's settings.
        starts_inside_quote: Whether the previous paragraph left a quotation open.

    Returns:
        The paragraph's speech profile.
    """
    if not text:
        return SpeechProfile(0.0, False, starts_inside_quote)
    quotes, ends_inside = _find_quotes(text, starts_inside_quote)
    covered = bytearray(len(text))
    # Speech that runs to the paragraph's end (after a speech colon) is marked once, from
    # its earliest start: marking it again for every later sentence was quadratic.
    tail = len(text)

    def mark(start: int, end: int) -> None:
        nonlocal tail
        if end >= len(text):
            tail = min(tail, start)
        else:
            covered[start:end] = b"\x01" * (end - start)

    first: Span | None = None
    min_words = pats.settings.quote_speech_min_words
    cues = array("q", map(re.Match.start, pats.any_speech_cue.finditer(text)))
    for start, end in _sentences(text, pats.abbreviations):
        first = first or (start, end)
        frame, verdict = _find_frame(text, start, end, quotes, pats, cues)
        if frame is not None:
            mark(frame.start, frame.end)
            for a, b in frame.quotes:
                mark(a, b)
        # A sentence sourced to a medium is narrative (LABELING.md: a fact sourced to an outlet is
        # body): its quotations do not count either.
        if verdict is _Verdict.MEDIA and frame is None:
            continue
        for i in quotes.starting_in(start, end):
            a, b = quotes.starts[i], quotes.ends[i]
            # A quotation carried over from the previous paragraph counts whatever its length: its
            # opening words stood there.
            carried = a == 0 and text[0] not in QUOTE_PAIRS
            if carried or _has_words(text, a, b, min_words):
                mark(a, b)
                if min(b, end) - a >= (end - start) / 2:
                    mark(start, end)
    covered[tail:] = b"\x01" * (len(text) - tail)
    first_start, first_end = first or (0, len(text))
    # Counted, not summed: a byte of covered is 0 or 1, and count runs in C without a slice.
    first_share = covered.count(1, first_start, first_end) / max(1, first_end - first_start)
    return SpeechProfile(
        share=covered.count(1) / len(text),
        opens_with_speech=first_share >= 0.5,
        ends_inside_quote=ends_inside,
    )


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
    quotes, open_at_end = _find_quotes(text, starts_inside_quote)
    return list(zip(quotes.starts, quotes.ends, strict=True)), open_at_end


def _find_quotes(text: str, starts_inside_quote: bool) -> tuple[_Quotes, bool]:
    """``quote_spans`` as arrays of starts and ends."""
    quotes = _Quotes(array("q"), array("q"))
    depth = 1 if starts_inside_quote else 0
    opener: str | None = None
    start = 0
    for found in _QUOTE_MARK.finditer(text):
        index, char = found.start(), found.group()
        if depth:
            closer = QUOTE_PAIRS[opener] if opener is not None else None
            # Only marks that differ from their closing mark nest (« « » »): a straight quote closes
            # what it opened.
            if char == opener and opener != closer:
                depth += 1
            # Inside a quotation carried over from the previous paragraph the opening mark is
            # unknown: any mark shaped as a closing one closes it.
            elif char == closer or (closer is None and _closes(text, index)):
                depth -= 1
                if not depth:
                    quotes.starts.append(start)
                    quotes.ends.append(index + 1)
        # A straight quote opens only where an opening mark stands (after a space or a bracket,
        # before a word): the same character closes quotations and marks inches.
        elif char in QUOTE_PAIRS and (char != '"' or _opens(text, index)):
            depth, opener, start = 1, char, index
    if depth:
        quotes.starts.append(start)
        quotes.ends.append(len(text))
    return quotes, depth > 0


def sentence_spans(text: str, abbreviations: frozenset[str]) -> list[Span]:
    """Split a paragraph into sentence spans (abbreviations and initials do not end one).

    Args:
        text: One paragraph.
        abbreviations: Words whose final period does not end a sentence.

    Returns:
        Consecutive ``(start, end)`` spans covering the paragraph.
    """
    return list(_sentences(text, abbreviations))


def _sentences(text: str, abbreviations: frozenset[str]) -> Iterator[Span]:
    """Yield the spans of ``sentence_spans`` one at a time."""
    start = 0
    ended = False
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
        yield start, match.start("gap")
        start, ended = match.end(), True
        word, searched = "", start
    if start < len(text) or not ended:
        yield start, len(text)


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
    text: str,
    start: int,
    end: int,
    quotes: _Quotes,
    pats: LanguagePatterns,
    cues: array[int],
) -> tuple[_Frame | None, _Verdict]:
    """Find the first speech cue of a sentence that credits its words to a speaker.

    ``cues`` holds where a cue of any kind starts in the whole paragraph, found in one scan
    (a scan per sentence cost more than the judging on paragraphs of plain narrative).
    """
    starts = cues[bisect_left(cues, start) : bisect_left(cues, end)]
    if not starts:
        return None, _Verdict.NONE
    colons = _Colons(text, start, end)
    best: tuple[re.Match[str], str] | None = None
    seen_media = False
    judged = 0
    most_judged = pats.settings.max_cues_judged_per_sentence
    for kind, pattern in (
        ("claim", pats.claim),
        ("speech", pats.speech),
        ("noun", pats.speech_noun),
        ("attribution", pats.attribution),
    ):
        for match in _matches_from(pattern, text, starts, end):
            # The frame starts at the sentence's first accepted cue whatever its kind: a later kind
            # is searched only before the cue found so far.
            if best is not None and match.start() >= best[0].start():
                break
            judged += 1
            if judged > most_judged:
                return None, _Verdict.NONE
            verdict = _judge(text, start, end, match, kind, quotes, colons, pats)
            seen_media = seen_media or verdict is _Verdict.MEDIA
            if verdict is _Verdict.SPEECH:
                best = (match, kind)
                break
    if best is None:
        return None, _Verdict.MEDIA if seen_media else _Verdict.NONE
    match, kind = best
    clause_start = start
    # The frame starts at the clause holding the cue: what stands before a ";" or ", but" is another
    # clause's.
    for brk in pats.clause_break.finditer(text, start, match.start()):
        clause_start = brk.start()
    colon = colons.first_from(match.end()) if kind != "attribution" else None
    adjacent = tuple(quotes.beside(match, pats.settings.complement_window_chars))
    # Direct speech after a colon runs on past its sentence, to the paragraph's end.
    frame_end = len(text) if colon is not None else end
    return _Frame(clause_start, frame_end, adjacent), _Verdict.SPEECH


def _matches_from(
    pattern: re.Pattern[str], text: str, starts: Sequence[int], end: int
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
    colons: _Colons,
    pats: LanguagePatterns,
) -> _Verdict:
    """Decide whether one speech cue reports a speaker's words, a medium's, or nothing."""
    if kind == "attribution":
        return _judge_attribution(text, start, end, match, pats)
    settings = pats.settings
    before = text[max(start, match.start() - settings.negation_window_chars) : match.start()]
    if pats.negation.search(before):
        return _Verdict.NONE
    colon = colons.first_from(match.end()) is not None
    # A speech noun ("statement", "заявление") reports words only when a colon opens them.
    if kind == "noun" and not colon:
        return _Verdict.NONE
    direct = colon or bool(quotes.beside(match, settings.complement_window_chars))
    if kind == "speech":
        # A determiner before the form makes it a noun ("la critique", "the claims").
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
    after = text[match.end() : min(end, match.end() + pats.settings.complement_window_chars)]
    if pats.bare_speech.fullmatch(match.group()):
        return _TO_INFINITIVE.match(after) is None
    if pats.object_start is not None and pats.object_start.match(after):
        return False
    return pats.complement.search(after) is not None


def _sourced_to_media(text: str, start: int, verb_start: int, pats: LanguagePatterns) -> bool:
    """Whether the subject before a speech verb is a medium, a document or data.

    The subject is the clause's last comma-separated part before the verb, or its first
    part when the verb follows an apposition ("X, author of the study, said"); a pronoun
    right before the verb is the subject itself.
    """
    window_start = max(start, verb_start - pats.settings.subject_window_chars)
    window = text[window_start:verb_start]
    if pats.pronoun.search(window):
        return False
    parts = window.split(",")
    subject = parts[-1] if parts[-1].strip() or len(parts) == 1 else parts[0]
    return _names_medium(subject, 0, len(subject), pats)


def _names_medium(text: str, start: int, end: int, pats: LanguagePatterns) -> bool:
    """Whether ``text[start:end]`` names a medium or document, not a person within one.

    A person's function before the medium makes the person the source ("le directeur du
    site", "Источник РИА Новости").
    """
    medium = pats.source.search(text, start, end)
    if medium is None:
        return False
    return pats.speaker.search(text, start, medium.start()) is None


def _judge_attribution(
    text: str, start: int, end: int, match: re.Match[str], pats: LanguagePatterns
) -> _Verdict:
    """Judge "according to X": a medium's fact, a fact's tail, or a speaker's words.

    Only an attribution in the first part of its sentence frames the sentence as the
    source's words; one further on sources a fact ("…, according to the curator").
    """
    window_end = min(end, match.end() + pats.settings.subject_window_chars)
    comma = text.find(",", match.end(), window_end)
    source_end = comma if comma >= 0 else window_end
    if _names_medium(text, match.end(), source_end, pats):
        return _Verdict.MEDIA
    position = (match.start() - start) / max(1, end - start)
    trailing = position > pats.settings.trailing_attribution_position
    return _Verdict.NONE if trailing else _Verdict.SPEECH


def _closes(text: str, index: int) -> bool:
    char = text[index]
    if char in CLOSING_QUOTES:
        return True
    if char not in QUOTE_PAIRS.values():
        return False
    before = text[index - 1] if index > 0 else " "
    after = text[index + 1] if index + 1 < len(text) else " "
    # Shaped as a closing mark: glued to the word before it, not to a word after it.
    return not before.isspace() and (after.isspace() or not after.isalnum())


def _opens(text: str, index: int) -> bool:
    before = text[index - 1] if index > 0 else " "
    after = text[index + 1] if index + 1 < len(text) else " "
    return (before.isspace() or before in "([—–-:") and not after.isspace()


def _has_words(text: str, start: int, end: int, count: int) -> bool:
    """Whether ``text[start:end]`` holds at least ``count`` words (counting no further)."""
    return len(list(islice(_WORD.finditer(text, start, end), count))) >= count


def speech_intro_start(text: str, pats: LanguagePatterns) -> int | None:
    """Where the clause that introduces someone's words starts, in a text ending with ``:``.

    The clause holds the first speech cue of the last sentence ("Le ministre a déclaré :",
    "…, тогда Новикова сообщила:", "X распространил заявление, в котором говорится:") and
    starts at that sentence's start or at the last comma or semicolon before the cue.

    Args:
        text: One trimmed paragraph.
        pats: Compiled cue patterns of the document's language.

    Returns:
        The clause's start offset, or None when the last sentence holds no speech cue.
    """
    last_start = 0
    for start, _ in _sentences(text, pats.abbreviations):
        last_start = start
    found = pats.any_speech_cue.search(text, last_start)
    if found is None:
        return None
    cue = found.start()
    comma = max(text.rfind(",", last_start, cue), text.rfind(";", last_start, cue))
    if comma < 0:
        return last_start
    start = comma + 1
    while start < cue and text[start].isspace():
        start += 1
    return start


def opens_with_speech_cue(text: str, pats: LanguagePatterns) -> bool:
    """Whether the first sentence of a paragraph holds a speech cue (it credits a speaker).

    Args:
        text: One trimmed paragraph.
        pats: Compiled cue patterns of the document's language.

    Returns:
        True when a speech verb, noun or attribution phrase stands in the first sentence.
    """
    _, end = next(_sentences(text, pats.abbreviations), (0, len(text)))
    return pats.any_speech_cue.search(text, 0, end) is not None
