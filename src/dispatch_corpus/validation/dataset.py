"""Find a dataset's Parquet shards, check their schemas, and cut the rows into units.

A unit is a range of ``doc_id`` values: the documents in the range with all their paragraphs
and sections. Every row of every table falls in exactly one unit (rows without a
``doc_id`` fall in the last), so checks keyed on ``doc_id`` (uniqueness, cross-table
agreement) are exact unit by unit, and memory is bounded by the size of one unit.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from dispatch_corpus.dataset.reader import table_files
from dispatch_corpus.errors import DatasetError
from dispatch_corpus.models import TABLE_MODELS
from dispatch_corpus.schema import HF_METADATA_KEY, arrow_schema, columns
from dispatch_corpus.utils.jsontext import parse_json
from dispatch_corpus.utils.values import shown
from dispatch_corpus.validation.results import Tally


@dataclass(frozen=True)
class UnitBudget:
    """Sizes, in document text and documents, of the ranges rows are checked in.

    Suites on the narrow columns run over the widest ranges (their rows are small);
    suites on ``text`` columns, record and cross-table checks run over units, part by part
    (the rows those checks cannot prove right are converted to Python objects, one part at
    a time).
    """

    narrow_chars: int = 40_000_000
    narrow_documents: int = 400_000
    unit_chars: int = 5_000_000
    unit_documents: int = 100_000
    # Parts as large as units: the record and cross checks now read Arrow columns and convert
    # only the rows they cannot prove right.
    part_chars: int = 5_000_000
    part_documents: int = 100_000


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
    """List the shards of every table of a dataset folder (``reader.table_files``).

    Args:
        root: A dataset folder (a build or a release).

    Returns:
        The shards of each table, sorted by name: exactly the files ``load_dataset`` reads.

    Raises:
        ValidationInputError: When the folder or a table's shards are missing, or a shard
            is not a regular file.
    """
    try:
        found = table_files(root)
    except DatasetError as error:
        raise ValidationInputError(str(error)) from error
    return DatasetFiles(root=root, files={table: tuple(paths) for table, paths in found.items()})


@dataclass(frozen=True)
class SchemaCheck:
    """What the shards' schemas allow: the schema tallies, and the columns checks can read.

    A column is usable when every shard of its table has it with the model's Arrow type
    (nullability, order, extra columns and embedded features aside: they fail the schema
    check but do not change how a value reads). A table whose ``doc_id`` is not usable
    cannot be cut into units: none of its columns is.
    """

    tallies: tuple[Tally, ...]
    usable: dict[str, frozenset[str]]
    unusable: dict[str, dict[str, str]]
    """Table -> column -> why the column is not read, for each model column not usable."""

    def reason(self, table: str, column: str) -> str | None:
        """Why ``table.column`` is not read, or None when it is."""
        return self.unusable.get(table, {}).get(column)


def check_schemas(dataset: DatasetFiles) -> SchemaCheck:
    """Compare every shard's Arrow schema and embedded HF features with the model's.

    Args:
        dataset: The shards to check.

    Returns:
        One tally per table (shards checked, shards whose schema differs, one finding per
        difference naming the column, the expected and the actual), and the usable columns.

    Raises:
        ValidationInputError: When a shard cannot be read as Parquet.
    """
    tallies = []
    usable: dict[str, frozenset[str]] = {}
    unusable: dict[str, dict[str, str]] = {}
    for table, paths in dataset.files.items():
        expected = arrow_schema(TABLE_MODELS[table])
        tally = Tally(
            check=f"{table}.schema",
            table=table,
            kind="schema",
            description="Arrow schema and embedded HF features equal the model's",
        )
        why: dict[str, str] = {}
        for path in paths:
            schema = read_schema(path)
            found = _schema_findings(path.name, schema, expected)
            for field in expected:
                if field.name not in why and field.name not in schema.names:
                    why[field.name] = f"{table}.{field.name} is missing from {path.name}"
                elif field.name not in why and schema.field(field.name).type != field.type:
                    why[field.name] = (
                        f"{table}.{field.name} is {schema.field(field.name).type} in "
                        f"{path.name}, not {field.type}"
                    )
            samples = [f"{path.name}: {_finding_text(found[0])}"] if found else []
            tally.add(1, 1 if found else 0, samples, found)
        if "doc_id" in why:
            blocked = f"{why['doc_id']}: rows of {table} cannot be read by doc_id range"
            why = {field.name: why.get(field.name, blocked) for field in expected}
        usable[table] = frozenset(f.name for f in expected if f.name not in why)
        unusable[table] = why
        tallies.append(tally)
    return SchemaCheck(tuple(tallies), usable, unusable)


def _schema_findings(shard: str, schema: pa.Schema, expected: pa.Schema) -> list[dict[str, Any]]:
    """One finding per way ``schema`` differs from ``expected``: column, expected, actual."""
    found: list[dict[str, Any]] = []

    def differs(column: str, want: object, got: object) -> None:
        found.append({"shard": shard, "column": column, "expected": want, "actual": got})

    for field in expected:
        if field.name not in schema.names:
            differs(field.name, str(field.type), "missing")
            continue
        actual = schema.field(field.name)
        if actual.type != field.type:
            differs(field.name, str(field.type), str(actual.type))
        elif actual.nullable != field.nullable:
            differs(field.name, _nullability(field), _nullability(actual))
    for name in schema.names:
        if expected.get_field_index(name) < 0:
            differs(name, "no such column", str(schema.field(name).type))
    # Order is reported only when nothing else differs: a missing or extra column changes the order
    # anyway.
    if not found and schema.names != expected.names:
        differs("(order)", shown(expected.names), shown(schema.names))
    want, got = _metadata(expected), _metadata(schema)
    if want != got:
        want_features, got_features = _features(want), _features(got)
        names = dict.fromkeys([*want_features, *got_features])
        differing = [n for n in names if want_features.get(n) != got_features.get(n)]
        if not got_features:
            differs("(HF features)", "the model's features", shown(got))
        elif not differing:
            differs("(HF metadata)", shown(want), shown(got))
        for name in differing if got_features else []:
            differs(
                f"{name} (HF feature)",
                shown(want_features.get(name)),
                shown(got_features.get(name)),
            )
    return found


def _nullability(field: pa.Field) -> str:
    return "nullable" if field.nullable else "not null"


def _finding_text(finding: dict[str, Any]) -> str:
    return f"{finding['column']}: {finding['actual']}, expected {finding['expected']}"


def read_schema(path: Path) -> pa.Schema:
    """Return the Arrow schema stored in one Parquet shard.

    Raises:
        ValidationInputError: When the file cannot be read as Parquet.
    """
    try:
        return pq.read_schema(path)
    except (OSError, pa.ArrowException) as error:
        raise ValidationInputError(f"cannot read {path}: {error}") from error


def _metadata(schema: pa.Schema) -> object:
    """The HF metadata embedded in a schema, parsed; the reason when it is not JSON."""
    raw = (schema.metadata or {}).get(HF_METADATA_KEY)
    if raw is None:
        return None
    try:
        return parse_json(raw)
    except ValueError as error:
        return str(error)


def _features(metadata: object) -> dict[str, Any]:
    """The ``info.features`` object of parsed HF metadata, empty when it has none."""
    info = metadata.get("info") if isinstance(metadata, dict) else None
    features = info.get("features") if isinstance(info, dict) else None
    return features if isinstance(features, dict) else {}


def plan_units(
    dataset: DatasetFiles,
    unit: tuple[int, int],
    part: tuple[int, int],
    usable: dict[str, frozenset[str]] | None = None,
) -> list[Unit]:
    """Cut the documents, sorted by ``doc_id``, into units of parts of bounded size.

    Rows sharing a ``doc_id`` always share a part. Units are planned on the documents, or
    on the first table whose ``doc_id`` can be read when the documents' cannot (then by
    row count alone).

    Args:
        dataset: The shards of the dataset.
        unit: Document text and document count of one unit.
        part: Document text and document count of one part.
        usable: The columns that can be read, per table (default: all).

    Returns:
        The units in ``doc_id`` order; together they cover every possible ``doc_id``.

    Raises:
        ValidationInputError: When a shard cannot be read.
    """
    readable = [t for t in TABLE_MODELS if usable is None or "doc_id" in usable[t]]
    if not readable:
        return [Unit(0, None, None)]
    table = readable[0]
    sized = table == "documents" and (usable is None or "n_chars" in usable[table])
    docs = read_rows(dataset, table, ["doc_id", "n_chars"] if sized else ["doc_id"])
    # Null doc_ids need no planning: they fall in the last unit, which is open above.
    docs = docs.filter(pc.is_valid(docs["doc_id"]))
    if docs.num_rows == 0:
        return [Unit(0, None, None)]
    docs = docs.take(pc.sort_indices(docs, sort_keys=[("doc_id", "ascending")]))
    ids = docs["doc_id"].combine_chunks()
    chars = (
        # A null or negative n_chars (a broken shard, which the checks report) must not shrink the
        # sums units are cut by.
        np.clip(docs["n_chars"].fill_null(0).to_numpy(), 0, None).astype(np.int64)
        if sized
        else np.zeros(len(ids), dtype=np.int64)
    )
    before = np.cumsum(chars) - chars
    rank = np.arange(len(ids))
    new_id = np.concatenate([[False], pc.not_equal(ids[1:], ids[:-1]).to_numpy(False)])
    part_starts = np.flatnonzero(
        new_id & _crosses(before, part[0]) | new_id & _crosses(rank, part[1])
    )
    starts = np.concatenate([[0], part_starts])
    # One key per pair of text bucket and count bucket: a unit ends at the first part where either
    # budget is crossed.
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
    model = arrow_schema(TABLE_MODELS[table])
    schema = pa.schema([model.field(name) for name in columns])
    parts = []
    # Shard by shard with ParquetFile: pyarrow.dataset would import pandas (a second of
    # start-up) for nothing.
    for path in dataset.files[table]:
        try:
            data = pq.ParquetFile(path).read(columns=columns)
            # As in _read_group: a string that is not UTF-8 is reported here, naming the shard.
            data.validate(full=True)
            parts.append(pa.Table.from_arrays([data.column(n) for n in columns], schema=schema))
        except (OSError, pa.ArrowException) as error:
            raise ValidationInputError(f"cannot read {path}: {error}") from error
    return pa.concat_tables(parts)


def footer_rows(dataset: DatasetFiles, table: str) -> int:
    """Return the rows of ``table`` as its shards' footers count them.

    Raises:
        ValidationInputError: When a shard cannot be read.
    """
    total = 0
    for path in dataset.files[table]:
        try:
            total += pq.ParquetFile(path).metadata.num_rows
        except (OSError, pa.ArrowException) as error:
            raise ValidationInputError(f"cannot read {path}: {error}") from error
    return total


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

    Only the ``usable`` columns of each table are read (default: all), except those named
    in ``skip``; a table with none is read as an empty table without columns.

    Row groups whose ``doc_id`` statistics lie outside a unit are not read; a row group
    that reaches past the unit is kept for the next one (units come in ``doc_id`` order).

    Every string read is checked to be UTF-8, except those of the ``defer_utf8`` columns
    (table -> columns): the caller checks those with ``check_utf8``, on the rows it cannot
    prove UTF-8 otherwise.
    """

    def __init__(
        self,
        dataset: DatasetFiles,
        skip: frozenset[str] = frozenset(),
        usable: dict[str, frozenset[str]] | None = None,
        defer_utf8: dict[str, frozenset[str]] | None = None,
    ) -> None:
        self._columns = {
            table: [
                c.name
                for c in columns(TABLE_MODELS[table])
                if c.name not in skip and (usable is None or c.name in usable[table])
            ]
            for table in dataset.files
        }
        self._groups = {
            table: _row_groups(paths) if self._columns[table] else []
            for table, paths in dataset.files.items()
        }
        self._kept: dict[tuple[Path, int], pa.Table] = {}
        self._defer = defer_utf8 or {}
        self._last: dict[str, list[tuple[Path, pa.Table]]] = {}
        self._open: dict[str, dict[Path, pq.ParquetFile]] = {}

    def read(self, table: str, unit: Unit) -> pa.Table:
        """Return the rows of ``table`` in ``unit``.

        Raises:
            ValidationInputError: When a shard cannot be read, or holds a string that is
                not UTF-8.
        """
        if not self._columns[table]:
            return pa.table({})
        parts = []
        read: list[tuple[Path, pa.Table]] = []
        for group in self._groups[table]:
            # A kept group that misses this unit lies below it (units come in doc_id order): drop
            # it.
            if not _overlaps(group, unit):
                self._kept.pop((group.path, group.index), None)
                continue
            data = self._kept.pop((group.path, group.index), None)
            if data is None:
                data = _read_group(
                    group,
                    self._columns[table],
                    self._defer.get(table, frozenset()),
                    self._open.setdefault(table, {}),
                )
            if unit.high is not None and (
                not group.known or group.high is None or group.high > unit.high
            ):
                self._kept[(group.path, group.index)] = data
            parts.append(data)
            read.append((group.path, data))
        self._last[table] = read
        names = self._columns[table]
        model = arrow_schema(TABLE_MODELS[table])
        # Every column nullable, no metadata: shards of one table (one per split at least) may
        # differ in nullability or embedded features, which the schema check reports; their
        # usable columns have the model's types, so their rows still go together.
        common = pa.schema([model.field(n).with_nullable(True) for n in names])
        parts = [pa.Table.from_arrays([p.column(n) for n in names], schema=common) for p in parts]
        rows = pa.concat_tables(parts) if parts else common.empty_table()
        return rows_in_range(rows, unit.low, unit.high)

    def deferred(self, table: str) -> frozenset[str]:
        """The columns of ``table`` whose UTF-8 check is left to ``check_utf8``."""
        return self._defer.get(table, frozenset())

    def check_utf8(self, table: str, rows: pa.Table, where: np.ndarray) -> None:
        """Check that the deferred columns of ``rows`` (as read last) hold UTF-8 at ``where``.

        Raises:
            ValidationInputError: When a string is not UTF-8, naming the shard and the
                problem as a check on reading would.
        """
        names = [name for name in self._defer.get(table, ()) if name in rows.column_names]
        if not names or len(where) == 0:
            return
        try:
            rows.select(names).take(pa.array(where, type=pa.int64())).validate(full=True)
        except pa.ArrowInvalid as error:
            # The row groups read are checked whole to name the shard, with reading's message.
            for path, data in self._last.get(table, []):
                try:
                    data.validate(full=True)
                except pa.ArrowInvalid as found:
                    raise ValidationInputError(f"cannot read {path}: {found}") from found
            raise ValidationInputError(f"{table}: {error}") from error


