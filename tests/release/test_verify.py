import hashlib
import json
import shutil
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest

from dispatch_corpus.dataset.layout import RELEASE_MANIFEST
from dispatch_corpus.errors import DatasetError
from dispatch_corpus.release.verify import verify_release

PARQUET = "data/paragraphs/train-00000-of-00001.parquet"


@pytest.fixture
def release_copy(released: Path, tmp_path: Path) -> Path:
    target = tmp_path / released.name
    shutil.copytree(released, target)
    return target


def _edit_manifest(release: Path, listed: str, changes: dict[str, object]) -> None:
    manifest_path = release / RELEASE_MANIFEST
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    for entry in manifest["files"]:
        if entry["path"] == listed:
            entry.update(changes)
    manifest_path.write_text(json.dumps(manifest), encoding="utf-8")


def test_a_fresh_release_verifies(released: Path) -> None:
    result = verify_release(released)
    assert result.ok, result.problems
    assert result.version == "1.0.0"
    # Card, croissant.json, changelog, quarantine report, and one shard per table and split
    # holding documents.
    shards = len(list((released / "data").rglob("*.parquet")))
    assert shards >= 3
    assert result.files == 4 + shards


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
    rows = pq.read_metadata(release_copy / PARQUET).num_rows
    assert verify_release(release_copy).problems == (f"{PARQUET}: {rows} rows, manifest says 11",)


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


# --- croissant.json and the card must describe the manifest's Parquet files -------------------


def _rewrite(release: Path, listed: str, data: bytes) -> None:
    """Rewrite a file and its manifest entry together, as a forger would."""
    (release / listed).write_bytes(data)
    _edit_manifest(
        release, listed, {"sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)}
    )


def _edit_croissant(release: Path, edit: Callable[[dict[str, Any]], object]) -> None:
    document = json.loads((release / "croissant.json").read_text(encoding="utf-8"))
    edit(document)
    _rewrite(release, "croissant.json", json.dumps(document).encode())


def _file_objects(document: dict[str, Any]) -> list[dict[str, Any]]:
    return [d for d in document["distribution"] if d["@type"] == "cr:FileObject"]


def _file_object(document: dict[str, Any], path: str) -> dict[str, Any]:
    (found,) = [d for d in _file_objects(document) if d["contentUrl"] == path]
    return found


def _edit_card_header(release: Path, old: str, new: str) -> None:
    card = (release / "README.md").read_text(encoding="utf-8")
    assert old in card
    _rewrite(release, "README.md", card.replace(old, new, 1).encode())


def test_a_rewritten_parquet_with_a_rewritten_manifest_entry_fails(
    release_copy: Path, builds: dict[str, Path]
) -> None:
    _rewrite(release_copy, PARQUET, (builds["changed"] / PARQUET).read_bytes())
    problems = verify_release(release_copy).problems
    assert any(
        p.startswith(f"croissant.json: {PARQUET} has sha256 '") and "MANIFEST.json says" in p
        for p in problems
    ), problems


CROISSANT_EDITS: dict[str, tuple[Callable[[dict[str, Any]], object], str]] = {
    "a size changed": (
        lambda d: _file_objects(d)[0].update(contentSize="1 B"),
        "has contentSize '1 B'",
    ),
    "a sha256 of the wrong type": (
        lambda d: _file_objects(d)[0].update(sha256=[[["deep"]]]),
        "has sha256 a JSON list",
    ),
    "a Parquet file left out": (
        lambda d: d["distribution"].remove(_file_object(d, PARQUET)),
        f"{PARQUET} of MANIFEST.json is not a FileObject",
    ),
    "a Parquet file typed as something else": (
        lambda d: _file_object(d, PARQUET).update({"@type": "sc:FileObject"}),
        f"{PARQUET} of MANIFEST.json is not a FileObject",
    ),
    "a file that is not in the manifest": (
        lambda d: d["distribution"].append({**_file_objects(d)[0], "contentUrl": "x.parquet"}),
        "FileObject 'x.parquet' is not a file of MANIFEST.json",
    ),
    "a FileObject without a contentUrl": (
        lambda d: _file_objects(d)[0].pop("contentUrl"),
        "FileObject None is not a file of MANIFEST.json",
    ),
    "a FileSet naming the card": (
        lambda d: d["distribution"].append(
            {"@type": "cr:FileSet", "@id": "files", "includes": "*.md"}
        ),
        "FileSet 'files' includes '*.md' names other than Parquet files of MANIFEST.json",
    ),
    "a FileSet naming files outside the release": (
        lambda d: d["distribution"].append(
            {"@type": "cr:FileSet", "@id": "files", "includes": ["../other/*.parquet"]}
        ),
        "FileSet 'files' includes '../other/*.parquet' names no Parquet files",
    ),
    "a FileSet with malformed includes": (
        lambda d: d["distribution"].append({"@type": "cr:FileSet", "@id": 7, "includes": {}}),
        "FileSet 7 has malformed or too many includes",
    ),
    "no distribution": (lambda d: d.pop("distribution"), "no 'distribution' list"),
    "a distribution that is not a list": (
        lambda d: d.update(distribution={"a": 1}),
        "no 'distribution' list",
    ),
}


@pytest.mark.parametrize("edit", sorted(CROISSANT_EDITS))
def test_croissant_must_describe_the_manifest_parquet_files(release_copy: Path, edit: str) -> None:
    change, message = CROISSANT_EDITS[edit]
    _edit_croissant(release_copy, change)
    problems = verify_release(release_copy).problems
    assert any(message in p for p in problems), problems


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"{not json", "croissant.json: malformed JSON"),
        (b"\xff\xfe", "croissant.json: not valid UTF-8"),
        (b"[" * 200_000 + b"]" * 200_000, "croissant.json: nested too deeply"),
        (b"[1, 2]", "croissant.json: not a JSON object"),
        (b'{"n": ' + b"9" * 5000 + b"}", "croissant.json: a number of 5000"),
    ],
    ids=["not json", "not utf-8", "deep nesting", "a list", "a huge number"],
)
def test_a_malformed_croissant_file_is_a_problem_line(
    release_copy: Path, content: bytes, message: str
) -> None:
    _rewrite(release_copy, "croissant.json", content)
    problems = verify_release(release_copy).problems
    assert any(p.startswith(message) for p in problems), problems
    assert all("\n" not in p and len(p) < 400 for p in problems)


