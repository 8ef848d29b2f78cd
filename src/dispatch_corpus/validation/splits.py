"""Split and cluster checks: they span the whole documents table, not one doc_id range.

A cluster's members can sit anywhere in the doc_id order and in any shard, so these checks
read the narrow columns they need (``doc_id``, ``cluster_id``, ``split`` of the documents;
``doc_id`` of the paragraphs and sections) shard by shard, and compare each row with the
split its shard file is named for (``layout.shard_split``).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from dispatch_corpus.dataset.layout import shard_split
from dispatch_corpus.utils.values import shown
from dispatch_corpus.validation.dataset import DatasetFiles, ValidationInputError
from dispatch_corpus.validation.results import Tally

SPLIT_CHECKS: dict[str, tuple[str, str]] = {
    "documents.split_matches_shard": (
        "documents",
        "a document's split names the shard file it is stored in",
    ),
    "documents.cluster_id_in_documents": (
        "documents",
        "every cluster_id is the doc_id of a document",
    ),
    "documents.cluster_in_one_split": (
        "documents",
        "every member of a near-duplicate cluster is in the same split",
    ),
    "paragraphs.in_document_split": (
        "paragraphs",
        "a paragraph is stored in the shards of its document's split",
    ),
    "sections.in_document_split": (
        "sections",
        "a section is stored in the shards of its document's split",
    ),
}
"""Name -> (table, description) of every split check."""
_DOCUMENT_COLUMNS = ("doc_id", "cluster_id", "split")


def _add(tally: Tally, rows: int, bad: list[tuple[object, object, object]]) -> None:
    """Count ``rows`` checked and the failing ``(key, actual, expected)`` among them."""
    tally.add(
        rows,
        len(bad),
        [f"{shown(key)}: {shown(actual)}" for key, actual, _ in bad],
        [{"row": shown(k), "actual": shown(a), "expected": shown(e)} for k, a, e in bad],
    )


def _tally(name: str) -> Tally:
    table, description = SPLIT_CHECKS[name]
    return Tally(check=name, table=table, kind="cross", description=description)


def _read(path: Path, columns: tuple[str, ...]) -> Iterator[pa.RecordBatch]:
    """Read some columns of a shard batch by batch, naming the shard if it fails."""
    try:
        yield from pq.ParquetFile(path).iter_batches(columns=list(columns))
    except (OSError, pa.ArrowException) as error:
        raise ValidationInputError(f"cannot read {path}: {error}") from error


def check_splits(files: DatasetFiles, usable: dict[str, frozenset[str]]) -> list[Tally]:
    """Run the split checks whose columns every shard holds with the model's type.

    Args:
        files: The shards of the dataset.
        usable: The columns each table's checks can read (``SchemaCheck.usable``).

    Returns:
        One tally per check run, in ``SPLIT_CHECKS`` order.

    Raises:
        ValidationInputError: When a shard cannot be read.
    """
    if not set(_DOCUMENT_COLUMNS) <= usable["documents"]:
        return []
    tallies = {name: _tally(name) for name in SPLIT_CHECKS}
    parts = []
    for path in files.files["documents"]:
        stored = shard_split(path.name)
        for batch in _read(path, _DOCUMENT_COLUMNS):
            split = batch.column("split")
            bad = np.asarray(pc.fill_null(pc.not_equal(split, stored), True), dtype=bool)
            _add(
                tallies["documents.split_matches_shard"],
                batch.num_rows,
                [
                    (batch.column("doc_id")[i].as_py(), split[i].as_py(), stored)
                    for i in np.flatnonzero(bad)
                ],
            )
            parts.append(batch)
    docs = pa.table(
        {c: pa.chunked_array([b.column(c) for b in parts], pa.string()) for c in _DOCUMENT_COLUMNS}
    )
    _check_clusters(docs, tallies)
    ids = docs["doc_id"].combine_chunks()
    splits = docs["split"].combine_chunks()
    for table in ("paragraphs", "sections"):
        name = f"{table}.in_document_split"
        if "doc_id" not in usable[table]:
            del tallies[name]
            continue
        for path in files.files[table]:
            stored = shard_split(path.name)
            for batch in _read(path, ("doc_id",)):
                where = pc.index_in(batch.column("doc_id"), value_set=ids)
                # A row without a document is the doc_id_in_documents check's finding.
                owner = pc.take(splits, where)
                bad = np.asarray(pc.fill_null(pc.not_equal(owner, stored), False), dtype=bool)
                _add(
                    tallies[name],
                    batch.num_rows,
                    [
                        (batch.column("doc_id")[i].as_py(), stored, owner[i].as_py())
                        for i in np.flatnonzero(bad)
                    ],
                )
    return list(tallies.values())


def _check_clusters(docs: pa.Table, tallies: dict[str, Tally]) -> None:
    """Check that every cluster_id names a document and every cluster sits in one split."""
    ids = docs["doc_id"].combine_chunks()
    clusters = docs["cluster_id"].combine_chunks()
    splits = docs["split"].combine_chunks()
    known = np.asarray(pc.fill_null(pc.is_in(clusters, value_set=ids), False), dtype=bool)
    _add(
        tallies["documents.cluster_id_in_documents"],
        len(ids),
        [
            (ids[i].as_py(), clusters[i].as_py(), "a doc_id of the documents table")
            for i in np.flatnonzero(~known)
        ],
    )
    # A cluster's split is its own document's (cluster_id == doc_id) when there is one.
    head = pc.index_in(clusters, value_set=ids)
    expected = pc.take(splits, head)
    bad = np.asarray(pc.fill_null(pc.not_equal(splits, expected), False), dtype=bool)
    _add(
        tallies["documents.cluster_in_one_split"],
        len(ids),
        [(ids[i].as_py(), splits[i].as_py(), expected[i].as_py()) for i in np.flatnonzero(bad)],
    )
