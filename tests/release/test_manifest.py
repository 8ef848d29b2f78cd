import hashlib
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from dispatch_corpus.errors import DatasetError
from dispatch_corpus.release.manifest import (
    MANIFEST_FILE,
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
    assert MANIFEST_FILE not in entries
    assert {"README.md", "reports/quarantine.jsonl"} <= entries.keys()
    paragraphs = entries["data/paragraphs/train-00000-of-00001.parquet"]
    assert paragraphs.rows == 10
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
    text = render_manifest("1.2.3", created, raw_inputs(builds["base"]), files)
    (tmp_path / MANIFEST_FILE).write_text(text, encoding="utf-8")
    manifest = read_manifest(tmp_path)
    assert manifest["version"] == "1.2.3"
    assert manifest["created"] == "2025-01-02T03:04:05+00:00"
    assert len(manifest["files"]) == len(files)
    assert manifest["files"][0].keys() == {"path", "sha256", "bytes", "rows"}
    assert len(manifest["raw_inputs"]) == 4


def test_read_manifest_refuses_a_missing_or_broken_manifest(tmp_path: Path) -> None:
    with pytest.raises(DatasetError, match=r"no MANIFEST\.json"):
        read_manifest(tmp_path)
    (tmp_path / MANIFEST_FILE).write_text("{not json", encoding="utf-8")
    with pytest.raises(DatasetError, match="not valid JSON"):
        read_manifest(tmp_path)
    (tmp_path / MANIFEST_FILE).write_text(json.dumps({"version": "1.0.0"}), encoding="utf-8")
    with pytest.raises(DatasetError, match="no 'files' list"):
        read_manifest(tmp_path)
