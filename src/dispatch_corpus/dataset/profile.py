"""Per-collection figures of a dataset folder for its card: null fields, long blocks, dates.

``profile_collections`` reads the columns it needs; ``CollectionCounter`` is the pure
summary, fed one document at a time, so the figures can be tested without Parquet.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from dispatch_corpus.core.text.split import SINGLE_BLOCK_MIN_CHARS, SINGLE_BLOCK_MIN_SHARE
from dispatch_corpus.dataset.reader import iter_rows, table_files

NULLABLE_FIELDS = ("published", "agency", "title", "url", "license")
"""The document fields whose nulls the card counts, per collection."""


@dataclass(frozen=True)
class CollectionProfile:
    """What a practitioner must know about one collection, measured on its documents."""

    documents: int
    paragraphs: int
    languages: dict[str, int]
    licenses: dict[str, int]
    """Documents per license id (``documents.license``); null licenses are not counted."""
    agencies: dict[str, int]
    flags: dict[str, int]
    """Documents per document flag."""
    nulls: dict[str, int]
    """Documents whose field is null, for each of ``NULLABLE_FIELDS``."""
    single_block: int
    """Documents whose longest paragraph is a block of at least ``SINGLE_BLOCK_MIN_CHARS``
    holding at least ``SINGLE_BLOCK_MIN_SHARE`` of the text (the paragraph split found
    almost no structure)."""
    block_chars: tuple[int, ...]
    """The length of that block, for each such document, ascending."""
    first_published: date | None
    last_published: date | None


@dataclass
class CollectionCounter:
    """Accumulates one collection's documents into a ``CollectionProfile``."""

    documents: int = 0
    paragraphs: int = 0
    languages: Counter[str] = field(default_factory=Counter)
    licenses: Counter[str] = field(default_factory=Counter)
    agencies: Counter[str] = field(default_factory=Counter)
    flags: Counter[str] = field(default_factory=Counter)
    nulls: Counter[str] = field(default_factory=Counter)
    block_chars: list[int] = field(default_factory=list)
    dates: list[date] = field(default_factory=list)

    def add(self, document: Mapping[str, Any], longest_paragraph: int) -> None:
        """Count one document row and the length of its longest paragraph."""
        self.documents += 1
        self.paragraphs += document["n_paragraphs"]
        self.languages[document["language"]] += 1
        self.flags.update(document["flags"])
        for name in NULLABLE_FIELDS:
            if document[name] is None:
                self.nulls[name] += 1
        if document["license"] is not None:
            self.licenses[document["license"]] += 1
        if document["agency"] is not None:
            self.agencies[document["agency"]] += 1
        if document["published"] is not None:
            self.dates.append(document["published"])
        # The same test as the build's single_block flag, measured here from the rows, so a
        # dataset built by an older labeler is described by what it holds.
        if (
            longest_paragraph >= SINGLE_BLOCK_MIN_CHARS
            and longest_paragraph >= SINGLE_BLOCK_MIN_SHARE * document["n_chars"]
        ):
            self.block_chars.append(longest_paragraph)

    def profile(self) -> CollectionProfile:
        """Return the figures counted so far."""
        return CollectionProfile(
            documents=self.documents,
            paragraphs=self.paragraphs,
            languages=_by_count(self.languages),
            licenses=_by_count(self.licenses),
            agencies=_by_count(self.agencies),
            flags=_by_count(self.flags),
            nulls={name: self.nulls[name] for name in NULLABLE_FIELDS},
            single_block=len(self.block_chars),
            block_chars=tuple(sorted(self.block_chars)),
            first_published=min(self.dates, default=None),
            last_published=max(self.dates, default=None),
        )


def profile_collections(dataset_dir: Path) -> dict[str, CollectionProfile]:
    """Return the profile of every collection of a dataset folder, by collection name.

    Args:
        dataset_dir: A build or release folder.

    Returns:
        One profile per collection, sorted by name.

    Raises:
        DatasetError: When a table cannot be read (see ``reader.iter_rows``).
    """
    files = table_files(dataset_dir)
    longest: Counter[str] = Counter()
    for row in iter_rows(files["paragraphs"], ["doc_id", "char_start", "char_end"]):
        longest[row["doc_id"]] = max(longest[row["doc_id"]], row["char_end"] - row["char_start"])
    counters: dict[str, CollectionCounter] = {}
    columns = [
        "doc_id",
        "collection",
        "language",
        "n_paragraphs",
        "n_chars",
        "flags",
        *NULLABLE_FIELDS,
    ]
    for row in iter_rows(files["documents"], columns):
        counter = counters.setdefault(row["collection"], CollectionCounter())
        counter.add(row, longest[row["doc_id"]])
    return {name: counters[name].profile() for name in sorted(counters)}


def _by_count(counts: Counter[str]) -> dict[str, int]:
    return dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))
