"""Read the Parquet tables of a dataset folder (a build or a release) without loading them whole."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from dispatch_corpus.errors import DatasetError
from dispatch_corpus.models import TABLE_MODELS
from dispatch_corpus.schema import HF_METADATA_KEY
from dispatch_corpus.tables import SPLIT

DATA_DIR = "data"
BATCH_ROWS = 8192


def table_files(dataset_dir: Path) -> dict[str, list[Path]]:
    """Return the Parquet shards of every published table of a dataset folder.

    Args:
        dataset_dir: A build or release folder holding ``data/<table>/train-*.parquet``.

    Returns:
        Shard paths per table, sorted by name.

    Raises:
        DatasetError: When the folder or any table's shards are missing.
    """
    if not dataset_dir.is_dir():
        raise DatasetError(f"dataset folder not found: {dataset_dir}")
    files: dict[str, list[Path]] = {}
    for table in TABLE_MODELS:
        shards = sorted((dataset_dir / DATA_DIR / table).glob(f"{SPLIT}-*.parquet"))
        if not shards:
            raise DatasetError(f"{dataset_dir}: no Parquet files in {DATA_DIR}/{table}/")
        files[table] = shards
    return files


def count_rows(path: Path) -> int:
    """Return the number of rows of a Parquet file, read from its footer."""
    return int(pq.ParquetFile(path).metadata.num_rows)


def arrow_bytes(path: Path) -> int:
    """Return the in-memory Arrow size of a Parquet file, one row group at a time."""
    parquet = pq.ParquetFile(path)
    return sum(
        int(parquet.read_row_group(i).nbytes) for i in range(parquet.metadata.num_row_groups)
    )


def read_features(path: Path) -> dict[str, Any]:
    """Return the Hugging Face features embedded in a Parquet file's schema metadata.

    Args:
        path: A Parquet shard written by the build.

    Returns:
        The serialized ``Features`` (column name to feature dict), empty when absent.
    """
    metadata = pq.read_schema(path).metadata or {}
    raw = metadata.get(HF_METADATA_KEY)
    if raw is None:
        return {}
    features: dict[str, Any] = json.loads(raw).get("info", {}).get("features", {})
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

    Args:
        files: The table's shards, in order.
        columns: Columns to read (default: all).

    Yields:
        One dict per row.
    """
    for path in files:
        labels = class_names(read_features(path))
        parquet = pq.ParquetFile(path)
        for batch in parquet.iter_batches(
            batch_size=BATCH_ROWS, columns=list(columns) if columns is not None else None
        ):
            for row in batch.to_pylist():
                for name, names in labels.items():
                    value = row.get(name)
                    if isinstance(value, int) and 0 <= value < len(names):
                        row[name] = names[value]
                yield row
