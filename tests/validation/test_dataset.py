from __future__ import annotations

from pathlib import Path

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
        every = pq.read_table(shard(small_build, table))
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
    tallies = check_schemas(find_tables(small_build))
    assert [t.check for t in tallies] == [f"{t}.schema" for t in TABLE_MODELS]
    assert all(t.unexpected_count == 0 and t.element_count == 1 for t in tallies)


def test_a_missing_table_folder_cannot_be_validated(tmp_path: Path) -> None:
    (tmp_path / "data" / "documents").mkdir(parents=True)
    with pytest.raises(ValidationInputError, match="no Parquet shards"):
        find_tables(tmp_path)
