from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from dispatch_corpus.models import TABLE_MODELS
from dispatch_corpus.validation.dataset import (
    UnitBudget,
    UnitReader,
    ValidationInputError,
    check_schemas,
    find_tables,
    plan_units,
    rows_in_range,
)
from validation.planting import shard


def _ids(table: pa.Table) -> list[object]:
    return table["doc_id"].to_pylist()


def test_rows_in_range_slices_sorted_rows_and_keeps_nulls_last() -> None:
    table = pa.table({"doc_id": ["a", "b", "b", "c", "d", None]})
    assert _ids(rows_in_range(table, None, "b")) == ["a", "b", "b"]
    assert _ids(rows_in_range(table, "b", "d")) == ["c", "d"]
    assert _ids(rows_in_range(table, "d", None)) == [None]
    assert _ids(rows_in_range(table, None, None)) == _ids(table)
    unsorted = pa.table({"doc_id": ["c", "a", "d", "b"]})
    assert _ids(rows_in_range(unsorted, "a", "c")) == ["c", "b"]


@pytest.mark.parametrize(
    ("unit", "part"),
    [
        ((UnitBudget().unit_chars, UnitBudget().unit_documents), (10**9, 10**9)),
        ((20_000, 4), (5_000, 2)),
        ((1, 1), (1, 1)),
    ],
)
def test_units_and_parts_hold_every_row_exactly_once(
    small_build: Path, unit: tuple[int, int], part: tuple[int, int]
) -> None:
    dataset = find_tables(small_build)
    units = plan_units(dataset, unit, part)
    reader = UnitReader(dataset)
    for table in TABLE_MODELS:
        every = pa.concat_tables([pq.read_table(path) for path in dataset.files[table]])
        seen: list[object] = []
        for unit in units:
            rows = reader.read(table, unit)
            parts = [rows_in_range(rows, low, high) for low, high in unit.parts]
            assert sum(p.num_rows for p in parts) == rows.num_rows
            seen += _ids(rows)
        assert sorted(seen) == sorted(_ids(every))
    assert units[0].low is None and units[-1].high is None


def test_a_one_document_budget_cuts_one_document_per_unit(small_build: Path) -> None:
    units = plan_units(find_tables(small_build), (1, 1), (1, 1))
    assert sum(len(u.parts) for u in units) == 20
    assert len(units) == 20


def test_the_reader_skips_row_groups_outside_a_unit(small_build: Path, tmp_path: Path) -> None:
    path = shard(small_build, "paragraphs")
    data = pq.read_table(path)
    target = tmp_path / "dataset"
    for table in TABLE_MODELS:
        (target / "data" / table).mkdir(parents=True)
        source = shard(small_build, table)
        pq.write_table(
            pq.read_table(source), target / "data" / table / source.name, row_group_size=7
        )
    dataset = find_tables(target)
    units = plan_units(dataset, (10_000, 3), (10_000, 3))
    reader = UnitReader(dataset)
    total = sum(reader.read("paragraphs", unit).num_rows for unit in units)
    assert total == data.num_rows
    narrow = UnitReader(dataset, skip=frozenset({"text"}))
    first = narrow.read("paragraphs", units[0])
    assert "text" not in first.column_names
    assert first.num_rows == reader.read("paragraphs", units[0]).num_rows
    assert pq.ParquetFile(target / "data" / "paragraphs" / path.name).num_row_groups > 20


def test_schemas_are_checked_against_the_models(small_build: Path) -> None:
    schema = check_schemas(find_tables(small_build))
    tallies = schema.tallies
    assert [t.check for t in tallies] == [f"{t}.schema" for t in TABLE_MODELS]
    shards = find_tables(small_build).files
    assert all(t.unexpected_count == 0 for t in tallies)
    assert [t.element_count for t in tallies] == [len(shards[table]) for table in TABLE_MODELS]
    assert all(schema.usable[table] for table in TABLE_MODELS)
    assert schema.unusable == {table: {} for table in TABLE_MODELS}


def test_a_missing_table_folder_cannot_be_validated(tmp_path: Path) -> None:
    (tmp_path / "data" / "documents").mkdir(parents=True)
    with pytest.raises(ValidationInputError, match="no Parquet files in data/"):
        find_tables(tmp_path)