def test_a_missing_unlisted_croissant_file_is_a_problem(release_copy: Path) -> None:
    (release_copy / "croissant.json").unlink()
    manifest_path = release_copy / RELEASE_MANIFEST
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    manifest["files"] = [f for f in manifest["files"] if f["path"] != "croissant.json"]
    manifest_path.write_text(json.dumps(manifest), encoding="utf-8")
    assert verify_release(release_copy).problems == ("croissant.json: missing",)


CARD_EDITS: dict[str, tuple[str, str, str]] = {
    "a config naming another table's files": (
        "path: data/paragraphs/train-*.parquet",
        "path: data/sections/train-*.parquet",
        "config 'paragraphs' does not name exactly the data/paragraphs/ files",
    ),
    "a config naming a file outside the manifest": (
        "path: data/paragraphs/train-*.parquet",
        "path: data/extra/*.parquet",
        "data_files 'data/extra/*.parquet' names no Parquet files",
    ),
    "a config naming the card itself": (
        "path: data/paragraphs/train-*.parquet",
        "path: '*.md'",
        "data_files '*.md' names other than Parquet files",
    ),
    "a config naming every file": (
        "path: data/paragraphs/train-*.parquet",
        "path: '**'",
        "names other than Parquet files",
    ),
    "a config naming a path outside the release": (
        "path: data/paragraphs/train-*.parquet",
        "path: ../../etc/*.parquet",
        "names no Parquet files",
    ),
    "a config without data files": (
        "  data_files:\n  - split: train\n    path: data/paragraphs/train-*.parquet\n"
        "  - split: validation\n    path: data/paragraphs/validation-*.parquet\n",
        "",
        "config 'paragraphs' has malformed or too many data_files",
    ),
    "a table in no config": (
        "- config_name: sections\n  data_files:\n  - split: train\n"
        "    path: data/sections/train-*.parquet\n"
        "  - split: validation\n    path: data/sections/validation-*.parquet\n",
        "",
        "data/sections/train-00000-of-00001.parquet of MANIFEST.json is in no config",
    ),
    "configs that are not a list": (
        "configs:\n- config_name: documents",
        "configs: 3\nold:\n- config_name: documents",
        "no 'configs' list",
    ),
    "a YAML alias bomb": (
        "configs:\n",
        "bomb: &a ['x', 'x', 'x', 'x', 'x', 'x', 'x', 'x', 'x', 'x']\n"
        "configs:\n- config_name: bomb\n  data_files: [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a,"
        " *a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n",
        "config 'bomb' has malformed or too many data_files",
    ),
    "a glob that backtracks": (
        "path: data/paragraphs/train-*.parquet",
        "path: data/paragraphs/" + "*a" * 40 + "*b",
        "names no Parquet files",
    ),
    "deep nesting": ("configs:\n", "deep: " + "[" * 50_000 + "]" * 50_000 + "\nconfigs:\n", "YAML"),
    "not YAML": ("configs:\n", "configs: [unclosed\n", "YAML header is not valid"),
    "a python tag": ("configs:\n", "x: !!python/object:os.system ls\nconfigs:\n", "not valid"),
    "no header": ("---\n", "", "no YAML header"),
}


