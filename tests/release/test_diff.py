import shutil
from collections.abc import Callable
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from dispatch_corpus.errors import DatasetError
from dispatch_corpus.release.diff import diff_datasets
from dispatch_corpus.release.semver import Bump


def _shard(folder: Path, table: str) -> Path:
    """The table's shard holding the most rows (the base build has one shard per split)."""
    paths = sorted((folder / "data" / table).glob("*.parquet"))
    return max(paths, key=lambda path: pq.read_metadata(path).num_rows)


def _copy(build: Path, tmp_path: Path) -> Path:
    target = tmp_path / "copy"
    shutil.copytree(build, target)
    return target


def test_same_data_needs_only_a_patch(builds: dict[str, Path]) -> None:
    diff = diff_datasets(builds["base"], builds["base2"])
    assert diff.needed_bump is Bump.PATCH
    assert all((t.added, t.removed, t.changed) == (0, 0, 0) for t in diff.tables.values())
    assert diff.documents_added == diff.documents_removed == diff.documents_text_changed == ()
    assert diff.schema_changes == ()


def test_an_added_document_needs_a_minor_bump(builds: dict[str, Path]) -> None:
    diff = diff_datasets(builds["base"], builds["added"])
    assert diff.needed_bump is Bump.MINOR
    assert diff.documents_added == ("bridge",)
    assert diff.tables["documents"].added == 1
    assert diff.tables["paragraphs"].added == 2
    assert all(t.removed == t.changed == 0 for t in diff.tables.values())


def test_a_changed_text_needs_a_major_bump(builds: dict[str, Path]) -> None:
    diff = diff_datasets(builds["base"], builds["changed"])
    assert diff.needed_bump is Bump.MAJOR
    assert diff.documents_text_changed == ("storm",)
    assert diff.documents_fields_changed == ()
    assert diff.tables["paragraphs"].changed == 1
    assert diff.tables["documents"].old_rows == diff.tables["documents"].new_rows == 3


def test_a_removed_document_needs_a_major_bump(builds: dict[str, Path]) -> None:
    diff = diff_datasets(builds["base"], builds["removed"])
    assert diff.needed_bump is Bump.MAJOR
    assert diff.documents_removed == ("vote",)
    assert diff.tables["paragraphs"].removed == 3


def test_no_previous_data_counts_everything_as_added(builds: dict[str, Path]) -> None:
    diff = diff_datasets(None, builds["base"])
    assert diff.documents_added == ("greve", "storm", "vote")
    assert diff.tables["documents"].old_rows == 0
    assert diff.needed_bump is Bump.MINOR


def test_distributions_count_class_names_of_both_sides(builds: dict[str, Path]) -> None:
    diff = diff_datasets(builds["base"], builds["added"])
    roles = diff.distributions["paragraphs.role"]
    assert list(roles)[:3] == ["headline", "dateline", "lead"]
    assert sum(old for old, _ in roles.values()) == diff.tables["paragraphs"].old_rows
    assert sum(new for _, new in roles.values()) == diff.tables["paragraphs"].new_rows
    assert sum(new - old for old, new in roles.values()) == 2
    labels = diff.distributions["sections.label"]
    assert sum(new for _, new in labels.values()) == diff.tables["sections"].new_rows


def test_a_relabelled_paragraph_is_a_change_and_shifts_the_distribution(
    builds: dict[str, Path], tmp_path: Path
) -> None:
    copy = _copy(builds["base"], tmp_path)
    path = _shard(copy, "paragraphs")
    table = pq.read_table(path)
    roles = table.column("role").to_pylist()
    last = len(roles) - 1
    old_role = roles[last]
    roles[last] = 8 if old_role != 8 else 3
    table = table.set_column(table.schema.get_field_index("role"), "role", [roles])
    pq.write_table(table, path)
    diff = diff_datasets(builds["base"], copy)
    assert diff.tables["paragraphs"].changed == 1
    assert diff.needed_bump is Bump.MAJOR
    shift = diff.distributions["paragraphs.role"]
    names = list(shift)
    assert shift[names[old_role]][1] == shift[names[old_role]][0] - 1
    assert shift[names[roles[last]]][1] == shift[names[roles[last]]][0] + 1
    assert diff.documents_text_changed == ()


