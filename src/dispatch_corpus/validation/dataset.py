"""Find a dataset's Parquet shards, check their schemas, and cut the rows into units.

A unit is a range of ``doc_id`` values: the documents in the range with all their paragraphs
and sections. Every row of every table falls in exactly one unit (rows without a
``doc_id`` fall in the last), so checks keyed on ``doc_id`` (uniqueness, cross-table
agreement) are exact unit by unit, and memory is bounded by the size of one unit.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as ds
import pyarrow.parquet as pq

from dispatch_corpus.errors import DatasetError
from dispatch_corpus.models import TABLE_MODELS
from dispatch_corpus.schema import HF_METADATA_KEY, arrow_schema, columns
from dispatch_corpus.validation.results import Tally


@dataclass(frozen=True)
class UnitBudget:
    """Sizes, in document text and documents, of the ranges rows are checked in.

    Suites on the narrow columns run over the widest ranges (their rows are small);
    suites on ``text`` columns, record and cross-table checks run over units, and the
    record and cross-table checks hold one part of a unit as Python objects at a time.
    """

    narrow_chars: int = 40_000_000
    narrow_documents: int = 400_000
    unit_chars: int = 5_000_000
    unit_documents: int = 100_000
    part_chars: int = 2_500_000
    part_documents: int = 2_000


class ValidationInputError(DatasetError):
    """The dataset cannot be validated at all (missing folder, unreadable file, bad suite)."""


@dataclass(frozen=True)
class DatasetFiles:
    """The Parquet shards of each table of a dataset folder."""

    root: Path
    files: dict[str, tuple[Path, ...]]


@dataclass(frozen=True)
class Unit:
    """Rows whose ``doc_id`` is above ``low`` (exclusive) and at most ``high`` (inclusive).

    ``None`` leaves a side open; the last unit (``high is None``) also holds null doc_ids.
    The expectation suites run on the whole unit; the record and cross-table checks run
    part by part, the parts being cut at the ``cuts`` doc_ids.
    """

    index: int
    low: str | None
    high: str | None
    cuts: tuple[str, ...] = ()

    @property
    def parts(self) -> list[tuple[str | None, str | None]]:
        """The ``(low, high)`` bounds of each part, in order."""
        bounds = [self.low, *self.cuts, self.high]
        return list(pairwise(bounds))


def find_tables(root: Path) -> DatasetFiles:
    """List the shards of every table under ``root/data/<table>/``.

    Args:
        root: A dataset folder (a build or a release).

    Returns:
        The shards of each table, sorted by name.

    Raises:
        ValidationInputError: When the folder or a table's shards are missing.
    """
    if not root.is_dir():
        raise ValidationInputError(f"dataset folder not found: {root}")
    files: dict[str, tuple[Path, ...]] = {}
    for table in TABLE_MODELS:
        folder = root / "data" / table
        found = tuple(sorted(folder.glob("*.parquet"))) if folder.is_dir() else ()
        if not found:
            raise ValidationInputError(f"no Parquet shards in {folder}")
        files[table] = found
    return DatasetFiles(root=root, files=files)


def check_schemas(dataset: DatasetFiles) -> list[Tally]:
    """Compare every shard's Arrow schema and embedded HF features with the model's.

    Args:
        dataset: The shards to check.

    Returns:
        One tally per table: shards checked, shards whose schema differs (sampled by name).

    Raises:
        ValidationInputError: When a shard cannot be read as Parquet.
    """
    tallies = []
    for table, paths in dataset.files.items():
        expected = arrow_schema(TABLE_MODELS[table])
        expected_features = _features(expected)
        tally = Tally(
            check=f"{table}.schema",
            table=table,
            kind="schema",
            description="Arrow schema and embedded HF features equal the model's",
        )
        for path in paths:
            schema = read_schema(path)
            same = schema.equals(expected, check_metadata=False)
            ok = same and _features(schema) == expected_features
            tally.add(1, 0 if ok else 1, [] if ok else [path.name])
        tallies.append(tally)
    return tallies


def read_schema(path: Path) -> pa.Schema:
    """Return the Arrow schema stored in one Parquet shard.

    Raises:
        ValidationInputError: When the file cannot be read as Parquet.
    """
    try:
        return pq.read_schema(path)
    except (OSError, pa.ArrowException) as error:
        raise ValidationInputError(f"cannot read {path}: {error}") from error


def _features(schema: pa.Schema) -> object:
    raw = (schema.metadata or {}).get(HF_METADATA_KEY)
    if raw is None:
        return None
    try:
        return json.loads(raw)
    except ValueError:
        return raw


def plan_units(dataset: DatasetFiles, unit: tuple[int, int], part: tuple[int, int]) -> list[Unit]:
    """Cut the documents, sorted by ``doc_id``, into units of parts of bounded size.

    Rows sharing a ``doc_id`` always share a part.

    Args:
        dataset: The shards of the dataset.
        unit: Document text and document count of one unit.
        part: Document text and document count of one part.

    Returns:
        The units in ``doc_id`` order; together they cover every possible ``doc_id``.

    Raises:
        ValidationInputError: When a documents shard cannot be read.
    """
    docs = read_rows(dataset, "documents", ["doc_id", "n_chars"])
    docs = docs.filter(pc.is_valid(docs["doc_id"]))
    if docs.num_rows == 0:
        return [Unit(0, None, None)]
    docs = docs.take(pc.sort_indices(docs, sort_keys=[("doc_id", "ascending")]))
    ids = docs["doc_id"].combine_chunks()
    chars = np.clip(docs["n_chars"].fill_null(0).to_numpy(), 0, None).astype(np.int64)
    before = np.cumsum(chars) - chars
    rank = np.arange(len(ids))
    new_id = np.concatenate([[False], pc.not_equal(ids[1:], ids[:-1]).to_numpy(False)])
    part_starts = np.flatnonzero(
        new_id & _crosses(before, part[0]) | new_id & _crosses(rank, part[1])
    )
    starts = np.concatenate([[0], part_starts])
    unit_key = before[starts] // max(unit[0], 1) * (len(ids) + 1) + (
        rank[starts] // max(unit[1], 1)
    )
    new_unit = unit_key[1:] != unit_key[:-1]
    highs = [ids[int(i) - 1].as_py() for i in part_starts]
    units: list[list[str | None]] = [[None]]
    for high, starts_unit in zip(highs, new_unit, strict=True):
        if starts_unit:
            units[-1].append(high)
            units.append([high])
        else:
            units[-1].append(high)
    units[-1].append(None)
    return [Unit(i, b[0], b[-1], tuple(str(c) for c in b[1:-1])) for i, b in enumerate(units)]


def _crosses(values: np.ndarray, step: int) -> np.ndarray:
    """Whether each value starts a new multiple of ``step`` compared with the previous one."""
    bucket = values // max(step, 1)
    return np.concatenate([[False], bucket[1:] != bucket[:-1]])


def read_rows(dataset: DatasetFiles, table: str, columns: list[str]) -> pa.Table:
    """Read some columns of every row of ``table``.

    Raises:
        ValidationInputError: When a shard cannot be read.
    """
    schema = arrow_schema(TABLE_MODELS[table])
    source = ds.dataset(list(dataset.files[table]), format="parquet", schema=schema)
    try:
        return source.to_table(columns=columns)
    except (OSError, pa.ArrowException) as error:
        raise ValidationInputError(f"cannot read {table} shards: {error}") from error


@dataclass(frozen=True)
class _RowGroup:
    path: Path
    index: int
    low: str | None
    high: str | None
    nulls: bool
    known: bool


class UnitReader:
    """Read the rows of one unit after another, decoding each Parquet row group once.

    Columns named in ``skip`` are not read.

    Row groups whose ``doc_id`` statistics lie outside a unit are not read; a row group
    that reaches past the unit is kept for the next one (units come in ``doc_id`` order).
    """

    def __init__(self, dataset: DatasetFiles, skip: frozenset[str] = frozenset()) -> None:
        self._groups = {table: _row_groups(paths) for table, paths in dataset.files.items()}
        self._kept: dict[tuple[Path, int], pa.Table] = {}
        self._columns = {
            table: [c.name for c in columns(TABLE_MODELS[table]) if c.name not in skip]
            for table in dataset.files
        }

    def read(self, table: str, unit: Unit) -> pa.Table:
        """Return the rows of ``table`` in ``unit``.

        Raises:
            ValidationInputError: When a shard cannot be read.
        """
        parts = []
        for group in self._groups[table]:
            if not _overlaps(group, unit):
                self._kept.pop((group.path, group.index), None)
                continue
            data = self._kept.pop((group.path, group.index), None)
            if data is None:
                data = _read_group(group, self._columns[table])
            if unit.high is not None and (
                not group.known or group.high is None or group.high > unit.high
            ):
                self._kept[(group.path, group.index)] = data
            parts.append(data)
        schema = arrow_schema(TABLE_MODELS[table])
        empty = schema.empty_table().select(self._columns[table])
        rows = pa.concat_tables(parts) if parts else empty
        return rows_in_range(rows, unit.low, unit.high)


def _row_groups(paths: tuple[Path, ...]) -> list[_RowGroup]:
    groups = []
    for path in paths:
        try:
            meta = pq.ParquetFile(path).metadata
        except (OSError, pa.ArrowException) as error:
            raise ValidationInputError(f"cannot read {path}: {error}") from error
        column = meta.schema.names.index("doc_id")
        for index in range(meta.num_row_groups):
            stats = meta.row_group(index).column(column).statistics
            known = stats is not None and stats.has_min_max and stats.has_null_count
            groups.append(
                _RowGroup(
                    path=path,
                    index=index,
                    low=stats.min if known else None,
                    high=stats.max if known else None,
                    nulls=not known or stats.null_count > 0,
                    known=known,
                )
            )
    return groups


def _overlaps(group: _RowGroup, unit: Unit) -> bool:
    if not group.known:
        return True
    if unit.high is None and group.nulls:
        return True
    if group.low is None or group.high is None:
        return False
    above_low = unit.low is None or group.high > unit.low
    below_high = unit.high is None or group.low <= unit.high
    return above_low and below_high


def _read_group(group: _RowGroup, names: list[str]) -> pa.Table:
    try:
        return pq.ParquetFile(group.path).read_row_group(group.index, columns=names)
    except (OSError, pa.ArrowException) as error:
        raise ValidationInputError(f"cannot read {group.path}: {error}") from error


def rows_in_range(table: pa.Table, low: str | None, high: str | None) -> pa.Table:
    """Return the rows with ``low < doc_id <= high`` (and null doc_ids when open above).

    Rows sorted by ``doc_id`` give a zero-copy slice; other rows are filtered (copied).

    Args:
        table: Rows with a ``doc_id`` column.
        low: Exclusive lower bound, or None.
        high: Inclusive upper bound, or None.

    Returns:
        The rows in the range, in their order.
    """
    if low is None and high is None:
        return table
    doc_id = table["doc_id"]
    inside = pc.is_valid(doc_id) if low is None else pc.greater(doc_id, low)
    if high is None:
        inside = pc.or_kleene(inside, pc.is_null(doc_id))
    else:
        inside = pc.and_kleene(inside, pc.less_equal(doc_id, high))
    where = np.flatnonzero(inside.fill_null(False).to_numpy(zero_copy_only=False))
    if len(where) == 0:
        return table.slice(0, 0)
    first, last = int(where[0]), int(where[-1])
    if last - first + 1 == len(where):
        return table.slice(first, len(where))
    return table.take(pa.array(where))
