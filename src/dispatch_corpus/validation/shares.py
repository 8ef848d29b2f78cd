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
    share = SHARE_COLUMNS[name]
    rows = tables[share.table]
    hits = pa.array(_matches(rows, share).astype(np.int64))
    grouped = (
        pa.table({"doc_id": rows["doc_id"], "hit": hits})
        .group_by("doc_id")
        .aggregate([("hit", "sum"), ("hit", "count")])
    )
    ratios = pc.divide(
        pc.cast(grouped["hit_sum"], pa.float64()), pc.cast(grouped["hit_count"], pa.float64())
    )
    # A document with no row in the counted table, or a null doc_id, finds no index: its share
    # is null.
    where = pc.index_in(
        tables["documents"]["doc_id"], value_set=grouped["doc_id"].combine_chunks(), skip_nulls=True
    )
    return pc.take(ratios.combine_chunks(), where)


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
