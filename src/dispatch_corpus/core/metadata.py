"""Interpret metadata sidecar lines: one ``metadata.jsonl`` line to the fields of a document."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from dispatch_corpus.core.cues.common import AGENCIES, ANY_LANGUAGE
from dispatch_corpus.core.label.byline import normalize_agency, parse_date
from dispatch_corpus.errors import MalformedInputError
from dispatch_corpus.models import LANGUAGE_PATTERN, DocumentFlag
from dispatch_corpus.utils.jsontext import parse_json

LICENSE_SPDX_PATTERNS: Mapping[str, str] = {
    r"CC[ -]?BY[ -]SA[ -]?4\.0": "CC-BY-SA-4.0",
    r"CC[ -]?BY[ -]SA[ -]?3\.0": "CC-BY-SA-3.0",
    r"CC[ -]?BY[ -]?4\.0": "CC-BY-4.0",
    r"CC[ -]?BY[ -]?3\.0": "CC-BY-3.0",
    r"CC[ -]?BY[ -]?2\.5": "CC-BY-2.5",
    r"CC0": "CC0-1.0",
}
"""Regex (matched at the start of a metadata license string) -> SPDX id."""

KNOWN_KEYS = frozenset(
    {"id", "file", "title", "date", "language", "license", "url", "source", "agency"}
)
"""Metadata keys the build reads; any other key is ignored with a note."""
_TEXT_KEYS = ("title", "date", "language", "license", "url", "source", "agency")
_LANGUAGE = re.compile(LANGUAGE_PATTERN)
_KNOWN_AGENCIES = frozenset(AGENCIES)
# Terminal escape sequences are removed whole, so no "[31m" is left behind.
_ESCAPE_SEQUENCE = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]|\x9b[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[@-_]"
)


class MetadataLineError(MalformedInputError):
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
    """Decode and parse one ``metadata.jsonl`` line as a strict JSON object.

    Args:
        line: The raw bytes of one line (its line end may be included).

    Returns:
        The JSON object.

    Raises:
        MetadataLineError: When the line is not strict JSON (``jsontext.parse_json``) or not
            an object.
    """
    try:
        value = parse_json(line)
    except ValueError as error:
        raise MetadataLineError(str(error)) from None
    if not isinstance(value, dict):
        raise MetadataLineError("not a JSON object")
    return value


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
        # A metadata date may be written in any language's format, and must be a date and nothing
        # more.
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
    # A source that names a known agency is a wire credit; any other source (a site, a newspaper) is
    # none.
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


def _one_line(value: str) -> tuple[str | None, bool]:
    """Return a text value as one printable line (None when blank) and whether it was cleaned."""
    # White space first: a tab or a line break becomes a space, not a removed character.
    text = " ".join(value.split())
    if text.isprintable():
        return text or None, False
    text = _ESCAPE_SEQUENCE.sub("", text)
    text = " ".join("".join(char for char in text if char.isprintable()).split())
    return text or None, True


def _json_kind(value: object) -> str:
    # bool before int: True is an int in Python.
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, list):
        return "a list"
    return "an object"
