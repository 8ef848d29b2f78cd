"""Helpers that plant defects in a built dataset, keeping each shard's embedded schema."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq


def shard(dataset: Path, table: str) -> Path:
    """The single shard of one table of a small build."""
    (path,) = sorted((dataset / "data" / table).glob("*.parquet"))
    return path


def rewrite_table(dataset: Path, table: str, change: Callable[[pa.Table], pa.Table]) -> None:
    """Rewrite one table's shard through ``change``, keeping the embedded schema."""
    path = shard(dataset, table)
    data = pq.read_table(path)
    changed = change(data).cast(data.schema)
    pq.write_table(changed, path)


def set_value(table: pa.Table, column: str, row: int, value: object) -> pa.Table:
    """Return ``table`` with one cell replaced."""
    values = table[column].to_pylist()
    values[row] = value
    position = table.schema.get_field_index(column)
    field = table.schema.field(column)
    return table.set_column(position, field, pa.array(values, type=field.type))