def _row_groups(paths: tuple[Path, ...]) -> list[_RowGroup]:
    groups = []
    for path in paths:
        try:
            groups += _groups_of(path)
        except (OSError, pa.ArrowException, UnicodeDecodeError) as error:
            # UnicodeDecodeError: doc_id statistics holding bytes that are not UTF-8.
            raise ValidationInputError(f"cannot read {path}: {error}") from error
    return groups


def _groups_of(path: Path) -> list[_RowGroup]:
    meta = pq.ParquetFile(path).metadata
    leaves = [meta.schema.column(i).path for i in range(meta.num_columns)]
    column = leaves.index("doc_id")
    groups = []
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
    # Without statistics a row group may hold any doc_id: it is read for every unit.
    if not group.known:
        return True
    # Null doc_ids belong to the last unit.
    if unit.high is None and group.nulls:
        return True
    if group.low is None or group.high is None:
        return False
    above_low = unit.low is None or group.high > unit.low
    below_high = unit.high is None or group.low <= unit.high
    return above_low and below_high


def _read_group(
    group: _RowGroup, names: list[str], deferred: frozenset[str], opened: dict[Path, pq.ParquetFile]
) -> pa.Table:
    try:
        # The shard of a table read last stays open: its row groups come one after another, and
        # opening it again parses its footer again.
        if group.path not in opened:
            for file in opened.values():
                file.close()
            opened.clear()
            opened[group.path] = pq.ParquetFile(group.path)
        data = opened[group.path].read_row_group(group.index, columns=names)
        # Strings are converted to Python objects later, where bytes that are not UTF-8
        # would raise far from the file; checking them here names the file. Deferred columns
        # get the structural check only (``UnitReader.check_utf8`` does the rest).
        data.select([name for name in names if name not in deferred]).validate(full=True)
        data.validate()
    except (OSError, pa.ArrowException) as error:
        raise ValidationInputError(f"cannot read {group.path}: {error}") from error
    return data


def rows_in_range(table: pa.Table, low: str | None, high: str | None) -> pa.Table:
    """Return the rows with ``low < doc_id <= high`` (and null doc_ids when open above).

    Rows sorted by ``doc_id`` give a zero-copy slice; other rows are filtered (copied).

    Args:
        table: Rows with a ``doc_id`` column.
        low: Exclusive lower bound, or None.
        high: Inclusive upper bound, or None.

    Returns:
        The rows in the range, in their order (a table without columns, as read for a
        table whose doc_id cannot be read, stays as it is).
    """
    if (low is None and high is None) or table.num_columns == 0:
        return table
    doc_id = table["doc_id"]
    # A null doc_id compares as null: it falls in no bounded range, only in the last unit, open
    # above.
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