def test_every_schema_difference_of_a_shard_is_a_finding(dataset_copy: Path) -> None:
    path = dataset_copy / "data" / "documents" / "train-00000-of-00001.parquet"
    data = pq.read_table(path)
    position = data.schema.get_field_index("title")
    data = data.set_column(
        position, pa.field("title", pa.string(), nullable=False), data["title"].fill_null("")
    )
    data = data.drop_columns(["n_chars"]).append_column("extra", pa.array([1] * data.num_rows))
    pq.write_table(data, path)
    schema = check_schemas(find_tables(dataset_copy))
    (tally, *_) = schema.tallies
    documents = len(find_tables(dataset_copy).files["documents"])
    assert (tally.element_count, tally.unexpected_count) == (documents, 1)
    found = {f["column"]: (f["expected"], f["actual"]) for f in tally.findings}
    assert found == {
        "title": ("nullable", "not null"),
        "n_chars": ("int32", "missing"),
        "extra": ("no such column", "int64"),
    }
    assert "title" in schema.usable["documents"]
    assert "n_chars" not in schema.usable["documents"]
    assert schema.reason("documents", "n_chars") == f"documents.n_chars is missing from {path.name}"
    assert schema.reason("documents", "title") is None


def test_units_are_planned_by_rows_when_document_sizes_cannot_be_read(
    dataset_copy: Path,
) -> None:
    path = dataset_copy / "data" / "documents" / "train-00000-of-00001.parquet"
    pq.write_table(pq.read_table(path).drop_columns(["n_chars"]), path)
    dataset = find_tables(dataset_copy)
    usable = check_schemas(dataset).usable
    units = plan_units(dataset, (10**9, 4), (10**9, 2), usable)
    assert len(units) == 5, "20 documents, 4 a unit"
    reader = UnitReader(dataset, usable=usable)
    assert sum(reader.read("documents", unit).num_rows for unit in units) == 20
    assert "n_chars" not in reader.read("documents", units[0]).column_names


def test_a_string_that_is_not_utf8_cannot_be_validated(dataset_copy: Path) -> None:
    path = dataset_copy / "data" / "paragraphs" / "train-00000-of-00001.parquet"
    data = pq.read_table(path)
    broken = pa.array([b"\xff"] * data.num_rows, type=pa.binary()).view(pa.string())
    position = data.schema.get_field_index("text")
    pq.write_table(data.set_column(position, data.schema.field("text"), broken), path)
    dataset = find_tables(dataset_copy)
    units = plan_units(dataset, (10**9, 10**6), (10**9, 10**6))
    with pytest.raises(ValidationInputError, match="Invalid UTF8"):
        UnitReader(dataset).read("paragraphs", units[0])


def test_a_deferred_column_is_checked_only_where_asked(dataset_copy: Path) -> None:
    path = dataset_copy / "data" / "paragraphs" / "train-00000-of-00001.parquet"
    data = pq.read_table(path)
    values = [v.encode() for v in data["text"].to_pylist()]
    values[5] = b"\xff" + values[5]
    broken = pa.array(values, type=pa.binary()).view(pa.string())
    position = data.schema.get_field_index("text")
    pq.write_table(data.set_column(position, data.schema.field("text"), broken), path)
    dataset = find_tables(dataset_copy)
    (unit,) = plan_units(dataset, (10**9, 10**6), (10**9, 10**6))
    reader = UnitReader(dataset, defer_utf8={"paragraphs": frozenset({"text"})})
    rows = reader.read("paragraphs", unit)
    reader.check_utf8("paragraphs", rows, np.array([0, 4, 6]))
    with pytest.raises(ValidationInputError, match=f"cannot read {path}: .*Invalid UTF8"):
        reader.check_utf8("paragraphs", rows, np.array([1, 5]))


def test_a_shard_that_is_not_a_regular_file_is_refused(dataset_copy: Path) -> None:
    path = dataset_copy / "data" / "sections" / "train-00000-of-00001.parquet"
    path.unlink()
    os.mkfifo(path)
    with pytest.raises(ValidationInputError, match="not a regular file"):
        find_tables(dataset_copy)
