"""Decode raw dispatch bytes into text, recording every repair as a document flag.

Decoding never keeps a text garbled by its own choice of encoding:

1. A byte order mark names the encoding (UTF-32 before UTF-16: the UTF-32 LE mark starts
   with the UTF-16 LE one); the text after it must decode strictly and read as plausible.
   NUL-heavy bytes without a mark are UTF-16 only when the NULs sit at one parity and the
   text reads as plausible (UTF-16 of Latin text, as Windows tools write it without a mark);
   otherwise they are binary. BOM-less UTF-32 is not guessed: it is rare and stays binary.
2. Bytes that are not strict UTF-8 stay UTF-8, their invalid bytes replaced by U+FFFD, when
   they hold at least as many UTF-8-shaped multi-byte sequences as stray high bytes: a UTF-8
   file with stray bytes, never a legacy file. Beyond a share of replaced characters the
   text is quarantined as too damaged.
3. Otherwise every legacy codec (cp1252, latin-1, cp1251, KOI8-R) is tried and the least
   garbled plausible reading is kept (the guess of ``guess_legacy_encoding`` wins ties); a
   reading that holds mojibake is not plausible (those bytes were UTF-8). When none is, the
   text stays UTF-8 with replacements within the same share, or is quarantined.
4. Mojibake in the result (UTF-8 read through a single-byte codec upstream) is flagged, and
   repaired when the repair provably round-trips (``mojibake``).

Every step is a C-level codec call, regular expression or count over the bytes or the text
(plausibility over a bounded sample), so decoding is linear in the input whatever its bytes.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from dispatch_corpus.core.text.mojibake import has_mojibake, repair_mojibake
from dispatch_corpus.core.text.plausibility import implausibility
from dispatch_corpus.errors import MalformedInputError
from dispatch_corpus.models import DocumentFlag, QuarantineReason

BINARY_NUL_SHARE = 0.05
"""Above this share of NUL bytes an input is binary, not text."""
BINARY_CONTROL_SHARE = 0.10
"""Above this share of control characters decoded text is binary, not text."""
UTF8_MIN_SEQUENCES_PER_STRAY_BYTE = 1.0
"""Bytes that are not valid UTF-8 are still read as UTF-8 (bad bytes replaced) when they hold
at least this many UTF-8-shaped multi-byte sequences (a lead byte and its continuation bytes)
per stray high byte. The legacy re-encodings of the 854 shared documents hold at most 0.013
(accidental pairs such as an uppercase Cyrillic letter before ``»`` in cp1251); UTF-8 with a
few stray bytes holds one sequence per accented letter."""
UTF8_REPLACED_MAX_SHARE = 0.01
"""Above this share of replaced characters (one in a hundred) a UTF-8 text is too damaged to
keep: it is quarantined ``undecodable`` instead of flagged ``invalid_utf8_replaced``."""
UTF8_REPLACED_ALWAYS_KEPT = 8
"""Up to this many replaced characters are kept whatever the length: a short dispatch with a
stray apostrophe and a pair of quotes from another encoding, or one five-byte form (each of
its bytes is replaced), is still worth its text."""
UTF16_MIN_NUL_BYTES = 4
"""BOM-less UTF-16 is only recognised from this many NUL bytes: fewer prove no pattern."""
UTF16_NUL_PARITY_SHARE = 0.98
"""A NUL-heavy input without byte order mark is UTF-16 when at least this share of its NUL bytes
sit at one parity (the high byte of ASCII-range code units); binary files scatter them."""

_LEGACY_FLAGS: dict[str, DocumentFlag] = {
    "cp1252": DocumentFlag.ENCODING_CP1252,
    "latin-1": DocumentFlag.ENCODING_LATIN1,
    "cp1251": DocumentFlag.ENCODING_CP1251,
    "koi8_r": DocumentFlag.ENCODING_KOI8_R,
}
_SIBLINGS = {"cp1252": "latin-1", "latin-1": "cp1252", "cp1251": "koi8_r", "koi8_r": "cp1251"}
# Longest mark first: the UTF-32 LE mark FF FE 00 00 starts with the UTF-16 LE mark FF FE.
_UNICODE_BOMS: tuple[tuple[bytes, str, DocumentFlag], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le", DocumentFlag.ENCODING_UTF32),
    (codecs.BOM_UTF32_BE, "utf-32-be", DocumentFlag.ENCODING_UTF32),
    (codecs.BOM_UTF16_LE, "utf-16-le", DocumentFlag.ENCODING_UTF16),
    (codecs.BOM_UTF16_BE, "utf-16-be", DocumentFlag.ENCODING_UTF16),
)
# C0 and C1 controls but tab, line feed and carriage return, which plain text holds.
_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_HIGH_BYTES = bytes(range(0x80, 0x100))
_UTF8_SHAPED = re.compile(
    rb"[\xc0-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf7][\x80-\xbf]{3}"
)
_HIGH_RUN = re.compile(rb"[\x80-\xff]{2,}")
_C1_BYTE = re.compile(rb"[\x80-\x9f]")
_TOP_QUARTER = bytes(range(0xE0, 0x100))
_THIRD_QUARTER = bytes(range(0xC0, 0xE0))


class DecodeError(MalformedInputError):
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
    """Decode raw bytes as Unicode (by BOM, else UTF-8) or as a plausible legacy encoding.

    Args:
        raw: The bytes of one raw dispatch file.

    Returns:
        The decoded text with flags: ``bom_removed``, ``encoding_*`` (the encoding when not
        UTF-8), ``invalid_utf8_replaced``, ``mojibake_suspected`` or ``mojibake_repaired``.

    Raises:
        DecodeError: With reason ``empty`` for no bytes; ``binary`` for NUL-heavy or
            control-heavy input, or no plausible text after a UTF-16/32 byte order mark;
            ``undecodable`` for bytes that every supported encoding would garble (too many
            invalid UTF-8 bytes and no plausible legacy reading, or invalid UTF-16/32 after
            a byte order mark).
    """
    if not raw:
        raise DecodeError(QuarantineReason.EMPTY, "file is empty")
    marked = _decode_by_bom(raw)
    if marked is not None:
        return _finish(*marked)
    nul_share = raw.count(0) / len(raw)
    # UTF-16 without a mark is NUL-heavy too (a NUL beside every ASCII character): it is told apart
    # from binary before the input is refused.
    if nul_share > BINARY_NUL_SHARE:
        utf16 = _utf16_without_bom(raw)
        if utf16 is None:
            raise DecodeError(QuarantineReason.BINARY, f"{nul_share:.0%} of the bytes are NUL")
        return _finish(utf16, [DocumentFlag.ENCODING_UTF16])
    flags: list[DocumentFlag] = []
    if raw.startswith(codecs.BOM_UTF8):
        raw = raw[len(codecs.BOM_UTF8) :]
        flags.append(DocumentFlag.BOM_REMOVED)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text, flag = _decode_invalid_utf8(raw)
        flags.append(flag)
    return _finish(text, flags)


def _decode_by_bom(raw: bytes) -> tuple[str, list[DocumentFlag]] | None:
    """The text after a UTF-16 or UTF-32 byte order mark, or ``None`` when there is none."""
    for bom, encoding, flag in _UNICODE_BOMS:
        if not raw.startswith(bom):
            continue
        try:
            text = raw[len(bom) :].decode(encoding)
        except UnicodeDecodeError as error:
            if bom == codecs.BOM_UTF32_LE:
                continue  # FF FE 00 00 can also be UTF-16 LE whose first character is NUL
            message = f"invalid {encoding.upper()} after its byte order mark: {error.reason}"
            raise DecodeError(QuarantineReason.UNDECODABLE, message) from None
        if implausibility(text) > 1.0:
            message = f"{encoding.upper()} byte order mark, but no plausible text after it"
            raise DecodeError(QuarantineReason.BINARY, message)
        return text, [flag]
    return None


def guess_legacy_encoding(raw: bytes) -> str:
    """Guess the single-byte encoding of bytes that are not valid UTF-8.

    Cyrillic text has runs of high bytes (whole words), Western text has high bytes
    isolated between ASCII letters. Among Cyrillic encodings, lowercase letters sit at
    0xE0-0xFF in cp1251 and at 0xC0-0xDF in KOI8-R. Among Western ones, bytes 0x80-0x9F
    are printable in cp1252 and controls in latin-1. Every count is one C-level pass.

    Args:
        raw: Bytes that failed to decode as UTF-8.

    Returns:
        A Python codec name: ``cp1251``, ``koi8_r``, ``cp1252`` or ``latin-1``.
    """
    high = _count_bytes(raw, _HIGH_BYTES)
    if not high:
        return "latin-1"
    in_runs = len(raw) - len(_HIGH_RUN.sub(b"", raw))
    if in_runs / high > 0.5:
        upper_half = _count_bytes(raw, _TOP_QUARTER)
        lower_half = _count_bytes(raw, _THIRD_QUARTER)
        return "cp1251" if upper_half >= lower_half else "koi8_r"
    try:
        # cp1252 leaves five bytes undefined (0x81, 0x8D, 0x8F, 0x90, 0x9D); latin-1 reads every
        # byte.
        raw.decode("cp1252")
    except UnicodeDecodeError:
        return "latin-1"
    return "cp1252" if _C1_BYTE.search(raw) else "latin-1"


def _decode_invalid_utf8(raw: bytes) -> tuple[str, DocumentFlag]:
    """Decode bytes that are not strict UTF-8: UTF-8 with stray bytes, or a legacy codec."""
    shaped = _shaped_like_utf8(raw)
    if not shaped:
        legacy = _plausible_legacy(raw)
        if legacy is not None:
            return legacy
    utf8 = raw.decode("utf-8", "replace")
    # U+FFFD already in the file (its UTF-8 bytes EF BF BD) is text, not a replacement made here.
    replaced = utf8.count("\ufffd") - raw.count("\ufffd".encode())
    if replaced > max(UTF8_REPLACED_ALWAYS_KEPT, UTF8_REPLACED_MAX_SHARE * len(utf8)):
        if _control_share(utf8) > BINARY_CONTROL_SHARE:
            raise DecodeError(QuarantineReason.BINARY, "mostly control characters: not text")
        message = f"{replaced} characters of invalid UTF-8 in {len(utf8)}"
        if not shaped:
            message += ", and no legacy encoding reads the bytes as plausible text"
        raise DecodeError(QuarantineReason.UNDECODABLE, message)
    return utf8, DocumentFlag.INVALID_UTF8_REPLACED


def _shaped_like_utf8(raw: bytes) -> bool:
    """Whether the high bytes mostly form UTF-8-shaped sequences (lead then continuations).

    Surrogates, overlong forms and code points above U+10FFFF count as UTF-8-shaped: they
    are broken UTF-8, not a legacy codec, and their bytes are replaced like any other.
    """
    high = _count_bytes(raw, _HIGH_BYTES)
    rest, sequences = _UTF8_SHAPED.subn(b"", raw)
    stray = high - (len(raw) - len(rest))
    return sequences > 0 and sequences >= stray * UTF8_MIN_SEQUENCES_PER_STRAY_BYTE


def _plausible_legacy(raw: bytes) -> tuple[str, DocumentFlag] | None:
    """The least garbled plausible reading of the bytes through a legacy codec, if any.

    The guess and its sibling (the other codec of its script) are judged first: a wrong
    guess within a script is the usual mistake (cp1251 and KOI8-R swap cases and letters),
    while a reading in the wrong script is garbled beyond doubt. The other codecs are only
    judged when neither is plausible. Ties go to the guess.
    """
    guess = guess_legacy_encoding(raw)
    sibling = _SIBLINGS[guess]
    for group in ((guess, sibling), tuple(e for e in _LEGACY_FLAGS if e not in (guess, sibling))):
        best: tuple[float, str, str] | None = None
        for encoding in group:
            try:
                text = raw.decode(encoding)
            except UnicodeDecodeError:
                continue
            score = implausibility(text)
            if score <= 1.0 and (best is None or score < best[0]) and not has_mojibake(text):
                best = (score, encoding, text)
        if best is not None:
            return best[2], _LEGACY_FLAGS[best[1]]
    return None


def _utf16_without_bom(raw: bytes) -> str | None:
    """The text of BOM-less UTF-16 (NULs at one parity, plausible text), else ``None``.

    UTF-16 of ASCII-range text puts a NUL in every code unit's high byte, so its NULs all
    sit at odd offsets (little-endian) or even ones (big-endian); binary data scatters them.
    """
    even_nul, odd_nul = raw[0::2].count(0), raw[1::2].count(0)
    # UTF-16 is made of whole two-byte code units: an odd length is not UTF-16.
    if len(raw) % 2 or even_nul + odd_nul < UTF16_MIN_NUL_BYTES:
        return None
    if odd_nul >= UTF16_NUL_PARITY_SHARE * (even_nul + odd_nul):
        encoding = "utf-16-le"
    elif even_nul >= UTF16_NUL_PARITY_SHARE * (even_nul + odd_nul):
        encoding = "utf-16-be"
    else:
        return None
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError:
        return None
    if _control_share(text) > BINARY_CONTROL_SHARE or implausibility(text) > 1.0:
        return None
    return text


def _finish(text: str, flags: list[DocumentFlag]) -> Decoded:
    """Flag (and where proven, repair) mojibake, then refuse control-heavy text.

    Mojibake comes first: text misread through latin-1 twice is full of C1 controls that
    its repair removes.
    """
    text, mojibake = repair_mojibake(text)
    if mojibake is not None:
        flags.append(mojibake)
    if text and _control_share(text) > BINARY_CONTROL_SHARE:
        raise DecodeError(QuarantineReason.BINARY, "mostly control characters: not text")
    return Decoded(text=text, flags=tuple(flags))


def _count_bytes(raw: bytes, values: bytes) -> int:
    return len(raw) - len(raw.translate(None, values))


def _control_share(text: str) -> float:
    # Most texts hold no control: one search, instead of subn building a copy of the text.
    if _CONTROLS.search(text) is None:
        return 0.0
    return _CONTROLS.subn("", text)[1] / len(text)
