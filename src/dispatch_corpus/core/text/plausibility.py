"""Judge whether text read through a guessed encoding looks like text or like garbling.

A wrong single-byte codec maps every high byte to the wrong character, and leaves marks that
real text does not have: controls and box drawing among the letters, signs inside words,
Latin and Cyrillic
letters inside one word, lowercase-then-uppercase inside a word, one letter repeated four
times or more, runs of accented Latin letters, lone Cyrillic letters in Latin text, or
Cyrillic letters in frequencies no language has. Each mark is measured as a share and
compared with its bound below; every count is one regular-expression or ``str.count``
pass over at most ``PLAUSIBILITY_SAMPLE_CHARS`` characters (evenly spaced windows of a
longer text), so the cost is bounded whatever the text.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping

LEGACY_MAX_SYMBOL_SHARE = 0.1
"""A legacy reading is implausible when more than this share of its non-ASCII characters are
controls, box drawing, arrows, math or modifier symbols (the shared corpus reaches 0.024)."""
LEGACY_MAX_GLUED_SYMBOL = 0.005
"""Implausible above this many such symbols touching a letter per non-ASCII character
("┐НЯДСЛЮ": MacCyrillic capitals read as KOI8-R box drawing, 0.013 and up); the shared corpus
has none."""
LEGACY_MAX_INNER_SIGN = 0.01
"""Implausible above this many non-ASCII signs between two letters per non-ASCII letter
("Za¿ó³æ": ISO-8859-2 read as cp1252; apostrophes, dashes and the middle dot aside); the
shared corpus reaches 0.0007 ("«" glued to a word)."""
LEGACY_MAX_MIXED_SCRIPT = 0.05
"""Implausible above this many Latin/Cyrillic letter contacts per non-ASCII letter
("cafй": a cp1252 byte read as cp1251); the shared corpus reaches 0.007."""
LEGACY_MAX_LOWER_UPPER = 0.03
"""Implausible above this many lowercase-then-uppercase contacts (two aside) per word
("пРЕЗИДЕНТ": cp1251 read as KOI8-R swaps the cases, 0.054 and up in the shared Russian
documents; "ПЯТНИЦА" read through cp1251 from MacCyrillic, 0.022 and up, 0.075 in 19 of 20);
the shared corpus reaches 0.011."""
LEGACY_MAX_REPEATED_LETTER_SHARE = 0.1
"""Implausible when more than this share of non-ASCII letters repeat one letter four times or
more ("ЪЪЪЪ": a run of one high byte); words repeat a letter at most three times ("ООО")."""
LEGACY_MAX_ACCENT_RUN_SHARE = 0.1
"""Implausible when more than this share of accented Latin letters sit in runs of three or
more ("Ïðåçèäåíò": Cyrillic bytes read as cp1252); Latin languages accent one letter in a
row, rarely two ("ção"), and the shared corpus has none."""
LEGACY_MAX_ISOLATED_CYRILLIC = 0.3
"""Implausible when more than this share of Cyrillic letters stand alone (stray high bytes in
Latin text read as Cyrillic letters); Russian one-letter words reach 0.04 in the corpus."""
PLAUSIBILITY_SAMPLE_CHARS = 65_536
"""A legacy reading is judged on at most this many characters: the whole of any dispatch
(the longest shared one has 30,000), evenly spaced windows of a longer file."""
PLAUSIBILITY_SAMPLE_WINDOWS = 8
"""Number of windows a long reading is judged on, from its start to its end."""
CYRILLIC_MAX_BITS_PER_LETTER = 5.5
"""Implausible above this cross-entropy (bits per letter) against ``CYRILLIC_LETTER_FREQUENCY``:
correct readings of the shared Russian documents stay at or below 4.6 (4.74 in 200-character
windows), Ukrainian, Bulgarian, Serbian and Belarusian samples at or below 5.23, readings
through a codec that is not the file's (cp866 or ISO-8859-5 read as cp1251 or KOI8-R) at or
above 5.6. The wrong one of cp1251 and KOI8-R (5.18 and up for Russian) is told apart by
comparing both readings, the lower scoring one wins."""
CYRILLIC_BITS_MARGIN = 6.0
"""Slack added to ``CYRILLIC_MAX_BITS_PER_LETTER`` for n letters: this over sqrt(n) bits, three
standard errors of a mean of n letters (a one-word text may hold "щ" and "ё")."""
# fmt: off
CYRILLIC_LETTER_FREQUENCY: Mapping[str, float] = {
    "о": 0.1097, "е": 0.0845, "а": 0.0801, "и": 0.0735, "н": 0.0670, "т": 0.0626,
    "с": 0.0547, "р": 0.0473, "в": 0.0454, "л": 0.0440, "к": 0.0349, "м": 0.0321,
    "д": 0.0298, "п": 0.0281, "у": 0.0262, "я": 0.0201, "ы": 0.0190, "ь": 0.0174,
    "г": 0.0170, "з": 0.0165, "б": 0.0159, "ч": 0.0144, "й": 0.0121, "х": 0.0097,
    "ж": 0.0094, "ш": 0.0073, "ю": 0.0064, "ц": 0.0048, "щ": 0.0036, "э": 0.0032,
    "ф": 0.0026, "ъ": 0.0004, "ё": 0.0004,
    "і": 0.02, "ї": 0.003, "є": 0.003, "ґ": 0.0005, "ў": 0.002, "ј": 0.002, "љ": 0.001,
    "њ": 0.001, "ћ": 0.001, "ђ": 0.0005, "џ": 0.0005, "ѓ": 0.0005, "ќ": 0.0005, "ѕ": 0.0005,
}
"""Share of each lowercase Cyrillic letter in running text: Russian letter frequencies, with
small shares for the letters of other Cyrillic alphabets (Ukrainian, Belarusian, Serbian,
Macedonian) so that one such letter does not count as garbling."""
# fmt: on
CYRILLIC_UNKNOWN_LETTER_FREQUENCY = 0.0005
"""Share assumed for a Cyrillic letter missing from ``CYRILLIC_LETTER_FREQUENCY``."""

_ACCENTED = "\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f"
_LATIN = "A-Za-z" + _ACCENTED
_CYRILLIC = "\u0400-\u04ff"
_ACCENTED_AND_CYRILLIC = [
    chr(c) for c in (*range(0xC0, 0x250), *range(0x400, 0x500)) if chr(c).isalpha()
]
_LOWER = "".join(c for c in _ACCENTED_AND_CYRILLIC if c.islower())
_UPPER = "".join(c for c in _ACCENTED_AND_CYRILLIC if c.isupper())

_NON_ASCII_NON_LETTER = re.compile(r"[^\x00-\x7f\w]")
# C1 controls, spacing diacritics, arrows, math, technical, box drawing, blocks and shapes,
# private use and specials: what KOI8 and the C1 range of latin-1 turn letters into.
_SYMBOLS = "\x80-\x9f\xa4\xa6\xa8\xaf\xb8\u02c6\u02dc\u2190-\u25ff\ue000-\uf8ff\ufff0-\uffff"
_SYMBOL = re.compile(f"[{_SYMBOLS}\xb4]")
# Such a symbol touching a letter ("┐НЯДСЛЮ": MacCyrillic capitals read as KOI8-R box
# drawing); the acute accent aside, which sloppy typing uses as an apostrophe ("l´homme").
_GLUED_SYMBOL = re.compile(f"(?<=[^\\W\\d_])[{_SYMBOLS}]|[{_SYMBOLS}](?=[^\\W\\d_])")
# A non-ASCII sign between two letters, apostrophes, dashes and the middle dot aside:
# "Za¿ó³æ" (ISO-8859-2 read as cp1252), "Укра╖ни" (KOI8-U read as KOI8-R).
_INNER_SIGN = re.compile(r"(?<=[^\W\d_])[^\x00-\x7f\w\s’‘ʼ´`·\u00ad\u2010\u2011–—](?=[^\W\d_])")
_MIXED_SCRIPT = re.compile(f"[{_LATIN}][{_CYRILLIC}]|[{_CYRILLIC}][{_LATIN}]")
_LOWER_UPPER = re.compile(f"[{_LOWER}][A-Z{_UPPER}]|[a-z][{_UPPER}]")
_SPACES = re.compile(r"\s+")
_REPEATED_LETTER = re.compile(r"([^\W\d_\x00-\x7f])\1{3,}")
_ACCENTED_LETTER = re.compile(f"[{_ACCENTED}]")
_ACCENT_RUN = re.compile(f"[{_ACCENTED}]{{3,}}")
_CYRILLIC_LETTER = re.compile(f"[{_CYRILLIC}]")
# Starting from the non-letter before the letter skips the letters of words fast.
_ISOLATED_CYRILLIC = re.compile(rf"[\W\d_][{_CYRILLIC}](?![^\W\d_])")
_LETTER_BITS = {
    letter: -math.log2(share)
    for lower, share in CYRILLIC_LETTER_FREQUENCY.items()
    for letter in (lower, lower.upper())
}
_UNKNOWN_LETTER_BITS = -math.log2(CYRILLIC_UNKNOWN_LETTER_FREQUENCY)


def implausibility(text: str) -> float:
    """Score how garbled a decoded text looks: at most 1.0 is plausible text.

    Each mark of a wrong decoding is measured as a share and divided by its bound, and the
    worst one is the score, so 1.0 is the edge of what real text in the shared corpus and its
    legacy re-encodings reaches (with a margin); a wrong codec scores far above.

    Args:
        text: Text decoded from bytes through a guessed codec.

    Returns:
        0.0 for ASCII text, otherwise the largest of the marks' share-to-bound ratios.
    """
    text = _sample(text)
    if text.isascii():
        return 0.0
    non_ascii = len(text) - len(text.encode("ascii", "ignore"))
    scores = [
        _count(_SYMBOL, text) / non_ascii / LEGACY_MAX_SYMBOL_SHARE,
        _count(_GLUED_SYMBOL, text) / non_ascii / LEGACY_MAX_GLUED_SYMBOL,
    ]
    letters = non_ascii - _count(_NON_ASCII_NON_LETTER, text)
    if letters:
        scores.append(_count(_INNER_SIGN, text) / letters / LEGACY_MAX_INNER_SIGN)
        scores.append(_count(_MIXED_SCRIPT, text) / letters / LEGACY_MAX_MIXED_SCRIPT)
        # Two contacts are free: a glued word ("елейВпервые") or a camel-case name
        # ("АрмРосГазпром") happens in any text.
        contacts = max(0, _count(_LOWER_UPPER, text) - 2)
        words = _count(_SPACES, text) + 1
        scores.append(contacts / words / LEGACY_MAX_LOWER_UPPER)
        repeated = len(text) - len(_REPEATED_LETTER.sub("", text))
        scores.append(repeated / letters / LEGACY_MAX_REPEATED_LETTER_SHARE)
    accented = _count(_ACCENTED_LETTER, text)
    if accented:
        in_runs = len(text) - len(_ACCENT_RUN.sub("", text))
        scores.append(in_runs / accented / LEGACY_MAX_ACCENT_RUN_SHARE)
    cyrillic = _count(_CYRILLIC_LETTER, text)
    if cyrillic:
        # A space in front: the pattern starts at the non-letter before a letter, so a letter at the
        # very start counts too.
        isolated = _count(_ISOLATED_CYRILLIC, f" {text}") / cyrillic
        scores.append(isolated / LEGACY_MAX_ISOLATED_CYRILLIC)
        # The mean of n letters' bits varies by about 2 / sqrt(n): short texts get slack.
        bound = CYRILLIC_MAX_BITS_PER_LETTER + CYRILLIC_BITS_MARGIN / math.sqrt(cyrillic)
        scores.append(_bits_per_letter(text, cyrillic) / bound)
    return max(scores)


def _sample(text: str) -> str:
    """The text itself, or evenly spaced windows of it when it is longer than the sample."""
    if len(text) <= PLAUSIBILITY_SAMPLE_CHARS:
        return text
    window = PLAUSIBILITY_SAMPLE_CHARS // PLAUSIBILITY_SAMPLE_WINDOWS
    step = (len(text) - window) // (PLAUSIBILITY_SAMPLE_WINDOWS - 1)
    return "\n".join(text[i * step : i * step + window] for i in range(PLAUSIBILITY_SAMPLE_WINDOWS))


def _count(pattern: re.Pattern[str], text: str) -> int:
    return pattern.subn("", text)[1]


def _bits_per_letter(text: str, cyrillic: int) -> float:
    """Cross-entropy of the text's Cyrillic letters against the expected letter frequencies."""
    known = 0
    bits = 0.0
    # One str.count pass per known letter (in C) rather than a Python loop over every letter of the
    # text.
    for letter, letter_bits in _LETTER_BITS.items():
        n = text.count(letter)
        known += n
        bits += n * letter_bits
    return (bits + (cyrillic - known) * _UNKNOWN_LETTER_BITS) / cyrillic
