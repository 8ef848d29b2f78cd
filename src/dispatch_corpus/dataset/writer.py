"""Arrow tables and Parquet shards with pinned writer options (I/O layer)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum
from functools import cache
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from dispatch_corpus.dataset.layout import SPLIT, shard_name, table_dir
from dispatch_corpus.models import TABLE_MODELS, Record
from dispatch_corpus.schema import Column, arrow_schema, columns

ROW_GROUP_ROWS = 16_384
"""Rows per Parquet row group: fixed, so shard bytes never depend on batching."""
SHARD_ROWS = 50 * ROW_GROUP_ROWS
"""Rows per Parquet shard."""
BUILD_COMPRESSION_LEVEL = 3
"""zstd level of a build's shards: measured (README, Performance) at a quarter of level 9's CPU
for files about a fifth larger, and a build is read once, by validation and a release."""
RELEASE_COMPRESSION_LEVEL = 9
"""zstd level of a release's shards (``recompress``): written once, downloaded many times."""
WRITER_OPTIONS: dict[str, Any] = {
    "compression": "zstd",
    "compression_level": BUILD_COMPRESSION_LEVEL,
    "use_dictionary": True,
    "write_statistics": True,
    "version": "2.6",
    "data_page_version": "1.0",
    # Without the stored Arrow schema the schema metadata is dropped, and with it the
    # embedded Hugging Face features (class names) the reader and validator use.
    "store_schema": True,
}
"""Pinned ``pyarrow.parquet.ParquetWriter`` options: they decide the Parquet bytes."""


def recompress(
    source: Path, target: Path, table: str, level: int = RELEASE_COMPRESSION_LEVEL
) -> None:
    """Rewrite a shard of a table at another zstd level, row group by row group.

    Everything but the level is the build's (``WRITER_OPTIONS``, the table's schema, the shard's
    own row groups, each one contiguous chunk), so the bytes are those a build writing at
    ``level`` would have written: a release recompressed from a build is reproducible from the
    corpus.

    Args:
        source: A shard of ``table`` written by ``TableWriter``.
        target: Where to write the recompressed shard (not ``source``).
        table: ``documents``, ``paragraphs`` or ``sections``.
        level: The zstd level.
    """
    options = {**WRITER_OPTIONS, "compression_level": level}
    schema = arrow_schema(TABLE_MODELS[table])
    shard = pq.ParquetFile(source)
    with pq.ParquetWriter(target, schema, **options) as writer:
        # A shard without rows holds no row group: the writer alone writes the same empty file.
        for index in range(shard.num_row_groups):
            # Cast: Parquet names a list's values "element" where the table's schema says "item",
            # and the stored schema would differ by that name.
            group = shard.read_row_group(index).cast(schema).combine_chunks()
            writer.write_table(group, row_group_size=ROW_GROUP_ROWS)


@dataclass(frozen=True)
class Shard:
    """One written Parquet file: path relative to the dataset root, and its row count."""

    path: str
    rows: int
    arrow_bytes: int


def rows_to_table(table: str, rows: Sequence[Record]) -> pa.Table:
    """Convert row models to an Arrow table with the table's explicit schema.

    Args:
        table: ``documents``, ``paragraphs`` or ``sections``.
        rows: Row models of that table.

    Returns:
        The Arrow table (enum values as strings, ClassLabel columns as class indices).
    """
    layout = _table_layout(table)
    # A model's fields live in its __dict__: one lookup per row instead of one per cell.
    fields = [row.__dict__ for row in rows]
    data: dict[str, list[Any]] = {}
    for col in layout.columns:
        name = col.name
        if col.kind == "class_label":
            # The stored value is the class's position in the enum, as ClassLabel numbers it.
            index = layout.class_index[name]
            data[name] = [index[f[name]] for f in fields]
        elif col.kind == "class_name":
            data[name] = [_plain(f[name]) for f in fields]
        elif col.kind == "string_list":
            data[name] = [[_plain(v) for v in f[name]] if f[name] else [] for f in fields]
        else:
            data[name] = [f[name] for f in fields]
    return pa.Table.from_pydict(data, schema=layout.schema)


def _plain(value: object) -> object:
    return value.value if isinstance(value, Enum) else value


@dataclass(frozen=True)
class _TableLayout:
    """What converting a table's rows needs, derived once per process from its model."""

    columns: tuple[Column, ...]
    schema: pa.Schema
    class_index: dict[str, dict[object, int]]
    """For each ClassLabel column: the position of each enum member, by member and by value."""


