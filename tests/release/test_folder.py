from pathlib import Path

import pytest

from dispatch_corpus.errors import DatasetError
from dispatch_corpus.models import Role
from dispatch_corpus.release.folder import (
    arrow_bytes,
    class_names,
    count_rows,
    iter_rows,
    read_features,
    table_files,
)


def test_table_files_lists_the_shards_of_every_table(builds: dict[str, Path]) -> None:
    files = table_files(builds["base"])
    assert list(files) == ["documents", "paragraphs", "sections"]
    assert [p.name for p in files["paragraphs"]] == ["train-00000-of-00001.parquet"]


def test_table_files_refuses_a_missing_table(tmp_path: Path) -> None:
    (tmp_path / "data" / "documents").mkdir(parents=True)
    with pytest.raises(DatasetError, match="no Parquet files in data/documents/"):
        table_files(tmp_path)


def test_rows_come_in_order_with_class_labels_as_names(builds: dict[str, Path]) -> None:
    files = table_files(builds["base"])["paragraphs"]
    rows = list(iter_rows(files, ["paragraph_id", "role"]))
    assert len(rows) == count_rows(files[0]) == 10
    assert rows[0] == {"paragraph_id": "greve/p0000", "role": "headline"}
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
