import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from validation.planting import set_value

from dispatch_corpus.dataset.reader import (
    arrow_bytes,
    class_names,
    count_rows,
    iter_rows,
    read_features,
    table_files,
)
from dispatch_corpus.errors import DatasetError
from dispatch_corpus.models import Role


def test_table_files_lists_the_shards_of_every_table(builds: dict[str, Path]) -> None:
    files = table_files(builds["base"])
    assert list(files) == ["documents", "paragraphs", "sections"]
    # Split by split, train first; an empty split has no file.
    names = [p.name for p in files["paragraphs"]]
    assert names[0] == "train-00000-of-00001.parquet"
    order = ("train", "validation", "test")
    assert names == sorted(names, key=lambda name: order.index(name.split("-")[0]))


def test_table_files_lists_splits_in_order_train_validation_test(tmp_path: Path) -> None:
    for table in ("documents", "paragraphs", "sections"):
        folder = tmp_path / "data" / table
        folder.mkdir(parents=True)
        for name in ("test-00000-of-00001", "train-00001-of-00002", "train-00000-of-00002"):
            (folder / f"{name}.parquet").write_bytes(b"")
        (folder / "validation-00000-of-00001.parquet").write_bytes(b"")
        (folder / "other-00000-of-00001.parquet").write_bytes(b"")
    assert [p.name for p in table_files(tmp_path)["sections"]] == [
        "train-00000-of-00002.parquet",
        "train-00001-of-00002.parquet",
        "validation-00000-of-00001.parquet",
        "test-00000-of-00001.parquet",
    ]


def test_table_files_refuses_a_missing_table(tmp_path: Path) -> None:
    (tmp_path / "data" / "documents").mkdir(parents=True)
    with pytest.raises(DatasetError, match="no Parquet files in data/documents/"):
        table_files(tmp_path)


def test_rows_come_in_order_with_class_labels_as_names(builds: dict[str, Path]) -> None:
    files = table_files(builds["base"])["paragraphs"]
    rows = list(iter_rows(files, ["paragraph_id", "role"]))
    assert len(rows) == sum(count_rows(f) for f in files) == 10
    assert rows[0]["role"] == "headline"
    assert {row["role"] for row in rows} <= {role.value for role in Role}
    assert [r["paragraph_id"] for r in rows] == sorted(r["paragraph_id"] for r in rows)


def test_features_embedded_by_the_build_are_read_back(builds: dict[str, Path]) -> None:
    path = table_files(builds["base"])["sections"][0]
    features = read_features(path)
    assert features["doc_id"] == {"dtype": "string", "_type": "Value"}
    assert class_names(features) == {
        "label": ["headline", "lead", "body", "statement", "list", "boilerplate"]
    }
    assert arrow_bytes(path) > 0


def _rewritten(path: Path, change: Callable[[pa.Table], pa.Table]) -> None:
    pq.write_table(change(pq.read_table(path)), path)


def _with_value(column: str, row: int, value: object) -> Callable[[pa.Table], pa.Table]:
    return lambda table: set_value(table, column, row, value)


def _metadata(raw: bytes) -> Callable[[pa.Table], pa.Table]:
    return lambda table: table.replace_schema_metadata({b"huggingface": raw})


BROKEN_SHARDS: dict[str, tuple[Callable[[Path], None], str]] = {
    "0 bytes": (lambda p: p.write_bytes(b""), "not a readable Parquet file (Parquet file size"),
    "a cut footer": (
        lambda p: p.write_bytes(p.read_bytes()[:-3]),
        "not a readable Parquet file",
    ),
    "a missing column": (
        lambda p: _rewritten(p, lambda t: t.drop_columns(["role"])),
        "no column 'role'",
    ),
    "a column of the wrong type": (
        lambda p: _rewritten(
            p,
            lambda t: t.set_column(
                t.schema.get_field_index("role"), "role", t["role"].cast(pa.int32())
            ),
        ),
        "column 'role' is int32, the model stores int64",
    ),
    "a role index out of range": (
        lambda p: _rewritten(p, _with_value("role", 3, 99)),
        "row 3: role is 99, not a class index (0 to 8)",
    ),
    "a null flag": (
        lambda p: _rewritten(p, _with_value("flags", 1, ["starts_lowercase", None])),
        "row 1: flags holds a null element",
    ),
    "features that are not JSON": (
        lambda p: _rewritten(p, _metadata(b"[" * 100_000)),
        "embedded features: nested too deeply (over 64 levels)",
    ),
    "features without a ClassLabel for role": (
        lambda p: _rewritten(p, _metadata(b'{"info": {"features": {}}}')),
        "no ClassLabel feature for column 'role'",
    ),
    "text that is not UTF-8": (
        lambda p: _rewritten(
            p,
            lambda t: t.set_column(
                t.schema.get_field_index("paragraph_id"),
                t.schema.field("paragraph_id"),
                pa.array([b"\xff"] * t.num_rows, type=pa.binary()).view(pa.string()),
            ),
        ),
        "not a readable Parquet file ('utf-8' codec can't decode",
    ),
}


@pytest.mark.parametrize("case", list(BROKEN_SHARDS))
def test_a_broken_shard_is_a_dataset_error_naming_the_file(
    case: str, builds: dict[str, Path], tmp_path: Path
) -> None:
    dataset = Path(shutil.copytree(builds["base"], tmp_path / "dataset"))
    path = max(table_files(dataset)["paragraphs"], key=count_rows)
    damage, message = BROKEN_SHARDS[case]
    damage(path)
    with pytest.raises(DatasetError) as caught:
        list(iter_rows([path], ["paragraph_id", "doc_id", "role", "flags"]))
    assert str(caught.value).startswith(f"{path}: ")
    assert message in str(caught.value)


def test_a_shard_that_is_not_a_regular_file_is_refused(
    builds: dict[str, Path], tmp_path: Path
) -> None:
    dataset = Path(shutil.copytree(builds["base"], tmp_path / "dataset"))
    path = table_files(dataset)["sections"][0]
    path.unlink()
    os.mkfifo(path)
    with pytest.raises(DatasetError, match="not a regular file"):
        table_files(dataset)


def test_count_rows_and_features_name_a_broken_file(tmp_path: Path) -> None:
    path = tmp_path / "train-00000-of-00001.parquet"
    path.write_bytes(b"PAR1" + b"\x00" * 64 + b"PAR1")
    for read in (count_rows, arrow_bytes, read_features):
        with pytest.raises(DatasetError, match=f"^{path}: not a readable Parquet file"):
            read(path)
