"""Per-document shares: derived columns that let distribution checks count each document once.

A share column of the documents batch holds, for each document, the fraction of its
paragraphs (or sections) that have one role, label or flag: matching rows over the rows of
the document in that table. A document with no such rows has a null share, which the
column-map expectations leave out. The suites bound these columns with ``mostly``, so one
huge document weighs as much as any other.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from dispatch_corpus.models import ParagraphFlag, Role, SectionLabel


@dataclass(frozen=True)
class ShareColumn:
    """What a share column counts: rows of ``table`` whose ``column`` holds ``value``.

    ``value`` is a ClassLabel index for ``role`` and ``label``, an element for ``flags``.
    """

    table: str
    column: str
    value: int | str
    description: str


def _role(role: Role) -> ShareColumn:
    return ShareColumn(
        "paragraphs",
        "role",
        list(Role).index(role),
        f"share of the document's paragraphs whose role is {role.value}",
    )


def _label(label: SectionLabel) -> ShareColumn:
    return ShareColumn(
        "sections",
        "label",
        list(SectionLabel).index(label),
        f"share of the document's sections labelled {label.value}",
    )


SHARE_COLUMNS: dict[str, ShareColumn] = {
    "share_starts_lowercase": ShareColumn(
        "paragraphs",
        "flags",
        ParagraphFlag.STARTS_LOWERCASE.value,
        "share of the document's paragraphs flagged starts_lowercase",
    ),
    **{
        f"share_{role.value}": _role(role)
        for role in (
            Role.BODY,
            Role.STATEMENT,
            Role.DATELINE,
            Role.SUBHEADING,
            Role.BOILERPLATE,
            Role.LIST_INTRO,
            Role.LIST_ITEM,
        )
    },
    **{
        f"section_share_{label.value}": _label(label)
        for label in (SectionLabel.BODY, SectionLabel.BOILERPLATE)
    },
}
"""Share columns of the documents batch, by name."""


def document_shares(tables: dict[str, pa.Table], name: str) -> pa.Array:
    """Return one share column for the documents of a range of rows.

    Args:
        tables: The rows of every table in one ``doc_id`` range (all rows of its documents).
        name: A key of ``SHARE_COLUMNS``.

    Returns:
        A float64 array aligned with ``tables["documents"]``: matching rows over the
        document's rows; null for a document with no rows in the counted table, or a null
        ``doc_id``.
    """
    return ShareCounter(tables).share(name)


class ShareCounter:
    """Share columns of one range of rows, each table's rows matched to documents once."""

    def __init__(self, tables: dict[str, pa.Table]) -> None:
        self.tables = tables
        documents = tables["documents"]["doc_id"]
        self._ids = pc.unique(documents.drop_null())
        self._documents = _positions(documents, self._ids)
        self._owners: dict[str, tuple[np.ndarray, np.ndarray]] = {}

    def share(self, name: str) -> pa.Array:
        """Return the share column ``name`` (a key of ``SHARE_COLUMNS``), as ``document_shares``."""
        share = SHARE_COLUMNS[name]
        rows = self.tables[share.table]
        if share.table not in self._owners:
            # Rows whose doc_id is null or no document's count for no document.
            owners = _positions(rows["doc_id"], self._ids)
            kept = owners >= 0
            self._owners[share.table] = (owners[kept], kept)
        owners, kept = self._owners[share.table]
        size = len(self._ids)
        hits = np.bincount(owners, weights=_matches(rows, share)[kept], minlength=size)
        counts = np.bincount(owners, minlength=size).astype(np.float64)
        # Sums of 0 and 1 in float64 are exact: the ratio is that of the two integer counts.
        ratios = pa.array(hits / np.where(counts > 0, counts, 1), mask=counts == 0)
        return ratios.take(pa.array(self._documents, mask=self._documents < 0))


def _positions(doc_ids: pa.ChunkedArray | pa.Array, ids: pa.Array) -> np.ndarray:
    """Each row's position in ``ids``; -1 for a null doc_id or one not in ``ids``."""
    found = pc.index_in(doc_ids, value_set=ids, skip_nulls=True).fill_null(-1)
    return np.asarray(found.to_numpy(zero_copy_only=False), dtype=np.int64)


def _matches(rows: pa.Table, share: ShareColumn) -> np.ndarray:
    """Whether each row holds the counted value (null roles, labels and flags do not)."""
    column = rows[share.column].combine_chunks()
    if share.column == "flags":
        found = np.zeros(rows.num_rows, dtype=bool)
        elements = pc.list_flatten(column)
        parents = pc.list_parent_indices(column)
        equal = pc.equal(elements, share.value).fill_null(False)
        found[pc.filter(parents, equal).to_numpy(zero_copy_only=False)] = True
        return found
    equal = pc.equal(column, share.value).fill_null(False)
    return np.asarray(equal.to_numpy(zero_copy_only=False), dtype=bool)


def derived_inputs(name: str) -> dict[str, tuple[str, ...]]:
    """Return the columns of each table a derived column of the documents batch is made of.

    Args:
        name: ``lead_paragraphs`` or a key of ``SHARE_COLUMNS``; any other name is made
            of nothing known (computing it fails with its own message).

    Returns:
        Table -> the columns read.
    """
    if name == "lead_paragraphs":
        return {"documents": ("doc_id",), "paragraphs": ("doc_id", "role")}
    share = SHARE_COLUMNS.get(name)
    if share is None:
        return {"documents": ("doc_id",)}
    if share.table == "documents":
        return {"documents": ("doc_id", share.column)}
    return {"documents": ("doc_id",), share.table: ("doc_id", share.column)}


def derived_kind(table: str, name: str) -> str | None:
    """Return the kind of a derived column of a table's batch, None when it has no form.

    Args:
        table: The table whose batch would hold the column (only documents batches have
            derived columns).
        name: The column: ``lead_paragraphs`` (a count) or a key of ``SHARE_COLUMNS``.

    Returns:
        ``int64`` or ``float64``, the column's Arrow type.
    """
    if table != "documents":
        return None
    if name == "lead_paragraphs":
        return "int64"
    return "float64" if name in SHARE_COLUMNS else None
