"""Interpret one metadata sidecar entry (a parsed ``metadata.jsonl`` line)."""

from __future__ import annotations

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
_LANGUAGE = re.compile(LANGUAGE_PATTERN)
_KNOWN_AGENCIES = frozenset(AGENCIES)


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


def parse_metadata(entry: Mapping[str, object]) -> Metadata:
    """Read the known keys of a metadata entry, dropping values of the wrong kind.

    A ``date`` that is not a date or a ``language`` that is not an ISO 639-1 code is dropped
    and flagged; other values of the wrong type are dropped silently as absent.

    Args:
        entry: One JSON object from a ``metadata.jsonl`` file.

    Returns:
        The interpreted metadata, with flags and the keys it ignored.
    """
    flags: list[DocumentFlag] = []
    published = None
    raw_date = _text(entry.get("date"))
    if raw_date is not None:
        published = parse_date(raw_date, ANY_LANGUAGE, whole=True)
        if published is None:
            flags.append(DocumentFlag.METADATA_DATE_INVALID)
    language = _text(entry.get("language"))
    if language is not None:
        language = language.lower()
        if not _LANGUAGE.fullmatch(language):
            flags.append(DocumentFlag.METADATA_LANGUAGE_INVALID)
            language = None
    agency = _text(entry.get("agency"))
    source = _text(entry.get("source"))
    if agency is None and source is not None and normalize_agency(source) in _KNOWN_AGENCIES:
        agency = source
    return Metadata(
        title=_text(entry.get("title")),
        published=published,
        language=language,
        license=spdx_license(_text(entry.get("license"))),
        url=_text(entry.get("url")),
        agency=normalize_agency(agency) if agency is not None else None,
        flags=tuple(flags),
        ignored_keys=tuple(sorted(k for k in entry if k not in KNOWN_KEYS)),
    )


def spdx_license(text: str | None) -> str | None:
    """Return the SPDX id for a free-text license where one exists, else the text itself."""
    if text is None:
        return None
    for pattern, spdx in LICENSE_SPDX_PATTERNS.items():
        if re.match(pattern, text, re.IGNORECASE):
            return spdx
    return text


def _text(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    stripped = " ".join(value.split())
    return stripped or None
