"""Split pins: the split each document had in an earlier release or build (I/O).

``build --splits-from DIR`` reads the ``doc_id`` and ``split`` columns of DIR's documents
table, and nothing else, so that every document keeps the split it was published in. A folder
of this tool made before splits existed (no ``split`` column, like releases 1.0.0 and 2.0.0)
gives no pins and a note; a folder that is not a build or release of this tool, or that
cannot be read, stops the build.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from dispatch_corpus.dataset.buildrecord import file_sha256
from dispatch_corpus.dataset.layout import BUILD_RECORD, RELEASE_MANIFEST, SPLITS
from dispatch_corpus.dataset.reader import parquet_errors, table_files
from dispatch_corpus.errors import DatasetError
from dispatch_corpus.models import is_doc_id

_COLUMNS = ("doc_id", "split")


@dataclass(frozen=True)
class Pins:
    """Splits pinned by an earlier release or build, and where they were read."""

    splits: dict[str, str] = field(default_factory=dict)
    """Split of each pinned document, by doc_id."""
    source: Path | None = None
    """The folder read (None: no ``--splits-from``)."""
    files: dict[str, str] = field(default_factory=dict)
    """sha256 of each documents shard read, by path relative to ``source``."""
    note: str | None = None
    """Why the folder gave no pins, when it gave none."""

    def recorded(self) -> dict[str, Any] | None:
        """Return what ``BUILD.json`` records of the pins (None without ``--splits-from``)."""
        if self.source is None:
            return None
        return {
            "from": str(self.source),
            "documents_sha256": self.files,
            "pinned": len(self.splits),
        }


NO_PINS = Pins()


def read_pins(folder: Path) -> Pins:
    """Read the split of every document of a build or release folder made by this tool.

    Args:
        folder: A build (``BUILD.json``) or release (``MANIFEST.json``) folder.

    Returns:
        The pins; none, with a note, when its documents table has no ``split`` column.

    Raises:
        DatasetError: When the folder is missing, not a build or release, or its documents
            shards are unreadable, lack ``doc_id``, or hold a doc_id or split that is not
            valid, or one doc_id twice.
    """
    if not folder.is_dir():
        raise DatasetError(f"--splits-from {folder}: not a folder")
    if not any((folder / name).is_file() for name in (BUILD_RECORD, RELEASE_MANIFEST)):
        raise DatasetError(
            f"--splits-from {folder}: not a build or release of dispatch-corpus "
            f"(no {BUILD_RECORD} or {RELEASE_MANIFEST})"
        )
    shards = table_files(folder)["documents"]
    files: dict[str, str] = {}
    splits: dict[str, str] = {}
    without = []
    for path in shards:
        with parquet_errors(path):
            names = set(pq.read_schema(path).names)
            if "doc_id" not in names:
                raise DatasetError(f"{path}: no doc_id column")
            if "split" not in names:
                without.append(path)
                files[path.relative_to(folder).as_posix()] = file_sha256(path)
                continue
            table = pq.read_table(path, columns=list(_COLUMNS))
        files[path.relative_to(folder).as_posix()] = file_sha256(path)
        for doc_id, split in zip(*(table[c].to_pylist() for c in _COLUMNS), strict=True):
            _check_pin(path, doc_id, split)
            if doc_id in splits:
                raise DatasetError(f"{path}: doc_id {doc_id!r} appears twice")
            splits[doc_id] = split
    if without and len(without) < len(shards):
        raise DatasetError(f"{without[0]}: no split column, unlike the other documents shards")
    if without:
        note = f"--splits-from {folder}: its documents have no split column, nothing pinned"
        return Pins({}, folder, files, note)
    return Pins(splits, folder, files)


def _check_pin(path: Path, doc_id: object, split: object) -> None:
    if not is_doc_id(doc_id):
        raise DatasetError(f"{path}: doc_id {doc_id!r} is not a valid doc_id")
    if split not in SPLITS:
        raise DatasetError(
            f"{path}: split {split!r} of {doc_id!r} is not one of {', '.join(SPLITS)}"
        )
