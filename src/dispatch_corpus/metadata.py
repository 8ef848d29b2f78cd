"""Interpret metadata sidecar lines: one ``metadata.jsonl`` line to the fields of a document."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from dispatch_corpus.cues import AGENCIES, ANY_LANGUAGE, LICENSE_SPDX_PATTERNS
from dispatch_corpus.label.fields import normalize_agency, parse_date
from dispatch_corpus.models import LANGUAGE_PATTERN, DocumentFlag

KNOWN_KEYS = frozenset(
    {"id", "file", "title", "date", "language", "license", "url", "source", "agency"}
)
"""Metadata keys the build reads; any other key is ignored with a note."""
MAX_NUMBER_DIGITS = 4300
"""Longest number a line may hold: Python's default limit for int conversion, so that a
line is refused the same way whatever ``sys.set_int_max_str_digits`` says."""
MAX_NESTING = 100
"""Deepest nesting of arrays and objects a line may hold. Real metadata nests two or three
levels; the limit keeps the JSON parser's recursion far below the stack whatever
``sys.getrecursionlimit`` is set to."""
_TEXT_KEYS = ("title", "date", "language", "license", "url", "source", "agency")
_LANGUAGE = re.compile(LANGUAGE_PATTERN)
_KNOWN_AGENCIES = frozenset(AGENCIES)
# Terminal escape sequences are removed whole, so no "[31m" is left behind.
_ESCAPE_SEQUENCE = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]|\x9b[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[@-_]"
)
# Strings (skipped whole: brackets in them do not count) and the brackets that nest. An
# unterminated string runs to the end, and nothing is given back: one pass, linear time.
_STRUCTURE = re.compile(r'"(?:[^"\\]|\\.)*+"?|[\[\]{}]')
# Only a \u escape can put a lone surrogate into a parsed string: look for one before walking.
_ESCAPED_SURROGATE = re.compile(r"\\u[dD][89a-fA-F]")
_SURROGATE = re.compile("[\ud800-\udfff]")


class MetadataLineError(ValueError):
    """A sidecar line that cannot be used at all; ``str(error)`` says why, on one line."""


@dataclass(frozen=True)
class Metadata:
    """The fields a metadata entry contributes to a document, and what was wrong with it."""

    title: str | None = None
    published: date | None = None
    language: str | None = None
    license: str | None = None
    url: str | None = None
    agency: str | None = None
    flags: tuple[DocumentFlag, ...] = ()
    ignored_keys: tuple[str, ...] = field(default=())
    problems: tuple[str, ...] = field(default=())


def parse_line(line: bytes) -> dict[str, object]:
    r"""Decode and parse one ``metadata.jsonl`` line as a JSON object.

    The line must be strict UTF-8 and strict JSON: no ``NaN`` or ``Infinity``, no number
    longer than ``MAX_NUMBER_DIGITS`` characters, no lone surrogate escape (``"\ud800"``)
    in any key or string, no key twice in the object, no nesting deeper than
    ``MAX_NESTING`` levels.

    Args:
        line: The raw bytes of one line (its line end may be included).

    Returns:
        The JSON object.

    Raises:
        MetadataLineError: When the line is not such an object.
    """
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError as error:
        byte = line[error.start]
        raise MetadataLineError(
            f"not valid UTF-8 (byte 0x{byte:02x} at column {error.start + 1})"
        ) from None
    if _too_deep(text):
        raise MetadataLineError(f"malformed JSON (nested too deeply: over {MAX_NESTING} levels)")
    try:
        value = _DECODER.decode(text)
    except json.JSONDecodeError as error:
        raise MetadataLineError(f"malformed JSON ({error.msg}: column {error.colno})") from None
    except RecursionError:
        raise MetadataLineError("malformed JSON (nested too deeply)") from None
    if not isinstance(value, _JsonObject):
        raise MetadataLineError("not a JSON object")
    if value.duplicate_keys:
        keys = ", ".join(repr(key) for key in value.duplicate_keys)
        raise MetadataLineError(f"key {keys} given twice")
    if _ESCAPED_SURROGATE.search(text) is not None:
        surrogate = _first_surrogate(value)
        if surrogate is not None:
            raise MetadataLineError(f"lone surrogate \\u{ord(surrogate):04x} in a string")
    return dict(value)


def parse_metadata(entry: Mapping[str, object]) -> Metadata:
    """Read the known keys of a metadata entry, dropping values of the wrong kind.

    ``null`` means absent. A value that is not text is dropped, with a problem saying so.
    Text values are made one printable line: white space runs become one space, terminal
    escape sequences and other non-printable characters (controls, zero-width and bidi
    marks, private-use code points) are removed, with a problem and the
    ``metadata_cleaned`` flag. A ``date`` that is not a date or a ``language`` that is not
    an ISO 639-1 code is dropped and flagged.

    Args:
        entry: One JSON object from a ``metadata.jsonl`` file.

    Returns:
        The interpreted metadata, with flags, the keys it ignored and its problems.
    """
    flags: list[DocumentFlag] = []
    problems: list[str] = []
    values: dict[str, str | None] = dict.fromkeys(_TEXT_KEYS)
    for key in _TEXT_KEYS:
        raw = entry.get(key)
        if isinstance(raw, str):
            values[key], cleaned = _one_line(raw)
            if cleaned:
                problems.append(f"{key!r}: non-printable characters removed")
                if DocumentFlag.METADATA_CLEANED not in flags:
                    flags.append(DocumentFlag.METADATA_CLEANED)
        elif raw is not None:
            problems.append(f"{key!r} is {_json_kind(raw)}, not text: dropped")
    published = None
    raw_date = values["date"]
    if raw_date is not None:
        published = parse_date(raw_date, ANY_LANGUAGE, whole=True)
        if published is None:
            flags.append(DocumentFlag.METADATA_DATE_INVALID)
    language = values["language"]
    if language is not None:
        language = language.lower()
        if not _LANGUAGE.fullmatch(language):
            flags.append(DocumentFlag.METADATA_LANGUAGE_INVALID)
            language = None
    agency = values["agency"]
    source = values["source"]
    if agency is None and source is not None and normalize_agency(source) in _KNOWN_AGENCIES:
        agency = source
    return Metadata(
        title=values["title"],
        published=published,
        language=language,
        license=spdx_license(values["license"]),
        url=values["url"],
        agency=normalize_agency(agency) if agency is not None else None,
        flags=tuple(flags),
        ignored_keys=tuple(sorted(k for k in entry if k not in KNOWN_KEYS)),
        problems=tuple(problems),
    )


def spdx_license(text: str | None) -> str | None:
    """Return the SPDX id for a free-text license where one exists, else the text itself."""
    if text is None:
        return None
    for pattern, spdx in LICENSE_SPDX_PATTERNS.items():
        if re.match(pattern, text, re.IGNORECASE):
            return spdx
    return text


class _JsonObject(dict[str, object]):
    """A parsed JSON object that remembers the keys its text gave more than once."""

    duplicate_keys: tuple[str, ...] = ()

    @classmethod
    def from_pairs(cls, pairs: list[tuple[str, object]]) -> _JsonObject:
        made = cls(pairs)
        if len(made) != len(pairs):
            seen: set[str] = set()
            twice: set[str] = set()
            for key, _ in pairs:
                (twice if key in seen else seen).add(key)
            made.duplicate_keys = tuple(sorted(twice))
        return made


def _refuse_constant(name: str) -> object:
    raise MetadataLineError(f"{name} is not a JSON number")


def _parse_int(digits: str) -> int:
    _check_number(digits)
    return int(digits)


def _parse_float(digits: str) -> float:
    _check_number(digits)
    return float(digits)


def _check_number(digits: str) -> None:
    if len(digits) > MAX_NUMBER_DIGITS:
        raise MetadataLineError(
            f"a number of {len(digits)} characters (more than {MAX_NUMBER_DIGITS})"
        )


_DECODER = json.JSONDecoder(
    parse_constant=_refuse_constant,
    parse_int=_parse_int,
    parse_float=_parse_float,
    object_pairs_hook=_JsonObject.from_pairs,
)


def _too_deep(text: str) -> bool:
    if text.count("[") + text.count("{") <= MAX_NESTING:
        return False
    depth = 0
    for token in _STRUCTURE.finditer(text):
        bracket = token.group()
        if bracket in ("[", "{"):
            depth += 1
            if depth > MAX_NESTING:
                return True
        elif bracket in ("]", "}"):
            depth -= 1
    return False


def _first_surrogate(value: object) -> str | None:
    """Return the first lone surrogate of any key or string in a parsed JSON value."""
    # A loop over a stack: the value may be nested as deep as the parser allowed.
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            found = _SURROGATE.search(item)
            if found is not None:
                return found.group()
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return None


def _one_line(value: str) -> tuple[str | None, bool]:
    """Return a text value as one printable line (None when blank) and whether it was cleaned."""
    text = " ".join(value.split())
    if text.isprintable():
        return text or None, False
    text = _ESCAPE_SEQUENCE.sub("", text)
    text = " ".join("".join(char for char in text if char.isprintable()).split())
    return text or None, True


def _json_kind(value: object) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, list):
        return "a list"
    return "an object"