@pytest.mark.parametrize("edit", sorted(CARD_EDITS))
def test_the_card_configs_must_name_exactly_the_manifest_parquet_files(
    release_copy: Path, edit: str
) -> None:
    old, new, message = CARD_EDITS[edit]
    _edit_card_header(release_copy, old, new)
    started = time.process_time()
    problems = verify_release(release_copy).problems
    assert time.process_time() - started < 30, "verify reads a hostile card in bounded time"
    assert any(message in p for p in problems), problems
    assert all("\n" not in p and len(p) < 400 for p in problems)


def test_a_card_that_is_not_utf8_is_a_problem_line(release_copy: Path) -> None:
    _rewrite(release_copy, "README.md", b"---\n\xff\n---\n")
    assert any(
        p.startswith("README.md: cannot be read") for p in verify_release(release_copy).problems
    )


def test_a_backtracking_glob_against_a_long_path_is_matched_in_bounded_time(
    release_copy: Path,
) -> None:
    long_path = "data/paragraphs/" + "a" * 20_000 + ".parquet"
    manifest_path = release_copy / RELEASE_MANIFEST
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    manifest["files"].append({"path": long_path, "sha256": "0" * 64, "bytes": 1, "rows": 1})
    manifest_path.write_text(json.dumps(manifest), encoding="utf-8")
    _edit_card_header(
        release_copy,
        "path: data/paragraphs/train-*.parquet",
        "path: data/paragraphs/" + "*a" * 60 + "*b",
    )
    started = time.process_time()
    problems = verify_release(release_copy).problems
    assert time.process_time() - started < 30
    assert any("names no Parquet files" in p for p in problems), problems


def test_a_listed_parquet_file_that_is_not_parquet_is_a_problem_line(release_copy: Path) -> None:
    _rewrite(release_copy, PARQUET, b"not parquet at all")
    problems = verify_release(release_copy).problems
    assert any(p.startswith(f"{PARQUET}: not a readable Parquet file") for p in problems), problems


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
    manifest_path = release_copy / RELEASE_MANIFEST
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
    problem, *croissant = verify_release(release_copy).problems
    assert problem.startswith(f"{PARQUET}: not a readable Parquet file")
    assert all(line.startswith("croissant.json: ") for line in croissant)