@cache
def _table_layout(table: str) -> _TableLayout:
    model = TABLE_MODELS[table]
    cols = columns(model)
    class_index: dict[str, dict[object, int]] = {}
    for col in cols:
        if col.kind == "class_label":
            # Keyed by value: an enum member is a str subclass equal to (and hashed as) its value.
            class_index[col.name] = {name: i for i, name in enumerate(col.class_names)}
    return _TableLayout(cols, arrow_schema(model), class_index)


class TableWriter:
    """Write one split of one table as fixed-size row groups into fixed-size Parquet shards.

    A split that gets no rows is written as one empty shard, or as no file at all (``close``).

    Row groups and shards are cut by row count alone, so the bytes written never depend on
    how the incoming rows were batched (one worker or many).
    """

    def __init__(self, dataset_dir: Path, table: str, split: str = SPLIT) -> None:
        self.table = table
        self.split = split
        self.folder = table_dir(dataset_dir, table)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.schema = _table_layout(table).schema
        self._pending: list[pa.Table] = []
        self._pending_rows = 0
        self._writer: pq.ParquetWriter | None = None
        self._shard_rows: list[int] = []
        self._shard_bytes: list[int] = []

    def write(self, rows: Sequence[Record]) -> None:
        """Buffer row models and flush every complete row group."""
        self.write_table(rows_to_table(self.table, rows))

    def write_table(self, table: pa.Table) -> None:
        """Buffer an Arrow table of this table's schema and flush every complete row group."""
        if table.num_rows == 0:
            return
        self._pending.append(table)
        self._pending_rows += table.num_rows
        while self._pending_rows >= ROW_GROUP_ROWS:
            buffered = pa.concat_tables(self._pending)
            self._flush(buffered.slice(0, ROW_GROUP_ROWS))
            rest = buffered.slice(ROW_GROUP_ROWS)
            self._pending = [rest] if rest.num_rows else []
            self._pending_rows = rest.num_rows

    def close(self, *, keep_empty: bool = True) -> list[Shard]:
        """Flush the rest, close the last shard and give the shards their final names.

        Args:
            keep_empty: Without any row, write one empty shard (else no file).

        Returns:
            The shards written, in order.
        """
        if self._pending_rows:
            self._flush(pa.concat_tables(self._pending))
            self._pending, self._pending_rows = [], 0
        # Without rows, one shard if ``keep_empty`` (a table needs a file), holding no row
        # group: ``datasets`` sizes its reads by the first row group's rows, and fails on a row
        # group of none.
        if not self._shard_rows and keep_empty:
            self._writer = pq.ParquetWriter(self._part(0), self.schema, **WRITER_OPTIONS)
            self._shard_rows.append(0)
            self._shard_bytes.append(0)
        if self._writer is not None:
            self._writer.close()
            self._writer = None
        total = len(self._shard_rows)
        shards = []
        # Shards are written as part-i and renamed here: ``<split>-i-of-N`` needs N, known only now.
        for i, (rows, size) in enumerate(zip(self._shard_rows, self._shard_bytes, strict=True)):
            final = self.folder / shard_name(self.split, i, total)
            self._part(i).rename(final)
            relative = final.relative_to(self.folder.parent.parent).as_posix()
            shards.append(Shard(relative, rows, size))
        return shards

    def _part(self, index: int) -> Path:
        # Named by split too: the writers of a table's splits share its folder.
        return self.folder / f"part-{self.split}-{index:05d}.parquet"

    def _flush(self, table: pa.Table) -> None:
        if self._writer is None or self._shard_rows[-1] + table.num_rows > SHARD_ROWS:
            if self._writer is not None:
                self._writer.close()
            path = self._part(len(self._shard_rows))
            self._writer = pq.ParquetWriter(path, self.schema, **WRITER_OPTIONS)
            self._shard_rows.append(0)
            self._shard_bytes.append(0)
        # The Parquet bytes depend on how the Arrow columns are chunked: one contiguous chunk
        # keeps them independent of how the rows arrived.
        contiguous = table.combine_chunks()
        self._writer.write_table(contiguous, row_group_size=ROW_GROUP_ROWS)
        self._shard_rows[-1] += table.num_rows
        self._shard_bytes[-1] += contiguous.nbytes
