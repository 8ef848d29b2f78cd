"""Split pins read from an earlier build or release: what is read, and what stops the build."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from stories import distinct_story

from dispatch_corpus.build.driver import build_dataset
from dispatch_corpus.dataset.buildrecord import file_sha256
from dispatch_corpus.dataset.pins import NO_PINS, read_pins
from dispatch_corpus.dataset.reader import iter_rows, table_files
from dispatch_corpus.errors import DatasetError

REPO = Path(__file__).resolve().parents[2]
OLD_RELEASE = REPO / "releases" / "2.0.0"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("pins")
    corpus = root / "corpus" / "news"
    corpus.mkdir(parents=True)
    for i in range(12):
        (corpus / f"d{i:02d}.txt").write_text(distinct_story(i), encoding="utf-8")
    out = root / "build"
    build_dataset(root / "corpus", out)
    return out


def _copy(built: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(built, tmp_path / "copy"))


def test_pins_are_every_documents_split_with_the_files_read(built: Path) -> None:
    pins = read_pins(built)
    files = table_files(built)["documents"]
    rows = list(iter_rows(files, ["doc_id", "split"]))
    assert pins.splits == {row["doc_id"]: row["split"] for row in rows}
    assert len(pins.splits) == 12
    assert pins.source == built and pins.note is None
    assert pins.files == {p.relative_to(built).as_posix(): file_sha256(p) for p in files}
    assert pins.recorded() == {
        "from": str(built),
        "documents_sha256": pins.files,
        "pinned": 12,
    }
    assert NO_PINS.recorded() is None


@pytest.mark.skipif(not OLD_RELEASE.is_dir(), reason="releases/2.0.0 is not in this checkout")
def test_a_release_without_split_column_pins_nothing_with_a_note() -> None:
    pins = read_pins(OLD_RELEASE)
    assert pins.splits == {}
    assert pins.note is not None and "no split column" in pins.note
    assert pins.files


def _drop_split(path: Path) -> None:
    table = pq.read_table(path)
    pq.write_table(table.drop_columns(["split"]), path)


def _set_split(value: object) -> object:
    def change(path: Path) -> None:
        table = pq.read_table(path)
        column = pa.array([value] * table.num_rows, pa.string())
        pq.write_table(
            table.set_column(table.schema.get_field_index("split"), "split", column), path
        )

    return change


def _duplicate_rows(path: Path) -> None:
    table = pq.read_table(path)
    pq.write_table(pa.concat_tables([table, table]), path)


def _bad_doc_id(path: Path) -> None:
    table = pq.read_table(path)
    ids = pa.array(["bad id\n"] * table.num_rows, pa.string())
    pq.write_table(table.set_column(0, "doc_id", ids), path)


DAMAGES = {
    "not Parquet": (lambda p: p.write_bytes(b"not parquet at all"), "not a readable Parquet"),
    "a cut footer": (lambda p: p.write_bytes(p.read_bytes()[:-10]), "not a readable Parquet"),
    "no doc_id": (
        lambda p: pq.write_table(pq.read_table(p).drop_columns(["doc_id"]), p),
        "no doc_id column",
    ),
    "a split outside the set": (_set_split("holdout"), "is not one of train, validation, test"),
    "a null split": (_set_split(None), "is not one of"),
    "a doc_id twice": (_duplicate_rows, "appears twice"),
    "an invalid doc_id": (_bad_doc_id, "is not a valid doc_id"),
    "one shard without split": (_drop_split, "no split column, unlike the other"),
}


@pytest.mark.parametrize("case", list(DAMAGES))
def test_an_unusable_documents_table_is_a_dataset_error(
    case: str, built: Path, tmp_path: Path
) -> None:
    copy = _copy(built, tmp_path)
    damage, message = DAMAGES[case]
    damage(table_files(copy)["documents"][0])
    with pytest.raises(DatasetError, match=message):
        read_pins(copy)


def test_missing_folder_file_and_foreign_folder_are_refused(built: Path, tmp_path: Path) -> None:
    with pytest.raises(DatasetError, match="not a folder"):
        read_pins(tmp_path / "missing")
    (tmp_path / "file").write_text("x", encoding="utf-8")
    with pytest.raises(DatasetError, match="not a folder"):
        read_pins(tmp_path / "file")
    foreign = tmp_path / "foreign"
    shutil.copytree(built / "data", foreign / "data")
    with pytest.raises(DatasetError, match="not a build or release of dispatch-corpus"):
        read_pins(foreign)
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "BUILD.json").write_text("{}", encoding="utf-8")
    with pytest.raises(DatasetError, match="no Parquet files"):
        read_pins(empty)


def test_a_fifo_named_like_a_shard_is_refused(built: Path, tmp_path: Path) -> None:
    copy = _copy(built, tmp_path)
    shard = table_files(copy)["documents"][0]
    shard.unlink()
    os.mkfifo(shard)
    with pytest.raises(DatasetError, match="not a regular file"):
        read_pins(copy)
