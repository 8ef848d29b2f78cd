import hashlib
import json
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest

from dispatch_corpus.core.neardup import hashed_split
from dispatch_corpus.dataset.layout import RELEASE_MANIFEST
from dispatch_corpus.errors import DatasetError
from dispatch_corpus.release.manifest import (
    describe_files,
    file_sha256,
    raw_inputs,
    read_manifest,
    render_manifest,
    tool_versions,
)


def test_file_sha256_hashes_the_bytes(tmp_path: Path) -> None:
    path = tmp_path / "blob"
    data = bytes(range(256)) * 5000
    path.write_bytes(data)
    assert file_sha256(path) == hashlib.sha256(data).hexdigest()


def test_describe_files_covers_every_file_but_the_manifest(builds: dict[str, Path]) -> None:
    entries = {e.path: e for e in describe_files(builds["base"])}
    assert RELEASE_MANIFEST not in entries
    assert {"README.md", "reports/quarantine.jsonl"} <= entries.keys()
    paragraphs = entries["data/paragraphs/train-00000-of-00001.parquet"]
    shards = [e for path, e in entries.items() if path.startswith("data/paragraphs/")]
    assert sum(e.rows or 0 for e in shards) == 10
    path = builds["base"] / paragraphs.path
    assert paragraphs.bytes == path.stat().st_size
    assert paragraphs.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert entries["README.md"].rows is None
    assert list(entries) == sorted(entries)


def test_raw_inputs_lists_accepted_and_quarantined_files(builds: dict[str, Path]) -> None:
    inputs = raw_inputs(builds["base"])
    assert [entry["path"] for entry in inputs] == [
        "news/empty.txt",
        "news/greve.txt",
        "news/storm.txt",
        "news/vote.txt",
    ]
    empty = inputs[0]
    assert (empty["outcome"], empty["reason_code"]) == ("quarantined", "empty")
    assert empty["raw_sha256"] == hashlib.sha256(b"").hexdigest()
    storm = next(entry for entry in inputs if entry["path"] == "news/storm.txt")
    assert storm["outcome"] == "accepted"
    # The split assignment a later release must keep, beside the input it came from.
    assert (storm["split"], storm["cluster_id"]) == (hashed_split("storm").value, "storm")
    assert "split" not in empty
    assert (
        storm["raw_sha256"]
        == hashlib.sha256(
            (builds["base"].parent.parent / "corpora/base/news/storm.txt").read_bytes()
        ).hexdigest()
    )


def test_tool_versions_name_python_and_the_runtime_dependencies() -> None:
    import pyarrow

    versions = tool_versions()
    assert versions["pyarrow"] == pyarrow.__version__
    assert {"python", "dispatch-corpus", "datasets", "pydantic"} <= versions.keys()
    assert "pytest" not in versions


def test_render_manifest_round_trips(builds: dict[str, Path], tmp_path: Path) -> None:
    created = datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC)
    files = describe_files(builds["base"])
    settings = {"max_bytes": 1000}
    text = render_manifest("1.2.3", created, raw_inputs(builds["base"]), files, settings)
    (tmp_path / RELEASE_MANIFEST).write_text(text, encoding="utf-8")
    manifest = read_manifest(tmp_path)
    assert manifest["version"] == "1.2.3"
    assert manifest["created"] == "2025-01-02T03:04:05+00:00"
    assert len(manifest["files"]) == len(files)
    assert manifest["files"][0].keys() == {"path", "sha256", "bytes", "rows"}
    assert len(manifest["raw_inputs"]) == 4
    assert manifest["build_settings"] == settings


def test_read_manifest_refuses_a_missing_or_broken_manifest(tmp_path: Path) -> None:
    with pytest.raises(DatasetError, match=r"no MANIFEST\.json"):
        read_manifest(tmp_path)
    (tmp_path / RELEASE_MANIFEST).write_text("{not json", encoding="utf-8")
    with pytest.raises(DatasetError, match="malformed JSON"):
        read_manifest(tmp_path)
    (tmp_path / RELEASE_MANIFEST).write_text(json.dumps({"version": "1.0.0"}), encoding="utf-8")
    with pytest.raises(DatasetError, match="no 'files' list"):
        read_manifest(tmp_path)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"[" * 100_000, "nested too deeply (over 64 levels)"),
        (b'{"files": [], "bytes": ' + b"9" * 5000 + b"}", "a number of 5000 characters"),
        (b'{"files": [NaN]}', "NaN is not a JSON number"),
        (b'{"files": ["\\ud800"]}', "lone surrogate"),
        (b'{"files": [], "files": []}', "key 'files' given twice"),
        (b'{"files": ["\xff"]}', "not valid UTF-8 (byte 0xff at offset 12)"),
        (b"[]", "no 'files' list"),
    ],
)
def test_read_manifest_names_the_file_and_the_reason(
    tmp_path: Path, content: bytes, message: str
) -> None:
    (tmp_path / RELEASE_MANIFEST).write_bytes(content)
    with pytest.raises(DatasetError) as caught:
        read_manifest(tmp_path)
    assert str(caught.value).startswith(f"{tmp_path / RELEASE_MANIFEST}: ")
    assert message in str(caught.value)


def test_read_manifest_refuses_a_missing_folder_and_a_manifest_that_is_no_file(
    tmp_path: Path,
) -> None:
    with pytest.raises(DatasetError, match=r"^release folder not found: "):
        read_manifest(tmp_path / "missing")
    (tmp_path / RELEASE_MANIFEST).mkdir()
    with pytest.raises(DatasetError, match=r"MANIFEST\.json: not a regular file"):
        read_manifest(tmp_path)


@pytest.mark.parametrize(
    ("line", "message"),
    [
        (b"[" * 100_000, "line 2: nested too deeply (over 64 levels)"),
        (b'{"source_path": "x"}', "line 2: stage: Field required"),
        (b"[]", "line 2: line: Input should be a valid dictionary or instance of QuarantineRecord"),
        (b"\xff", "line 2: not valid UTF-8 (byte 0xff at offset 0)"),
    ],
)
def test_raw_inputs_names_a_bad_quarantine_line(
    builds: dict[str, Path], tmp_path: Path, line: bytes, message: str
) -> None:
    build = Path(shutil.copytree(builds["base"], tmp_path / "build"))
    report = build / "reports" / "quarantine.jsonl"
    report.write_bytes(report.read_bytes() + line + b"\n")
    with pytest.raises(DatasetError) as caught:
        raw_inputs(build)
    assert str(caught.value) == f"{report}: {message}"
