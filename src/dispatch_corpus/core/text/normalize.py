"""Normalize decoded text: line ends, controls, escapes, invisible characters, NFC."""

from __future__ import annotations

import re
import sys
import unicodedata
from array import array
from dataclasses import dataclass
from functools import cache

from dispatch_corpus.models import DocumentFlag

ZERO_WIDTH_CHARS = "\u200b\u2060\ufeff\u180e"
"""Invisible characters removed by normalization and trimmed around paragraphs."""
BIDI_CONTROL_CHARS = "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
"""Bidirectional formatting controls removed by normalization."""
LINE_SEPARATOR_CHARS = "\u2028\u2029\x85"
"""Unicode line separators turned into a newline by normalization."""

_ESCAPE_SEQUENCE = re.compile(
    r"\x1b(?:\[[0-?]*[ -/]*[@-~]"  # CSI: colours, cursor moves
    r"|\][^\x07\x1b]*(?:\x07|\x1b\\)?"  # OSC: titles, hyperlinks
    r"|[PX^_][^\x1b]*(?:\x1b\\)?"  # DCS, SOS, PM, APC strings
    r"|[@-Z\\-_])"  # two-character escapes
    r"|\x9b[0-?]*[ -/]*[@-~]"
)
# Tab and line feed stay; NUL is removed apart, under its own flag, and U+0085 is a line separator,
# turned into a newline before this runs.
_CONTROLS = re.compile("[\x01-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f]")
_INVISIBLE = re.compile(f"[{re.escape(ZERO_WIDTH_CHARS + BIDI_CONTROL_CHARS)}]")
_LINE_SEPARATORS = re.compile(f"[{re.escape(LINE_SEPARATOR_CHARS)}]")
_MARK_RUN_MIN = 32
"""Runs of this many combining marks are put in canonical order by a sort before NFC: CPython
orders them by insertion, in time quadratic in the run's length (real text has a few)."""


@dataclass(frozen=True)
class Normalized:
    """Normalized text and the flags recording what normalization changed."""

    text: str
    flags: tuple[DocumentFlag, ...]


def normalize(text: str) -> Normalized:
    r"""Normalize decoded text so that splitting sees only ``\\n`` line ends and visible text.

    Steps, each flagged when it changes something: ``\\r\\n`` and lone ``\\r`` become ``\\n``
    (lone ``\\r`` flagged ``cr_line_ends``); Unicode line separators become ``\\n``; terminal
    escape sequences, NUL bytes, and C0/C1 controls other than ``\\n``/``\\t`` are removed;
    zero-width characters and bidi controls are removed; the result is NFC.

    Args:
        text: Decoded text of one dispatch.

    Returns:
        The normalized text and its flags.
    """
    flags: list[DocumentFlag] = []
    if "\r" in text:
        crlf_free = text.replace("\r\n", "\n")
        if "\r" in crlf_free:
            flags.append(DocumentFlag.CR_LINE_ENDS)
        text = crlf_free.replace("\r", "\n")
    # Before the controls go: U+0085 is also a C1 control, and must end a line, not vanish.
    text = _LINE_SEPARATORS.sub("\n", text)
    # Escape sequences go whole before single controls do: removing ESC alone would leave "[31m" in
    # the text.
    if "\x1b" in text or "\x9b" in text:
        stripped = _ESCAPE_SEQUENCE.sub("", text)
        if stripped != text:
            flags.append(DocumentFlag.ESCAPE_SEQUENCES_REMOVED)
            text = stripped
    if "\x00" in text:
        flags.append(DocumentFlag.NUL_BYTES_REMOVED)
        text = text.replace("\x00", "")
    text = _delete(text, _CONTROLS, DocumentFlag.CONTROL_CHARS_REMOVED, flags)
    text = _delete(text, _INVISIBLE, DocumentFlag.INVISIBLE_CHARS_REMOVED, flags)
    if not text.isascii():
        text = nfc(text)
    return Normalized(text=text, flags=tuple(flags))


def nfc(text: str) -> str:
    """Return ``unicodedata.normalize("NFC", text)`` in time linear in the text.

    NFC decomposes the text and sorts each run of combining marks by combining class before
    composing. CPython sorts by insertion, so a long run of marks of alternating classes
    takes quadratic time; such runs are first decomposed and sorted here (a stable sort, as
    the canonical ordering is), which leaves the normalizer nothing to reorder and gives the
    same result. Text already in NFC (most text) is returned as is, before the table of
    combining marks this needs is ever built.

    Args:
        text: Any text.

    Returns:
        Its NFC form.
    """
    if unicodedata.is_normalized("NFC", text):
        return text
    runs = _mark_runs()
    if runs.search(text) is not None:
        text = runs.sub(_canonical_order, text)
    return unicodedata.normalize("NFC", text)


@cache
def _mark_runs() -> re.Pattern[str]:
    """Long runs of characters whose canonical decomposition is all combining marks."""
    marks = "".join(c for c in map(chr, range(sys.maxunicode + 1)) if _decomposes_to_marks(c))
    return re.compile(f"[{re.escape(marks)}]{{{_MARK_RUN_MIN},}}")


def _decomposes_to_marks(char: str) -> bool:
    """Whether a character is a combining mark or decomposes into combining marks only."""
    if unicodedata.combining(char):
        return True
    if not unicodedata.decomposition(char):
        return False
    return all(unicodedata.combining(part) for part in unicodedata.normalize("NFD", char))


def _canonical_order(run: re.Match[str]) -> str:
    """The run's marks decomposed and sorted stably by combining class (a counting sort)."""
    text = run.group()
    codes = {char: tuple(map(ord, unicodedata.normalize("NFD", char))) for char in set(text)}
    classes = {code: unicodedata.combining(chr(code)) for part in codes.values() for code in part}
    # Code points, 4 bytes each: a list of one-character strings would take over 50.
    buckets = {combining: array("I") for combining in set(classes.values())}
    for char in text:
        for code in codes[char]:
            buckets[classes[code]].append(code)
    ordered = array("I")
    for combining in sorted(buckets):
        ordered.extend(buckets[combining])
    return ordered.tobytes().decode("utf-32-le" if sys.byteorder == "little" else "utf-32-be")


def _delete(
    text: str, pattern: re.Pattern[str], flag: DocumentFlag, flags: list[DocumentFlag]
) -> str:
    if pattern.search(text) is None:
        return text
    flags.append(flag)
    return pattern.sub("", text)
