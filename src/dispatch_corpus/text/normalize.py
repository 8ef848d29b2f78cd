"""Normalize decoded text: line ends, controls, escapes, invisible characters, NFC."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from dispatch_corpus.cues import BIDI_CONTROL_CHARS, LINE_SEPARATOR_CHARS, ZERO_WIDTH_CHARS
from dispatch_corpus.models import DocumentFlag

_ESCAPE_SEQUENCE = re.compile(
    r"\x1b(?:\[[0-?]*[ -/]*[@-~]"  # CSI: colours, cursor moves
    r"|\][^\x07\x1b]*(?:\x07|\x1b\\)?"  # OSC: titles, hyperlinks
    r"|[PX^_][^\x1b]*(?:\x1b\\)?"  # DCS, SOS, PM, APC strings
    r"|[@-Z\\-_])"  # two-character escapes
    r"|\x9b[0-?]*[ -/]*[@-~]"
)
_CONTROLS = re.compile("[\x01-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f]")
_INVISIBLE = re.compile(f"[{re.escape(ZERO_WIDTH_CHARS + BIDI_CONTROL_CHARS)}]")
_LINE_SEPARATORS = re.compile(f"[{re.escape(LINE_SEPARATOR_CHARS)}]")


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
    text = _LINE_SEPARATORS.sub("\n", text)
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
        text = unicodedata.normalize("NFC", text)
    return Normalized(text=text, flags=tuple(flags))


def _delete(
    text: str, pattern: re.Pattern[str], flag: DocumentFlag, flags: list[DocumentFlag]
) -> str:
    if pattern.search(text) is None:
        return text
    flags.append(flag)
    return pattern.sub("", text)
