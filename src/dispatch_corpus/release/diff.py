"""Compare two dataset folders (releases or builds) table by table, row by row."""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dispatch_corpus.dataset.layout import SPLITS, shard_split
from dispatch_corpus.dataset.reader import (
    class_names,
    iter_rows,
    read_features,
    read_schema,
    table_files,
)
from dispatch_corpus.errors import DatasetError
from dispatch_corpus.models import TABLE_KEYS, TABLE_MODELS
from dispatch_corpus.release.semver import Bump

Key = tuple[Any, ...]


@dataclass(frozen=True)
class TableDelta:
    """Rows of one table added, removed and changed (same key, different content)."""

    old_rows: int
    new_rows: int
    added: int
    removed: int
    changed: int


@dataclass(frozen=True, order=True)
class SplitChange:
    """A document kept from one release to the next whose split moved."""

    doc_id: str
    old: str
    new: str


@dataclass(frozen=True)
class DatasetDiff:
    """What changed from an old dataset folder (None: nothing before) to a new one."""

    old: Path | None
    new: Path
    tables: dict[str, TableDelta]
    documents_added: tuple[str, ...] = ()
    documents_removed: tuple[str, ...] = ()
    documents_text_changed: tuple[str, ...] = ()
    documents_fields_changed: tuple[str, ...] = ()
    distributions: dict[str, dict[str, tuple[int, int]]] = field(default_factory=dict)
    schema_changes: tuple[str, ...] = ()
    split_changes: tuple[SplitChange, ...] = ()
    """Documents in both folders whose split differs: a model evaluated on the old test
    split may have trained on them in the new one, so only a MAJOR release may do this."""

    @property
    def needed_bump(self) -> Bump:
        """The smallest version bump the change needs (Croissant's semver rules)."""
        if self.schema_changes or self.split_changes:
            return Bump.MAJOR
        if any(t.removed or t.changed for t in self.tables.values()):
            return Bump.MAJOR
        if any(t.added for t in self.tables.values()):
            return Bump.MINOR
        return Bump.PATCH


@dataclass
class _TableScan:
    digests: dict[Key, bytes] = field(default_factory=dict)
    counts: dict[str, Counter[str]] = field(default_factory=dict)
    text_sha256: dict[str, str] = field(default_factory=dict)
    splits: dict[str, str] = field(default_factory=dict)


def diff_datasets(old: Path | None, new: Path) -> DatasetDiff:
    """Compare the tables of two dataset folders.

    Rows are matched by each table's primary key and compared by the sha256 of their whole
    content (ClassLabel values compared by name); documents are also compared by
    ``text_sha256``. ClassLabel columns give the distribution shift.

    Args:
        old: The earlier release or build, or None when there is none.
        new: The later release or build.

    Returns:
        The diff.

    Raises:
        DatasetError: When a folder lacks a table, a shard cannot be read (see
            ``reader.iter_rows``), or a table's rows are not sorted by key.
    """
    new_files = table_files(new)
    old_files = table_files(old) if old is not None else None
    tables: dict[str, TableDelta] = {}
    distributions: dict[str, dict[str, tuple[int, int]]] = {}
    scans: dict[str, tuple[_TableScan, _TableScan]] = {}
    for table in TABLE_MODELS:
        before = _scan(table, old_files[table]) if old_files is not None else _TableScan()
        after = _scan(table, new_files[table])
        scans[table] = (before, after)
        tables[table] = _delta(before.digests, after.digests)
        order = class_names(read_features(new_files[table][0]))
        for column, counts in after.counts.items():
            old_counts = before.counts.get(column, Counter())
            names = [*order.get(column, []), *sorted(set(old_counts) - set(counts))]
            distributions[f"{table}.{column}"] = {
                name: (old_counts[name], counts[name]) for name in dict.fromkeys(names)
            }
    before_docs, after_docs = scans["documents"]
    common = before_docs.digests.keys() & after_docs.digests.keys()
    changed = sorted(k for k in common if before_docs.digests[k] != after_docs.digests[k])
    text_changed = {
        k[0] for k in changed if before_docs.text_sha256[k[0]] != after_docs.text_sha256[k[0]]
    }
    split_changes = sorted(
        SplitChange(k[0], before_docs.splits[k[0]], after_docs.splits[k[0]])
        for k in common
        if before_docs.splits[k[0]] != after_docs.splits[k[0]]
    )
    return DatasetDiff(
        old=old,
        new=new,
        tables=tables,
        documents_added=tuple(
            sorted(k[0] for k in after_docs.digests.keys() - before_docs.digests.keys())
        ),
        documents_removed=tuple(
            sorted(k[0] for k in before_docs.digests.keys() - after_docs.digests.keys())
        ),
        documents_text_changed=tuple(sorted(text_changed)),
        documents_fields_changed=tuple(k[0] for k in changed if k[0] not in text_changed),
        distributions=distributions,
        split_changes=tuple(split_changes),
        schema_changes=(
            tuple(_schema_changes(old_files, new_files)) if old_files is not None else ()
        ),
    )