def test_a_dropped_column_is_a_schema_change(builds: dict[str, Path], tmp_path: Path) -> None:
    copy = _copy(builds["base"], tmp_path)
    for path in (copy / "data" / "sections").glob("*.parquet"):
        pq.write_table(pq.read_table(path).drop_columns(["text"]), path)
    diff = diff_datasets(builds["base"], copy)
    assert "sections: column 'text' removed" in diff.schema_changes
    assert diff.needed_bump is Bump.MAJOR


def test_unsorted_rows_are_refused(builds: dict[str, Path], tmp_path: Path) -> None:
    copy = _copy(builds["base"], tmp_path)
    path = _shard(copy, "documents")
    table = pq.read_table(path)
    pq.write_table(table.take(list(reversed(range(table.num_rows)))), path)
    with pytest.raises(DatasetError, match="not sorted by unique documents key"):
        diff_datasets(builds["base"], copy)


def test_shards_of_several_splits_diff_and_a_key_in_two_splits_is_refused(
    builds: dict[str, Path], tmp_path: Path
) -> None:
    base = builds["base"]
    splits = {p.name.split("-")[0] for p in (base / "data" / "documents").glob("*.parquet")}
    assert len(splits) >= 2
    assert diff_datasets(base, base).tables["documents"].changed == 0
    copy = _copy(base, tmp_path)
    shards = sorted((copy / "data" / "documents").glob("*.parquet"))
    first = pq.read_table(shards[0])
    other = pq.read_table(shards[1])
    pq.write_table(pa.concat_tables([other, first.slice(0, 1).cast(other.schema)]), shards[1])
    with pytest.raises(DatasetError, match="not sorted by unique documents key"):
        diff_datasets(base, copy)


def test_a_folder_without_tables_is_refused(builds: dict[str, Path], tmp_path: Path) -> None:
    with pytest.raises(DatasetError, match="no Parquet files in data/documents/"):
        diff_datasets(builds["base"], tmp_path)
    with pytest.raises(DatasetError, match="dataset folder not found"):
        diff_datasets(tmp_path / "missing", builds["base"])


@pytest.mark.parametrize(
    ("table", "damage", "message"),
    [
        (
            "paragraphs",
            lambda t: t.set_column(
                t.schema.get_field_index("doc_id"),
                pa.field("doc_id", pa.string()),
                pa.array([None, *t["doc_id"].to_pylist()[1:]], type=pa.string()),
            ),
            "row 0: doc_id is null",
        ),
        (
            "sections",
            lambda t: t.set_column(
                t.schema.get_field_index("section_index"),
                "section_index",
                t["section_index"].cast(pa.string()),
            ),
            "column 'section_index' is string, the model stores int32",
        ),
        (
            "sections",
            lambda t: t.set_column(
                t.schema.get_field_index("label"),
                t.schema.field("label"),
                pa.array([7] * t.num_rows, type=pa.int64()),
            ),
            "row 0: label is 7, not a class index (0 to 5)",
        ),
    ],
)
def test_keys_and_class_labels_diff_cannot_read_are_named(
    builds: dict[str, Path],
    tmp_path: Path,
    table: str,
    damage: Callable[[pa.Table], pa.Table],
    message: str,
) -> None:
    copy = _copy(builds["base"], tmp_path)
    path = _shard(copy, table)
    pq.write_table(damage(pq.read_table(path)), path)
    for old, new in ((builds["base"], copy), (copy, builds["base"])):
        with pytest.raises(DatasetError) as caught:
            diff_datasets(old, new)
        assert str(caught.value) == f"{path}: {message}"
