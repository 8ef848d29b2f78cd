"""Decode raw dispatch bytes into text, recording every repair as a document flag."""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from dispatch_corpus.cues import BINARY_CONTROL_SHARE, BINARY_NUL_SHARE
from dispatch_corpus.models import DocumentFlag, QuarantineReason

_LEGACY_FLAGS: dict[str, DocumentFlag] = {
    "cp1251": DocumentFlag.ENCODING_CP1251,
    "koi8_r": DocumentFlag.ENCODING_KOI8_R,
    "cp1252": DocumentFlag.ENCODING_CP1252,
    "latin-1": DocumentFlag.ENCODING_LATIN1,
}
_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


class DecodeError(ValueError):
    """Raised when bytes cannot be turned into text; carries the quarantine reason."""

    def __init__(self, reason: QuarantineReason, message: str) -> None:
        super().__init__(message)
        self.reason = reason


@dataclass(frozen=True)
class Decoded:
    """Text decoded from raw bytes and the flags describing what was repaired."""

    text: str
    flags: tuple[DocumentFlag, ...]


def decode(raw: bytes) -> Decoded:
    """Decode raw bytes as UTF-8 (BOM dropped), else as a detected legacy encoding.

    Args:
        raw: The bytes of one raw dispatch file.

    Returns:
        The decoded text with flags (``bom_removed``, ``encoding_*``).

    Raises:
        DecodeError: With reason ``empty`` for no bytes, or ``binary`` for NUL-heavy or
            control-heavy input that no supported encoding turns into text.
    """
    if not raw:
        raise DecodeError(QuarantineReason.EMPTY, "file is empty")
    nul_share = raw.count(0) / len(raw)
    if nul_share > BINARY_NUL_SHARE:
        raise DecodeError(QuarantineReason.BINARY, f"{nul_share:.0%} of the bytes are NUL")
    flags: list[DocumentFlag] = []
    if raw.startswith(codecs.BOM_UTF8):
        raw = raw[len(codecs.BOM_UTF8) :]
        flags.append(DocumentFlag.BOM_REMOVED)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        encoding = guess_legacy_encoding(raw)
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError as error:
            message = f"neither UTF-8 nor {encoding}: byte {error.start}"
            raise DecodeError(QuarantineReason.BINARY, message) from None
        flags.append(_LEGACY_FLAGS[encoding])
    if text and _control_share(text) > BINARY_CONTROL_SHARE:
        raise DecodeError(QuarantineReason.BINARY, "mostly control characters: not text")
    return Decoded(text=text, flags=tuple(flags))


def guess_legacy_encoding(raw: bytes) -> str:
    """Guess the single-byte encoding of bytes that are not valid UTF-8.

    Cyrillic text has runs of high bytes (whole words), Western text has high bytes
    isolated between ASCII letters. Among Cyrillic encodings, lowercase letters sit at
    0xE0-0xFF in cp1251 and at 0xC0-0xDF in KOI8-R. Among Western ones, bytes 0x80-0x9F
    are printable in cp1252 and controls in latin-1.

    Args:
        raw: Bytes that failed to decode as UTF-8.

    Returns:
        A Python codec name: ``cp1251``, ``koi8_r``, ``cp1252`` or ``latin-1``.
    """
    high = [i for i, byte in enumerate(raw) if byte >= 0x80]
    if not high:
        return "latin-1"
    high_set = set(high)
    in_runs = sum(1 for i in high if i - 1 in high_set or i + 1 in high_set)
    if in_runs / len(high) > 0.5:
        upper_half = sum(1 for i in high if raw[i] >= 0xE0)
        lower_half = sum(1 for i in high if 0xC0 <= raw[i] < 0xE0)
        return "cp1251" if upper_half >= lower_half else "koi8_r"
    try:
        raw.decode("cp1252")
    except UnicodeDecodeError:
        return "latin-1"
    return "cp1252" if any(0x80 <= raw[i] < 0xA0 for i in high) else "latin-1"


def _control_share(text: str) -> float:
    if _CONTROLS.search(text) is None:
        return 0.0
    return len(_CONTROLS.findall(text)) / len(text)