def _scan(table: str, files: Sequence[Path]) -> _TableScan:
    scan = _TableScan()
    labelled = list(class_names(read_features(files[0])))
    scan.counts = {column: Counter() for column in labelled}
    for split in SPLITS:
        shards = [path for path in files if shard_split(path.name) == split]
        previous: Key | None = None
        for row in iter_rows(shards):
            key = tuple(row[name] for name in TABLE_KEYS[table])
            # Builds write each split's rows in key order; asking for strictly increasing keys
            # also catches a repeated key, which the digest map would silently collapse (and
            # a key in two splits is one the map already holds).
            if (previous is not None and key <= previous) or key in scan.digests:
                raise DatasetError(f"{files[0].parent}: rows are not sorted by unique {table} key")
            previous = key
            _count(scan, table, labelled, key, row, split)
    return scan


def _count(
    scan: _TableScan, table: str, labelled: list[str], key: Key, row: dict[str, Any], split: str
) -> None:
    """Add one row of a split's shards to the table's scan: digest, class counts, text hash."""
    # default=str: a date (documents.published) is no JSON value.
    content = json.dumps(row, sort_keys=True, ensure_ascii=False, default=str)
    scan.digests[key] = hashlib.sha256(content.encode("utf-8")).digest()
    for column in labelled:
        scan.counts[column][str(row.get(column))] += 1
    if table == "documents":
        scan.text_sha256[row["doc_id"]] = str(row.get("text_sha256"))
        # Releases before the split column published every document in the shard files'
        # split (train): that is the split their users saw.
        scan.splits[row["doc_id"]] = str(row.get("split") or split)


def _delta(before: Mapping[Key, bytes], after: Mapping[Key, bytes]) -> TableDelta:
    common = before.keys() & after.keys()
    return TableDelta(
        old_rows=len(before),
        new_rows=len(after),
        added=len(after.keys() - before.keys()),
        removed=len(before.keys() - after.keys()),
        changed=sum(1 for key in common if before[key] != after[key]),
    )


def _schema_changes(
    old_files: Mapping[str, Sequence[Path]], new_files: Mapping[str, Sequence[Path]]
) -> list[str]:
    changes: list[str] = []
    for table in TABLE_MODELS:
        # The writer gives every shard of a table one schema: the first stands for all.
        old_path, new_path = old_files[table][0], new_files[table][0]
        old_schema, new_schema = read_schema(old_path), read_schema(new_path)
        old_fields = {f.name: f for f in old_schema}
        new_fields = {f.name: f for f in new_schema}
        for name in new_fields.keys() - old_fields.keys():
            changes.append(f"{table}: column {name!r} added ({new_fields[name].type})")
        for name in old_fields.keys() - new_fields.keys():
            changes.append(f"{table}: column {name!r} removed")
        for name in old_fields.keys() & new_fields.keys():
            before, after = old_fields[name], new_fields[name]
            if before.type != after.type:
                changes.append(f"{table}.{name}: type {before.type} -> {after.type}")
            if before.nullable != after.nullable:
                changes.append(f"{table}.{name}: nullable {before.nullable} -> {after.nullable}")
        old_features, new_features = read_features(old_path), read_features(new_path)
        for name in sorted(old_features.keys() & new_features.keys()):
            if old_features[name] != new_features[name]:
                changes.append(
                    f"{table}.{name}: feature {_feature_text(old_features[name])} -> "
                    f"{_feature_text(new_features[name])}"
                )
        if [f.name for f in old_schema] != [f.name for f in new_schema] and (
            old_fields.keys() == new_fields.keys()
        ):
            changes.append(f"{table}: column order changed")
    return sorted(changes)


def _feature_text(feature: Any) -> str:
    if isinstance(feature, dict) and feature.get("_type") == "ClassLabel":
        return f"ClassLabel({', '.join(feature['names'])})"
    return json.dumps(feature, sort_keys=True)
