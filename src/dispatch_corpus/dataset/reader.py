"""Read the Parquet tables of a dataset folder (a build or a release) without loading them whole.

Every read names the file when it fails: a shard that is not Parquet, or lacks a column the
reader needs, or holds a value the model forbids (a null key, a ClassLabel index with no
class) raises ``DatasetError`` instead of surfacing as a pyarrow error or a wrong count.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from dispatch_corpus.dataset.layout import DATA_DIR, SPLITS, shard_pattern, table_dir
from dispatch_corpus.errors import DatasetError
from dispatch_corpus.models import TABLE_KEYS, TABLE_MODELS
from dispatch_corpus.schema import HF_METADATA_KEY, Column, columns
from dispatch_corpus.utils.jsontext import parse_json

BATCH_ROWS = 8192
_REASON_CHARS = 300


def table_files(dataset_dir: Path) -> dict[str, list[Path]]:
    """Return the Parquet shards of every published table of a dataset folder.

    Args:
        dataset_dir: A build or release folder holding ``data/<table>/<split>-*.parquet``.

    Returns:
        Shard paths per table: split by split (``layout.SPLITS``), each split's by name.

    Raises:
        DatasetError: When the folder or any table's shards are missing, or a shard is not
            a regular file.
    """
    if not dataset_dir.is_dir():
        raise DatasetError(f"dataset folder not found: {dataset_dir}")
    files: dict[str, list[Path]] = {}
    for table in TABLE_MODELS:
        folder = table_dir(dataset_dir, table)
        try:
            # Zero-padded shard names sort in the order the shards were written (row order).
            shards = (
                [
                    path
                    for split in SPLITS
                    for path in sorted(folder.glob(Path(shard_pattern(table, split)).name))
                ]
                if folder.is_dir()
                else []
            )
        except OSError as error:
            raise DatasetError(f"cannot list {folder}: {error.strerror or error}") from error
        if not shards:
            raise DatasetError(f"{dataset_dir}: no Parquet files in {DATA_DIR}/{table}/")
        for shard in shards:
            # A FIFO or a device would block or never end when opened: regular files only.
            if not shard.is_file():
                raise DatasetError(f"{shard}: not a regular file")
        files[table] = shards
    return files


@contextmanager
def parquet_errors(path: Path) -> Iterator[None]:
    """Turn any failure to read ``path`` as Parquet into a ``DatasetError`` naming it.

    ``UnicodeDecodeError`` comes from a string column holding bytes that are not UTF-8.
    """
    try:
        yield
    except (OSError, pa.ArrowException, UnicodeDecodeError) as error:
        reason = " ".join(str(error).split()) or type(error).__name__
        if len(reason) > _REASON_CHARS:
            reason = reason[: _REASON_CHARS - 3] + "..."
        raise DatasetError(f"{path}: not a readable Parquet file ({reason})") from error


def count_rows(path: Path) -> int:
    """Return the number of rows of a Parquet file, read from its footer.

    Raises:
        DatasetError: When the file cannot be read as Parquet.
    """
    with parquet_errors(path):
        return int(pq.ParquetFile(path).metadata.num_rows)


def arrow_bytes(path: Path) -> int:
    """Return the in-memory Arrow size of a Parquet file, one row group at a time.

    Raises:
        DatasetError: When the file cannot be read as Parquet.
    """
    with parquet_errors(path):
        parquet = pq.ParquetFile(path)
        return sum(
            int(parquet.read_row_group(i).nbytes) for i in range(parquet.metadata.num_row_groups)
        )


def read_schema(path: Path) -> pa.Schema:
    """Return the Arrow schema of a Parquet file.

    Raises:
        DatasetError: When the file cannot be read as Parquet.
    """
    with parquet_errors(path):
        return pq.read_schema(path)


def read_features(path: Path) -> dict[str, Any]:
    """Return the Hugging Face features embedded in a Parquet file's schema metadata.

    Args:
        path: A Parquet shard written by the build.

    Returns:
        The serialized ``Features`` (column name to feature dict), empty when absent.

    Raises:
        DatasetError: When the file is not Parquet, or its features are not JSON of the
            shape ``{"info": {"features": {...}}}`` with well-formed ClassLabel names.
    """
    return features_of(path, read_schema(path))


def features_of(path: Path, schema: pa.Schema) -> dict[str, Any]:
    """Return the features embedded in ``schema`` (read from ``path``), checked as above."""
    raw = (schema.metadata or {}).get(HF_METADATA_KEY)
    if raw is None:
        return {}
    try:
        data = parse_json(raw)
    except ValueError as error:
        raise DatasetError(f"{path}: embedded features: {error}") from error
    info = data.get("info") if isinstance(data, dict) else None
    features = info.get("features", {}) if isinstance(info, dict) else None
    if not isinstance(features, dict):
        raise DatasetError(f"{path}: embedded metadata has no info.features object")
    for name, feature in features.items():
        if isinstance(feature, dict) and feature.get("_type") == "ClassLabel":
            names = feature.get("names")
            if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
                raise DatasetError(f"{path}: ClassLabel {name!r} has no list of names")
    return features


def class_names(features: dict[str, Any]) -> dict[str, list[str]]:
    """Return the ClassLabel names of every ClassLabel column of serialized features."""
    return {
        name: list(feature["names"])
        for name, feature in features.items()
        if isinstance(feature, dict) and feature.get("_type") == "ClassLabel"
    }


def iter_rows(
    files: Sequence[Path], columns: Sequence[str] | None = None
) -> Iterator[dict[str, Any]]:
    """Yield the rows of a table's shards in order, ClassLabel indices decoded to names.

    The table is the shards' folder name (``data/<table>/``). The columns read (the key
    columns when ``columns`` is None, every column then being read) must have the model's
    Arrow type, hold no null the model forbids, and a ClassLabel column must hold indices
    of the names in the file's features.

    Args:
        files: The table's shards, in order.
        columns: Columns to read (default: all).

    Yields:
        One dict per row.

    Raises:
        DatasetError: Naming the file (and the row, column and value) when a shard cannot
            be read or breaks one of the rules above.
    """
    for path in files:
        model = TABLE_MODELS.get(path.parent.name)
        with parquet_errors(path):
            parquet = pq.ParquetFile(path)
            schema = parquet.schema_arrow
        labels = class_names(features_of(path, schema))
        checked = _checked_columns(path, schema, model, columns)
        read = set(columns) if columns is not None else set(schema.names)
        decoded = {name: names for name, names in labels.items() if name in read}
        for col in checked:
            if col.class_names and col.name not in decoded:
                raise DatasetError(f"{path}: no ClassLabel feature for column {col.name!r}")
        batches = parquet.iter_batches(
            batch_size=BATCH_ROWS, columns=list(columns) if columns is not None else None
        )
        offset = 0
        while True:
            # Guarded per batch, conversion included: a damaged page or a string that is not
            # UTF-8 fails only when its batch is read.
            with parquet_errors(path):
                batch = next(batches, None)
                rows = batch.to_pylist() if batch is not None else None
            if rows is None:
                break
            for number, row in enumerate(rows, start=offset):
                for col in checked:
                    _check_value(path, number, col, row.get(col.name))
                for name, names in decoded.items():
                    row[name] = _class_name(path, number, name, row.get(name), names)
                yield row
            offset += len(rows)


def _checked_columns(
    path: Path, schema: pa.Schema, model: Any, names: Sequence[str] | None
) -> list[Column]:
    if model is None:
        return []
    by_name = {c.name: c for c in columns(model)}
    # Reading every column (a diff) checks the key only: another column may differ from the
    # model, and the diff reports that as a schema change instead of refusing the folder.
    wanted = names if names is not None else TABLE_KEYS[path.parent.name]
    checked = []
    for name in wanted:
        expected = by_name.get(name)
        if expected is None:
            continue
        if name not in schema.names:
            raise DatasetError(f"{path}: no column {name!r}")
        found = schema.field(name).type
        if found != expected.arrow_type:
            raise DatasetError(
                f"{path}: column {name!r} is {found}, the model stores {expected.arrow_type}"
            )
        checked.append(expected)
    return checked


def _check_value(path: Path, row: int, column: Column, value: object) -> None:
    if value is None and not column.nullable:
        raise DatasetError(f"{path}: row {row}: {column.name} is null")
    if isinstance(value, list) and any(item is None for item in value):
        raise DatasetError(f"{path}: row {row}: {column.name} holds a null element")


def _class_name(path: Path, row: int, column: str, value: object, names: list[str]) -> object:
    if value is None:
        return None
    if isinstance(value, int) and 0 <= value < len(names):
        return names[value]
    raise DatasetError(
        f"{path}: row {row}: {column} is {value!r}, not a class index (0 to {len(names) - 1})"
    )
