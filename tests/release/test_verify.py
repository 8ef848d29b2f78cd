import hashlib
import json
import shutil
from pathlib import Path

import pytest

from dispatch_corpus.errors import DatasetError
from dispatch_corpus.release.manifest import MANIFEST_FILE
from dispatch_corpus.release.verify import verify_release

PARQUET = "data/paragraphs/train-00000-of-00001.parquet"


@pytest.fixture
def release_copy(released: Path, tmp_path: Path) -> Path:
    target = tmp_path / released.name
    shutil.copytree(released, target)
    return target


def _edit_manifest(release: Path, listed: str, changes: dict[str, object]) -> None:
    manifest_path = release / MANIFEST_FILE
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    for entry in manifest["files"]:
        if entry["path"] == listed:
            entry.update(changes)
    manifest_path.write_text(json.dumps(manifest), encoding="utf-8")


def test_a_fresh_release_verifies(released: Path) -> None:
    result = verify_release(released)
    assert result.ok, result.problems
    assert result.version == "1.0.0"
    assert result.files == 7


def test_a_flipped_byte_is_a_sha256_mismatch(release_copy: Path) -> None:
    path = release_copy / PARQUET
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))
    result = verify_release(release_copy)
    assert not result.ok
    assert result.problems == (f"{PARQUET}: sha256 {_sha(path)} does not match the manifest",)


def test_a_wrong_row_count_is_reported(release_copy: Path) -> None:
    _edit_manifest(release_copy, PARQUET, {"rows": 11})
    assert verify_release(release_copy).problems == (f"{PARQUET}: 10 rows, manifest says 11",)


def test_missing_resized_and_unlisted_files_are_reported(release_copy: Path) -> None:
    (release_copy / "CHANGELOG.md").unlink()
    with (release_copy / "README.md").open("a", encoding="utf-8") as handle:
        handle.write("hand edit\n")
    (release_copy / "data" / "notes.txt").write_text("extra", encoding="utf-8")
    problems = verify_release(release_copy).problems
    assert "CHANGELOG.md: missing" in problems
    assert any(p.startswith("README.md: ") and "bytes, manifest says" in p for p in problems)
    assert "data/notes.txt: not in MANIFEST.json" in problems


def test_a_path_leaving_the_folder_is_refused(release_copy: Path) -> None:
    _edit_manifest(release_copy, "CHANGELOG.md", {"path": "../CHANGELOG.md"})
    problems = verify_release(release_copy).problems
    assert "../CHANGELOG.md: path leaves the release folder" in problems


def test_the_manifest_version_must_match_the_folder(released: Path, tmp_path: Path) -> None:
    renamed = tmp_path / "1.0.1"
    shutil.copytree(released, renamed)
    assert verify_release(renamed).problems == ("MANIFEST.json: version '1.0.0', expected '1.0.1'",)
    assert verify_release(renamed, expected_version="1.0.0").ok


def test_a_folder_without_manifest_cannot_be_verified(tmp_path: Path) -> None:
    with pytest.raises(DatasetError, match=r"no MANIFEST\.json"):
        verify_release(tmp_path)


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_folder_that_does_not_exist_is_named(tmp_path: Path) -> None:
    with pytest.raises(DatasetError, match=f"^release folder not found: {tmp_path / 'gone'}$"):
        verify_release(tmp_path / "gone")


@pytest.mark.parametrize(
    ("entry", "problem"),
    [
        (7, "MANIFEST.json: malformed file entry 7"),
        ({"path": ["a"] * 500}, "MANIFEST.json: malformed file entry {'path': ['a', 'a'"),
        ({"path": "README.md\x00x"}, "README.md\\x00x: path leaves the release folder"),
        ({"path": "/etc/passwd"}, "/etc/passwd: path leaves the release folder"),
        ({"path": "x" * 5000}, "x" * 5000 + ": cannot read (File name too long)"),
        ({"path": "odd\nname"}, "odd\\nname: missing"),
    ],
)
def test_a_malformed_entry_is_one_problem_line(
    release_copy: Path, entry: object, problem: str
) -> None:
    manifest_path = release_copy / MANIFEST_FILE
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    manifest["files"].append(entry)
    manifest_path.write_text(json.dumps(manifest), encoding="utf-8")
    problems = verify_release(release_copy).problems
    assert len(problems) == 1
    assert problems[0].startswith(problem)
    assert "\n" not in problems[0]
    assert len(problems[0]) < 5200


def test_a_listed_shard_that_is_not_parquet_is_a_problem(release_copy: Path) -> None:
    path = release_copy / PARQUET
    path.write_bytes(b"PAR1" + b"\x00" * 40 + b"PAR1")
    _edit_manifest(release_copy, PARQUET, {"bytes": path.stat().st_size, "sha256": _sha(path)})
    (problem,) = verify_release(release_copy).problems
    assert problem.startswith(f"{PARQUET}: not a readable Parquet file")
