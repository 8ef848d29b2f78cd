import importlib.metadata
import json
import shutil
from pathlib import Path

import pytest

from dispatch_corpus.build.driver import build_dataset
from dispatch_corpus.core.neardup import recorded_settings
from dispatch_corpus.dataset.buildrecord import build_changes, read_build_record, write_build_record
from dispatch_corpus.dataset.layout import BUILD_RECORD
from dispatch_corpus.settings import BuildSettings

SHARD = "data/paragraphs/train-00000-of-00001.parquet"


@pytest.fixture(scope="module")
def recorded_build(tmp_path_factory: pytest.TempPathFactory, project_corpus: Path) -> Path:
    out = tmp_path_factory.mktemp("recorded") / "build"
    build_dataset(project_corpus, out)
    return out


RENSA_VERSION = importlib.metadata.version("rensa")


@pytest.fixture
def build_copy(recorded_build: Path, tmp_path: Path) -> Path:
    target = tmp_path / "build"
    shutil.copytree(recorded_build, target, symlinks=True)
    return target


def test_a_fresh_build_matches_its_record(recorded_build: Path, project_corpus: Path) -> None:
    record = read_build_record(recorded_build)
    assert record is not None
    assert record.corpus == project_corpus.resolve()
    assert SHARD in record.files and record.files[SHARD].rows == 10
    assert {k: v for k, v in record.settings.items() if k in BuildSettings().recorded()} == (
        BuildSettings().recorded()
    )
    assert record.settings["neardup"] == {**recorded_settings(), "rensa": RENSA_VERSION}
    assert record.settings["splits_from"] is None
    assert build_changes(recorded_build, record) == []


def _flip_a_byte(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))


def _add_a_shard(build: Path) -> None:
    shutil.copyfile(build / SHARD, build / "data/paragraphs/train-00001-of-00001.parquet")


def _link_a_folder(build: Path) -> None:
    (build / "data" / "extra").symlink_to(build / "data" / "paragraphs")


CHANGES = {
    "a shard rewritten, same size": (lambda b: _flip_a_byte(b / SHARD), f"{SHARD} rewritten"),
    "a shard truncated": (lambda b: (b / SHARD).write_bytes(b"PAR1"), f"{SHARD} rewritten"),
    "a shard added": (
        _add_a_shard,
        "data/paragraphs/train-00001-of-00001.parquet added",
    ),
    "a shard removed": (lambda b: (b / SHARD).unlink(), f"{SHARD} removed"),
    "a shard replaced by a link": (
        lambda b: ((b / SHARD).unlink(), (b / SHARD).symlink_to(b / "README.md")),
        f"{SHARD} removed",
    ),
    "a stray file under data": (
        lambda b: (b / "data" / "notes.txt").write_text("x"),
        "data/notes.txt added",
    ),
    "a linked folder under data": (_link_a_folder, "data/extra added"),
    "the card edited": (
        lambda b: (b / "README.md").write_text("hand edit", encoding="utf-8"),
        "README.md rewritten",
    ),
    "the quarantine report removed": (
        lambda b: (b / "reports" / "quarantine.jsonl").unlink(),
        "reports/quarantine.jsonl removed",
    ),
}


@pytest.mark.parametrize("change", sorted(CHANGES))
def test_every_change_since_the_build_is_seen(build_copy: Path, change: str) -> None:
    record = read_build_record(build_copy)
    assert record is not None
    edit, expected = CHANGES[change]
    edit(build_copy)
    assert expected in build_changes(build_copy, record)


def test_a_validation_report_is_not_a_change(build_copy: Path) -> None:
    record = read_build_record(build_copy)
    assert record is not None
    (build_copy / "reports" / "validation").mkdir()
    (build_copy / "reports" / "validation" / "results.json").write_text("{}")
    assert build_changes(build_copy, record) == []


def test_rewriting_the_record_accepts_the_folder_as_it_is_now(build_copy: Path) -> None:
    documents = build_copy / "data/documents/train-00000-of-00001.parquet"
    shutil.copyfile(documents, build_copy / SHARD)
    write_build_record(build_copy, Path("corpus"), {"max_bytes": 1})
    record = read_build_record(build_copy)
    assert record is not None and build_changes(build_copy, record) == []


def _entry(**changes: object) -> dict[str, object]:
    return {"path": SHARD, "sha256": "0" * 64, "bytes": 1, "rows": 1, **changes}


def _record(**changes: object) -> dict[str, object]:
    return {"created_by": "dispatch-corpus", "kind": "build", "files": [_entry()], **changes}


NOT_RECORDS: dict[str, bytes] = {
    "empty": b"",
    "not JSON": b"{not json",
    "not UTF-8": b'{"created_by": "\xff"}',
    "a list": b"[]",
    "deeply nested": b'{"files": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
    "a huge number": b'{"files": [], "n": ' + b"9" * 5000 + b"}",
    "another tool's file": json.dumps({"targets": ["//main"]}).encode(),
    "another kind": json.dumps(_record(kind="validation-report")).encode(),
    "files not a list": json.dumps(_record(files={"a": 1})).encode(),
    "an entry not an object": json.dumps(_record(files=["README.md"])).encode(),
    "an absolute path": json.dumps(_record(files=[_entry(path="/etc/passwd")])).encode(),
    "a path leaving the folder": json.dumps(_record(files=[_entry(path="../x")])).encode(),
    "a path not in normal form": json.dumps(_record(files=[_entry(path="data//x")])).encode(),
    "a size that is not a number": json.dumps(_record(files=[_entry(bytes="1")])).encode(),
    "a size that is a boolean": json.dumps(_record(files=[_entry(bytes=True)])).encode(),
    "no sha256": json.dumps(_record(files=[_entry(sha256=None)])).encode(),
}


@pytest.mark.parametrize("content", sorted(NOT_RECORDS))
def test_a_file_that_is_not_a_build_record_is_not_trusted(tmp_path: Path, content: str) -> None:
    (tmp_path / BUILD_RECORD).write_bytes(NOT_RECORDS[content])
    assert read_build_record(tmp_path) is None


def test_a_linked_record_is_not_trusted(recorded_build: Path, tmp_path: Path) -> None:
    (tmp_path / BUILD_RECORD).symlink_to(recorded_build / BUILD_RECORD)
    assert read_build_record(tmp_path) is None
