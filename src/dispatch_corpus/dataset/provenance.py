"""Where each collection comes from, read from its ``metadata.jsonl`` for the release card.

The build keeps only the fields a document row holds (license, url, ...); a sidecar also
says which upstream corpus a dispatch was taken from and how (``source``, ``source_repo``,
``source_commit``, ``source_path``, ``note``, and yes/no marks such as
``paragraphs_lost``). ``read_sources`` reads those from the corpus a build was made from,
counting only the entries of documents in the data; ``SourceCounter`` is the pure summary.
A sidecar that cannot be read leaves its collection without provenance, never fails.
"""

from __future__ import annotations

import io
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from dispatch_corpus.core.metadata import MetadataLineError, parse_line
from dispatch_corpus.dataset.corpus import (
    MAX_METADATA_LINE_CHARS,
    MAX_SIDECAR_BYTES,
    METADATA_FILE,
    named_ids,
    open_regular,
)

TEXT_KEYS = ("source", "source_repo", "source_commit", "source_path", "license", "note")
"""Sidecar keys whose text values describe where a document comes from."""
_SKIPPED_KEYS = frozenset({"id", "file", "title", "date", "language", "url", "agency"})
MAX_VALUES = 20
"""Distinct values kept per key and collection: a card lists a handful, not every title."""
MAX_VALUE_CHARS = 1000
# A dot, a short alphanumeric extension, then the end, a space or closing punctuation.
_SUFFIX = re.compile(r"\.[A-Za-z][A-Za-z0-9]{0,9}(?=$|[\s),;\]])")


@dataclass(frozen=True)
class CollectionSources:
    """The provenance a collection's sidecar gives for its documents in the data."""

    documents: int
    """Documents of the data with a usable sidecar entry."""
    values: dict[str, dict[str, int]]
    """For each of ``TEXT_KEYS``, documents per distinct value (most frequent first).
    ``source_path`` is reduced to its file format (its suffix, e.g. ``.conllu``)."""
    marks: dict[str, int]
    """Other keys set to ``true`` (or a non-empty list), by documents: what the upstream
    conversion did (``paragraphs_lost``, ``cleaned_from_wikitext``...)."""


@dataclass
class SourceCounter:
    """Accumulates the sidecar entries of one collection into ``CollectionSources``."""

    documents: int = 0
    values: dict[str, Counter[str]] = field(default_factory=dict)
    marks: Counter[str] = field(default_factory=Counter)

    def add(self, entry: Mapping[str, object]) -> None:
        """Count one sidecar entry (a parsed JSON object)."""
        self.documents += 1
        for key, value in entry.items():
            if key in TEXT_KEYS and isinstance(value, str):
                text = one_line(value[:MAX_VALUE_CHARS])
                if key == "source_path":
                    text = file_format(text)
                if text:
                    self._count(self.values.setdefault(key, Counter()), text)
            elif key not in _SKIPPED_KEYS and key not in TEXT_KEYS and _is_set(value):
                self._count(self.marks, one_line(key[:MAX_VALUE_CHARS]))

    def sources(self) -> CollectionSources:
        """Return the provenance counted so far."""
        return CollectionSources(
            documents=self.documents,
            values={key: _by_count(self.values[key]) for key in TEXT_KEYS if key in self.values},
            marks=_by_count(self.marks),
        )

    @staticmethod
    def _count(counter: Counter[str], value: str) -> None:
        # A sidecar with a distinct value per line cannot grow the card (or memory) without bound.
        if value in counter or len(counter) < MAX_VALUES:
            counter[value] += 1


def read_sources(
    corpus: Path | None, doc_ids: Mapping[str, Iterable[str]]
) -> dict[str, CollectionSources]:
    """Return the provenance of each collection whose sidecar can be read.

    Args:
        corpus: The corpus folder the build was made from (``None``: unknown).
        doc_ids: The doc_ids of each collection in the data; other entries are ignored,
            and a document named twice counts once (the first entry wins, as in the build).

    Returns:
        Collection -> provenance, for collections whose sidecar was read and matched a
        document; a missing, unreadable or oversized sidecar is left out.
    """
    if corpus is None:
        return {}
    found: dict[str, CollectionSources] = {}
    for collection, ids in sorted(doc_ids.items()):
        counter = SourceCounter()
        wanted = set(ids)
        for entry in _entries(corpus, collection):
            doc_id = _entry_id(entry)
            if doc_id in wanted:
                wanted.discard(doc_id)
                counter.add(entry)
        if counter.documents:
            found[collection] = counter.sources()
    return found


def _entries(corpus: Path, collection: str) -> Iterable[dict[str, object]]:
    try:
        handle, size = open_regular(corpus, (collection, METADATA_FILE))
    except OSError:
        return
    with handle:
        if size > MAX_SIDECAR_BYTES:
            return
        text = io.TextIOWrapper(handle, encoding="utf-8", errors="surrogateescape", newline=None)
        while line := text.readline(MAX_METADATA_LINE_CHARS + 1):
            if len(line) > MAX_METADATA_LINE_CHARS and not line.endswith("\n"):
                # Skipped in bounded pieces, as the build skips it.
                while line and not line.endswith("\n"):
                    line = text.readline(MAX_METADATA_LINE_CHARS)
                continue
            if handle.tell() > size:
                return
            try:
                yield parse_line(line.removeprefix("\ufeff").encode("utf-8", "surrogateescape"))
            except MetadataLineError:
                continue


def one_line(text: str) -> str:
    """Return text as one line of printable characters.

    Line breaks become spaces; controls and invisible marks are dropped, so a sidecar value
    is shown on the card as the words it holds.
    """
    return " ".join("".join(c for c in " ".join(text.split()) if c.isprintable()).split())


def file_format(path: str) -> str:
    """Return the format of an upstream file named in a ``source_path``: its last suffix.

    ``archive.zip:docs/1.html`` is ``.html`` (the file inside the archive) and
    ``endataset.json (removed later)`` is ``.json``: a path may carry a remark.
    """
    suffixes = _SUFFIX.findall(path.rsplit(":", 1)[-1])
    return suffixes[-1].lower() if suffixes else ""


def _entry_id(entry: Mapping[str, object]) -> str | None:
    by_id, by_file = named_ids(entry)
    # An entry whose id and file disagree is unusable, as in the build.
    if by_id is not None and by_file is not None and by_id != by_file:
        return None
    return by_id or by_file


def _is_set(value: object) -> bool:
    return value is True or (isinstance(value, list) and bool(value))


def _by_count(counts: Counter[str]) -> dict[str, int]:
    return dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))
