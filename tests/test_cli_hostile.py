"""Every command answers a hostile input file in one line, with the README's exit code.

The README: exit 2 when the command could not run (missing folder, unreadable or malformed
file), exit 1 when a check failed or a release was refused; errors are one line, never a
traceback. Each case below damages one file a command reads (Parquet shards, MANIFEST.json,
reports/quarantine.jsonl, suite files, gold files) or puts something else in its place, and
runs every command that reads it in-process: one stderr line ``dispatch-corpus CMD: ...``,
no traceback, no "internal error" (the last-resort guard of ``cli.main``), and nothing
written outside the folders the command was told to write to.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from validation.planting import set_value

from dispatch_corpus.build.driver import build_dataset
from dispatch_corpus.cli import main
from dispatch_corpus.release.cut import ValidationVerdict, cut_release
from dispatch_corpus.validation.runner import DEFAULT_SUITES_DIR

CANNOT_RUN = 2
REFUSED = 1
SHARD = Path("data") / "paragraphs" / "train-00000-of-00001.parquet"
QUARANTINE = Path("reports") / "quarantine.jsonl"
AS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0
NOISE = random.Random(11).randbytes(6000)


@dataclass(frozen=True)
class Ran:
    """One command's exit code and output."""

    code: int
    out: str
    err: str


@pytest.fixture(scope="module")
def clean(tmp_path_factory: pytest.TempPathFactory, project_corpus: Path) -> Path:
    """A clean build of the project's corpus (read-only: copy before damaging)."""
    out = tmp_path_factory.mktemp("hostile_clean") / "build"
    build_dataset(project_corpus, out)
    return out


@pytest.fixture(scope="module")
def clean_release(tmp_path_factory: pytest.TempPathFactory, clean: Path) -> Path:
    """Release 1.0.0 of the clean build (read-only: copy before damaging)."""
    releases = tmp_path_factory.mktemp("hostile_releases") / "releases"

    def accept(dataset: Path) -> ValidationVerdict:
        return ValidationVerdict(ok=True, summary="accepted")

    return cut_release("1.0.0", clean, releases, validate=accept).path


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An empty current folder, checked to be still empty after the test."""
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    monkeypatch.chdir(cwd)
    yield cwd
    assert list(cwd.iterdir()) == [], "a command wrote into the current folder"


@pytest.fixture
def dataset(clean: Path, tmp_path: Path) -> Path:
    """A private copy of the clean build."""
    return Path(shutil.copytree(clean, tmp_path / "dataset", symlinks=True))


@pytest.fixture
def release(clean_release: Path, tmp_path: Path) -> Path:
    """A private copy of the release, in its own releases folder."""
    target = tmp_path / "releases" / clean_release.name
    return Path(shutil.copytree(clean_release, target, symlinks=True))


def run(capsys: pytest.CaptureFixture[str], *argv: object) -> Ran:
    """Run the command line in-process."""
    code = main([str(arg) for arg in argv])
    captured = capsys.readouterr()
    return Ran(code, captured.out, captured.err)


def check_answer(ran: Ran, command: str, code: int) -> str:
    """Assert the exit code and the one stderr line of a command; return that line."""
    assert ran.code == code, (command, ran.code, ran.err, ran.out[-2000:])
    assert "Traceback" not in ran.err + ran.out
    assert "internal error" not in ran.err
    lines = ran.err.splitlines()
    assert len(lines) == 1, ran.err
    prefix = f"dispatch-corpus {command}: " + ("error: " if code == CANNOT_RUN else "")
    assert lines[0].startswith(prefix), lines[0]
    return lines[0]


def snapshot(root: Path) -> dict[str, bytes | None]:
    """Every entry under ``root``: file bytes, None for folders and other entries."""
    found: dict[str, bytes | None] = {}
    for path in sorted(root.rglob("*")):
        regular = path.is_file() and not path.is_symlink()
        found[path.relative_to(root).as_posix()] = path.read_bytes() if regular else None
    return found


def unreadable(path: Path) -> None:
    """Make a file unreadable (meaningless as root, which reads anything)."""
    path.chmod(0)


# Damage to one Parquet shard ---------------------------------------------------------


def _rewrite(change: Callable[[pa.Table], pa.Table]) -> Callable[[Path], None]:
    def damage(path: Path) -> None:
        pq.write_table(change(pq.read_table(path)), path)

    return damage


def _set(column: str, row: int, value: object) -> Callable[[pa.Table], pa.Table]:
    return lambda table: set_value(table, column, row, value)


def _retyped(column: str, kind: pa.DataType, nullable: bool = False) -> Callable[[Path], None]:
    def change(table: pa.Table) -> pa.Table:
        position = table.schema.get_field_index(column)
        field = pa.field(column, kind, nullable=nullable or table.schema.field(column).nullable)
        return table.set_column(position, field, table[column].cast(kind))

    return _rewrite(change)


def _not_utf8(column: str) -> Callable[[Path], None]:
    """Put bytes that are not UTF-8 into a string column, keeping its type."""

    def change(table: pa.Table) -> pa.Table:
        values = [v.encode() for v in table[column].to_pylist()]
        values[2] = b"\xff\xfe" + values[2]
        position = table.schema.get_field_index(column)
        broken = pa.array(values, type=pa.binary()).view(pa.string())
        return table.set_column(position, table.schema.field(column), broken)

    return _rewrite(change)


def _metadata(raw: bytes | None) -> Callable[[Path], None]:
    def change(table: pa.Table) -> pa.Table:
        return table.replace_schema_metadata({b"huggingface": raw} if raw is not None else None)

    return _rewrite(change)


def _nullable(column: str, row: int) -> Callable[[Path], None]:
    def change(table: pa.Table) -> pa.Table:
        values = table[column].to_pylist()
        values[row] = None
        position = table.schema.get_field_index(column)
        field = table.schema.field(column).with_nullable(True)
        return table.set_column(position, field, pa.array(values, type=field.type))

    return _rewrite(change)


def _truncated(keep: Callable[[int], int]) -> Callable[[Path], None]:
    def damage(path: Path) -> None:
        data = path.read_bytes()
        path.write_bytes(data[: keep(len(data))])

    return damage


def _replaced(make: Callable[[Path], None]) -> Callable[[Path], None]:
    def damage(path: Path) -> None:
        path.unlink()
        make(path)

    return damage


NOT_A_FILE: dict[str, Callable[[Path], None]] = {
    "a folder": _replaced(lambda p: p.mkdir()),
    "a symlink loop": _replaced(lambda p: p.symlink_to(p.name)),
    "a FIFO": _replaced(lambda p: os.mkfifo(p)),
    "a symlink to /dev/zero": _replaced(lambda p: p.symlink_to("/dev/zero")),
}
"""A file replaced by what is not a regular file: every file the tool reads meets these."""


def _features_of_documents(path: Path) -> None:
    documents = path.parents[1] / "documents" / path.name
    raw = pq.read_schema(documents).metadata[b"huggingface"]
    _metadata(raw)(path)


def _renamed_labels(path: Path) -> None:
    raw = pq.read_schema(path).metadata[b"huggingface"]
    _metadata(raw.replace(b'"boilerplate"', b'"footer"'))(path)


FEATURES_TEXT = '{"info": {"features": %s}}'
SHARD_DAMAGE: dict[str, tuple[Callable[[Path], None], dict[str, int]]] = {
    # Not Parquet, or nothing readable where the shard should be: nothing can run (2).
    "0 bytes": (lambda p: p.write_bytes(b""), {}),
    "4 bytes": (_truncated(lambda n: 4), {}),
    "cut in the middle": (_truncated(lambda n: n // 2), {}),
    "cut before the footer length": (_truncated(lambda n: n - 8), {}),
    "cut by one byte": (_truncated(lambda n: n - 1), {}),
    "random bytes": (lambda p: p.write_bytes(NOISE), {}),
    "random bytes between Parquet magic": (lambda p: p.write_bytes(b"PAR1" + NOISE + b"PAR1"), {}),
    "a folder": (_replaced(lambda p: p.mkdir()), {}),
    "a symlink loop": (_replaced(lambda p: p.symlink_to(p.name)), {}),
    "a FIFO": (_replaced(lambda p: os.mkfifo(p)), {}),
    "a symlink to /dev/zero": (_replaced(lambda p: p.symlink_to("/dev/zero")), {}),
    "a doc_id that is not UTF-8": (_not_utf8("doc_id"), {}),
    "a text that is not UTF-8": (_not_utf8("text"), {"stats": 0}),
    # Parquet of the wrong schema: validation fails (1), a reader that needs the column
    # cannot run (2), one that does not need it runs (0); diff reports schema changes.
    "a missing column": (
        _rewrite(lambda t: t.drop_columns(["role"])),
        {"validate": 1, "diff": 0},
    ),
    "an extra column": (
        _rewrite(lambda t: t.append_column("extra", pa.array(["x"] * t.num_rows))),
        {"validate": 1, "diff": 0, "stats": 0},
    ),
    "a column of the wrong type": (
        _retyped("char_start", pa.int64()),
        {"validate": 1, "diff": 0},
    ),
    "a column made nullable": (
        _retyped("text", pa.string(), nullable=True),
        {"validate": 1, "diff": 0, "stats": 0},
    ),
    "a null in a column the model requires": (_nullable("doc_id", 1), {"validate": 1}),
    "a doc_id of another string type": (_retyped("doc_id", pa.large_string()), {"validate": 1}),
    "a role index out of range": (_rewrite(_set("role", 3, 99)), {"validate": 1}),
    "a negative role index": (_rewrite(_set("role", 0, -1)), {"validate": 1}),
    "a null flag": (
        _rewrite(_set("flags", 2, [None])),
        {"validate": 1, "diff": 0},
    ),
    "the features of another table": (_features_of_documents, {"validate": 1, "diff": 0}),
    "renamed ClassLabel names": (_renamed_labels, {"validate": 1, "diff": 0, "stats": 0}),
    "no embedded features": (_metadata(None), {"validate": 1, "diff": 0}),
    "features that are not JSON": (_metadata(b'{"info": '), {"validate": 1}),
    "features that are not UTF-8": (_metadata(b'{"info": "\xff"}'), {"validate": 1}),
    "features nested 100,000 deep": (_metadata(b"[" * 100_000), {"validate": 1}),
    "features with a 5,000-digit number": (
        _metadata((FEATURES_TEXT % ("1" * 5000)).encode()),
        {"validate": 1},
    ),
    "features with NaN": (_metadata((FEATURES_TEXT % "NaN").encode()), {"validate": 1}),
    "features with a lone surrogate": (
        _metadata(
            (FEATURES_TEXT % '{"role": {"_type": "ClassLabel", "names": ["\\ud800"]}}').encode()
        ),
        {"validate": 1},
    ),
    "features of the wrong shape": (_metadata(b'{"info": [1, 2]}'), {"validate": 1}),
    "ClassLabel names that are not a list": (
        _metadata((FEATURES_TEXT % '{"role": {"_type": "ClassLabel", "names": 5}}').encode()),
        {"validate": 1},
    ),
}
"""Damage to the paragraphs shard -> exit codes other than 2 (``validate`` also stands for
``release``, which validates first)."""


@pytest.mark.parametrize("case", list(SHARD_DAMAGE))
def test_a_damaged_shard_is_answered_in_one_line_by_every_command(
    case: str,
    dataset: Path,
    clean: Path,
    tmp_path: Path,
    workdir: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    damage, codes = SHARD_DAMAGE[case]
    damage(dataset / SHARD)
    before = snapshot(dataset)
    commands = {
        "stats": ["stats", dataset],
        "diff": ["diff", clean, dataset],
        "validate": ["validate", dataset, "--report-dir", tmp_path / "report", "--workers", "1"],
    }
    for command, argv in commands.items():
        code = codes.get(command, CANNOT_RUN)
        ran = run(capsys, *argv)
        if code:
            check_answer(ran, command, code)
        else:
            assert (ran.code, ran.err) == (0, ""), (command, ran.err)
    reverse = run(capsys, "diff", dataset, clean)
    assert reverse.code == codes.get("diff", CANNOT_RUN)
    assert "Traceback" not in reverse.err and "internal error" not in reverse.err
    if codes.get("validate", CANNOT_RUN) == CANNOT_RUN:
        assert not (tmp_path / "report").exists(), "validation that cannot run writes nothing"
    released = run(
        capsys,
        "release",
        "1.0.0",
        "--from",
        dataset,
        "--releases-dir",
        tmp_path / "releases",
        "--report-dir",
        tmp_path / "release-report",
    )
    # BUILD.json recorded the shard's bytes: release refuses the changed build before reading it.
    assert "changed since it was built" in check_answer(released, "release", REFUSED)
    assert not (tmp_path / "releases" / "1.0.0").exists()
    assert snapshot(dataset) == before, "a command changed the dataset it reads"


@pytest.mark.skipif(AS_ROOT, reason="root reads files whatever their permissions")
def test_an_unreadable_shard_is_answered_in_one_line(
    dataset: Path, clean: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    unreadable(dataset / SHARD)
    for argv in (["stats", dataset], ["diff", clean, dataset], ["validate", dataset]):
        check_answer(run(capsys, *argv), str(argv[0]), CANNOT_RUN)


@pytest.mark.parametrize(
    ("case", "damage"),
    [
        ("data is a symlink loop", lambda d: _replaced_tree(d / "data", "loop")),
        ("a table folder is a file", lambda d: _replaced_tree(d / "data" / "sections", "file")),
        ("a table folder is empty", lambda d: _replaced_tree(d / "data" / "sections", "empty")),
    ],
)
def test_a_damaged_dataset_folder_is_answered_in_one_line(
    case: str,
    damage: Callable[[Path], None],
    dataset: Path,
    clean: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    damage(dataset)
    for argv in (["stats", dataset], ["diff", clean, dataset], ["validate", dataset]):
        check_answer(run(capsys, *argv), str(argv[0]), CANNOT_RUN)


def _replaced_tree(path: Path, kind: str) -> None:
    shutil.rmtree(path)
    if kind == "loop":
        path.symlink_to(path.name)
    elif kind == "file":
        path.write_bytes(b"not a folder")
    else:
        path.mkdir()


# Damage to MANIFEST.json: verify and publish --dry-run ---------------------------------


def _manifest_edit(edit: Callable[[dict[str, object]], object]) -> Callable[[Path], None]:
    def damage(path: Path) -> None:
        manifest = json.loads(path.read_text(encoding="utf-8"))
        path.write_text(json.dumps(edit(manifest)), encoding="utf-8")

    return damage


def _entries(entries: list[object]) -> Callable[[Path], None]:
    return _manifest_edit(lambda m: {**m, "files": entries})


def _text(raw: bytes) -> Callable[[Path], None]:
    return lambda path: path.write_bytes(raw)


def _first_entry(**changes: object) -> Callable[[Path], None]:
    def edit(manifest: dict[str, object]) -> object:
        files = list(manifest["files"])  # type: ignore[call-overload]
        files[0] = {**files[0], **changes}
        return {**manifest, "files": files}

    return _manifest_edit(edit)


MANIFEST_DAMAGE: dict[str, tuple[Callable[[Path], None], int]] = {
    "0 bytes": (_text(b""), CANNOT_RUN),
    "cut in the middle": (_truncated(lambda n: n // 2), CANNOT_RUN),
    "random bytes": (_text(NOISE), CANNOT_RUN),
    "bytes that are not UTF-8": (_text(b'{"version": "1.0.0\xff", "files": []}'), CANNOT_RUN),
    "arrays nested 100,000 deep": (_text(b"[" * 100_000 + b"]" * 100_000), CANNOT_RUN),
    "objects nested 100,000 deep": (_text(b'{"a":' * 100_000), CANNOT_RUN),
    "a 5,000-digit number": (
        _text(b'{"version": "1.0.0", "files": [{"bytes": ' + b"7" * 5000 + b"}]}"),
        CANNOT_RUN,
    ),
    "NaN": (_text(b'{"version": "1.0.0", "files": [], "rows": NaN}'), CANNOT_RUN),
    "Infinity": (_text(b'{"version": "1.0.0", "files": [{"bytes": -Infinity}]}'), CANNOT_RUN),
    "a number too large for a float": (_text(b'{"files": [], "x": 1e999}'), CANNOT_RUN),
    "a lone surrogate": (
        _text(b'{"version": "1.0.0", "files": [{"path": "\\udc00"}]}'),
        CANNOT_RUN,
    ),
    "a repeated key": (_text(b'{"files": [], "files": []}'), CANNOT_RUN),
    "a list at the top": (_text(b"[]"), CANNOT_RUN),
    "a string at the top": (_text(b'"MANIFEST"'), CANNOT_RUN),
    "files that is not a list": (_manifest_edit(lambda m: {**m, "files": {"a": 1}}), CANNOT_RUN),
    "a folder": (_replaced(lambda p: p.mkdir()), CANNOT_RUN),
    "a symlink loop": (_replaced(lambda p: p.symlink_to(p.name)), CANNOT_RUN),
    "a FIFO": (_replaced(lambda p: os.mkfifo(p)), CANNOT_RUN),
    "a symlink to /dev/zero": (_replaced(lambda p: p.symlink_to("/dev/zero")), CANNOT_RUN),
    "missing": (lambda p: p.unlink(), CANNOT_RUN),
    # Readable manifests whose entries are wrong: the check fails (1).
    "entries that are not objects": (_entries([1, "x", None, [[[]]], {"path": 7}]), REFUSED),
    "an entry with a NUL in its path": (_first_entry(path="data/\x00x"), REFUSED),
    "an absolute path": (_first_entry(path="/etc/passwd"), REFUSED),
    "a path out of the release": (_first_entry(path="../../x"), REFUSED),
    "a path of 5,000 characters": (_first_entry(path="a" * 5000), REFUSED),
    "a size that is text": (_first_entry(bytes="12"), REFUSED),
    "a version that is an object": (_manifest_edit(lambda m: {**m, "version": {"a": 1}}), REFUSED),
    "no entries": (_entries([]), REFUSED),
}
"""Damage to MANIFEST.json -> exit code of verify and publish --dry-run."""


@pytest.mark.parametrize("case", list(MANIFEST_DAMAGE))
def test_a_damaged_manifest_is_answered_in_one_line(
    case: str,
    release: Path,
    workdir: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    damage, code = MANIFEST_DAMAGE[case]
    damage(release / "MANIFEST.json")
    before = snapshot(release)
    check_answer(run(capsys, "verify", release), "verify", code)
    ran = run(
        capsys,
        "publish",
        "1.0.0",
        "--repo-id",
        "acme/news",
        "--releases-dir",
        release.parent,
        "--dry-run",
    )
    line = check_answer(ran, "publish", code)
    assert "MANIFEST.json" in line or "does not verify" in line
    assert snapshot(release) == before


@pytest.mark.skipif(AS_ROOT, reason="root reads files whatever their permissions")
def test_an_unreadable_manifest_is_answered_in_one_line(
    release: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    unreadable(release / "MANIFEST.json")
    line = check_answer(run(capsys, "verify", release), "verify", CANNOT_RUN)
    assert "Permission denied" in line


def test_a_release_shard_rewritten_with_its_manifest_entry_fails_verify(
    release: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shard = release / SHARD
    shard.write_bytes(NOISE)
    manifest = json.loads((release / "MANIFEST.json").read_text(encoding="utf-8"))
    for entry in manifest["files"]:
        if entry["path"] == SHARD.as_posix():
            entry["bytes"] = len(NOISE)
            entry["sha256"] = hashlib.sha256(NOISE).hexdigest()
    (release / "MANIFEST.json").write_text(json.dumps(manifest), encoding="utf-8")
    ran = run(capsys, "verify", release)
    check_answer(ran, "verify", REFUSED)
    assert f"{SHARD.as_posix()}: not a readable Parquet file" in ran.out


def test_a_file_name_that_is_not_utf8_is_printed_escaped(
    release: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with open(os.path.join(os.fsencode(release), b"odd\xff\nname"), "wb") as handle:
        handle.write(b"x")
    ran = run(capsys, "verify", release)
    check_answer(ran, "verify", REFUSED)
    assert "odd\\xff\\nname: not in MANIFEST.json" in ran.out


# Damage to reports/quarantine.jsonl: validate (and release, which validates first) -----


def _lines(*lines: bytes) -> Callable[[Path], None]:
    def damage(path: Path) -> None:
        path.write_bytes(b"".join(line + b"\n" for line in lines))

    return damage


RECORD = {
    "source_path": "c/x.txt",
    "doc_id": "x",
    "stage": "read",
    "reason_code": "empty",
    "message": "zero bytes",
}
QUARANTINE_DAMAGE: dict[str, Callable[[Path], None]] = {
    "a line that is not JSON": _lines(b"{not json"),
    "a line nested 100,000 deep": _lines(b"[" * 100_000),
    "a line with a 5,000-digit number": _lines(b'{"doc_id": ' + b"9" * 5000 + b"}"),
    "a line with NaN": _lines(json.dumps({**RECORD, "message": float("nan")}).encode()),
    "a line with a lone surrogate": _lines(json.dumps({**RECORD, "doc_id": "\ud800"}).encode()),
    "a line that is not UTF-8": _lines(b'{"source_path": "\xff"}'),
    "a line with a repeated key": _lines(b'{"doc_id": "a", "doc_id": "b"}'),
    "a line that is a list": _lines(b"[1, 2]"),
    "a record of the wrong types": _lines(json.dumps({**RECORD, "stage": 5}).encode()),
    "a record with an unknown key": _lines(json.dumps({**RECORD, "extra": 1}).encode()),
    "a line of a megabyte": _lines(b"x" * 1_000_000),
    **NOT_A_FILE,
}
"""Damage to the quarantine report: validation fails its quarantine check (exit 1)."""


@pytest.mark.parametrize("case", list(QUARANTINE_DAMAGE))
def test_a_damaged_quarantine_report_fails_validation_in_one_line(
    case: str,
    dataset: Path,
    tmp_path: Path,
    workdir: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    QUARANTINE_DAMAGE[case](dataset / QUARANTINE)
    before = snapshot(dataset)
    report = tmp_path / "report"
    ran = run(capsys, "validate", dataset, "--report-dir", report, "--workers", "1")
    check_answer(ran, "validate", REFUSED)
    assert "quarantine.records" in ran.out
    results = json.loads((report / "results.json").read_text(encoding="utf-8"))
    assert results["failed_checks"] == ["quarantine.records"]
    assert snapshot(dataset) == before


def test_release_refuses_a_build_with_a_damaged_quarantine_report(
    dataset: Path, tmp_path: Path, workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    QUARANTINE_DAMAGE["a line nested 100,000 deep"](dataset / QUARANTINE)
    argv = ["release", "1.0.0", "--from", dataset, "--releases-dir", tmp_path / "releases"]
    ran = run(capsys, *argv, "--report-dir", tmp_path / "report")
    line = check_answer(ran, "release", REFUSED)
    assert "reports/quarantine.jsonl rewritten" in line
    assert not (tmp_path / "releases" / "1.0.0").exists()


@pytest.mark.skipif(AS_ROOT, reason="root reads files whatever their permissions")
def test_an_unreadable_quarantine_report_fails_validation(
    dataset: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    unreadable(dataset / QUARANTINE)
    ran = run(capsys, "validate", dataset, "--report-dir", tmp_path / "report")
    check_answer(ran, "validate", REFUSED)


# Damage to a suite file: validate --suites DIR ------------------------------------------


def _suite_edit(edit: Callable[[dict[str, object]], None]) -> Callable[[Path], None]:
    def damage(path: Path) -> None:
        suite = json.loads(path.read_text(encoding="utf-8"))
        edit(suite)
        path.write_text(json.dumps(suite), encoding="utf-8")

    return damage


def _first_kwargs(**changes: object) -> Callable[[Path], None]:
    def edit(suite: dict[str, object]) -> None:
        expectations = suite["expectations"]
        assert isinstance(expectations, list)
        expectations[0]["kwargs"].update(changes)

    return _suite_edit(edit)


def _row_count(**changes: object) -> Callable[[Path], None]:
    def edit(suite: dict[str, object]) -> None:
        expectations = suite["expectations"]
        assert isinstance(expectations, list)
        item = next(e for e in expectations if "row_count" in e["type"])
        item["kwargs"].update(changes)

    return _suite_edit(edit)


def _meta(**changes: object) -> Callable[[Path], None]:
    def edit(suite: dict[str, object]) -> None:
        meta = suite.setdefault("meta", {})
        assert isinstance(meta, dict)
        meta.update(changes)

    return _suite_edit(edit)


def _first_meta(**changes: object) -> Callable[[Path], None]:
    def edit(suite: dict[str, object]) -> None:
        expectations = suite["expectations"]
        assert isinstance(expectations, list)
        expectations[0].setdefault("meta", {}).update(changes)

    return _suite_edit(edit)


SUITE_DAMAGE: dict[str, Callable[[Path], None]] = {
    "0 bytes": _text(b""),
    "cut in the middle": _truncated(lambda n: n // 2),
    "random bytes": _text(NOISE),
    "bytes that are not UTF-8": _text(b'{"expectations": ["\xff"]}'),
    "nested 100,000 deep": _text(b'{"expectations": ' + b"[" * 100_000),
    "a 5,000-digit number": _text(b'{"expectations": [], "meta": ' + b"1" * 5000 + b"}"),
    "NaN": _first_kwargs(mostly=float("nan")),
    "a lone surrogate": _text(b'{"expectations": [{"type": "\\ud800", "kwargs": {}}]}'),
    "a list at the top": _text(b"[]"),
    "expectations that are not a list": _text(b'{"expectations": {}}'),
    "an expectation that is not an object": _text(b'{"expectations": [3]}'),
    "a column that is a number": _first_kwargs(column=3),
    "a column list that is text": _text(
        b'{"expectations": [{"type": "expect_compound_columns_to_be_unique",'
        b' "kwargs": {"column_list": "doc_id"}}]}'
    ),
    "a share that is text": _first_kwargs(mostly="often"),
    "a share above one": _first_kwargs(mostly=5),
    "a row count that is a parameter": _row_count(min_value={"$PARAMETER": "rows"}),
    "a row count that is text": _row_count(max_value="many"),
    "a row count that is true": _row_count(min_value=True),
    "derived columns that are a number": _meta(derived_columns=7),
    "a list separator that is a list": _meta(list_separator=["|"]),
    "a check name that is an object": _first_meta(check={"a": 1}),
    "a negative min_rows": _first_meta(min_rows=-1),
    "an unknown expectation type": _text(b'{"expectations": [{"type": "x", "kwargs": {}}]}'),
    **NOT_A_FILE,
    "missing": lambda p: p.unlink(),
}
"""Damage to documents.json of a suite folder: validation cannot run (exit 2)."""


@pytest.mark.parametrize("case", list(SUITE_DAMAGE))
def test_a_damaged_suite_file_is_answered_in_one_line(
    case: str,
    clean: Path,
    tmp_path: Path,
    workdir: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    suites = Path(shutil.copytree(DEFAULT_SUITES_DIR, tmp_path / "suites"))
    SUITE_DAMAGE[case](suites / "documents.json")
    report = tmp_path / "report"
    ran = run(capsys, "validate", clean, "--suites", suites, "--report-dir", report)
    line = check_answer(ran, "validate", CANNOT_RUN)
    assert "documents.json" in line
    assert not report.exists()


@pytest.mark.parametrize("kind", ["missing", "a file"])
def test_a_suite_folder_that_is_not_a_folder_is_answered_in_one_line(
    kind: str, clean: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    suites = tmp_path / "suites"
    if kind == "a file":
        suites.write_bytes(b"{}")
    ran = run(capsys, "validate", clean, "--suites", suites, "--report-dir", tmp_path / "r")
    check_answer(ran, "validate", CANNOT_RUN)


# Damage to a gold file: evaluate --gold DIR --------------------------------------------


def _gold_edit(**changes: object) -> Callable[[Path], None]:
    def damage(path: Path) -> None:
        gold = json.loads(path.read_text(encoding="utf-8"))
        path.write_text(json.dumps({**gold, **changes}), encoding="utf-8")

    return damage


def _gold_paragraph(**changes: object) -> Callable[[Path], None]:
    def damage(path: Path) -> None:
        gold = json.loads(path.read_text(encoding="utf-8"))
        gold["paragraphs"][0].update(changes)
        path.write_text(json.dumps(gold), encoding="utf-8")

    return damage


GOLD_DAMAGE: dict[str, Callable[[Path], None]] = {
    "0 bytes": _text(b""),
    "cut in the middle": _truncated(lambda n: n // 2),
    "random bytes": _text(NOISE),
    "bytes that are not UTF-8": _text(b'{"doc_id": "\xff"}'),
    "nested 100,000 deep": _text(b"[" * 100_000),
    "a 5,000-digit offset": _text(
        b'{"doc_id": "d", "paragraphs": [{"char_start": ' + b"3" * 5000 + b"}]}"
    ),
    "NaN": _gold_paragraph(char_start=float("nan")),
    "Infinity": _gold_paragraph(char_end=float("inf")),
    "a lone surrogate": _text(b'{"doc_id": "\\ud800", "paragraphs": []}'),
    "a list at the top": _text(b"[]"),
    "no doc_id": _text(b'{"paragraphs": []}'),
    "paragraphs that are text": _gold_edit(paragraphs="many"),
    "paragraphs that are numbers": _gold_edit(paragraphs=[1, 2]),
    "sections that are an object": _gold_edit(sections={"a": 1}),
    "an offset that is text": _gold_paragraph(char_start="12"),
    "an offset that is a float": _gold_paragraph(char_start=1.5),
    "a role that is not a role": _gold_paragraph(role="villain"),
    "a role that is a number": _gold_paragraph(role=3),
    **NOT_A_FILE,
}
"""Damage to a gold file: evaluate cannot run (exit 2)."""


@pytest.mark.parametrize("case", list(GOLD_DAMAGE))
def test_a_damaged_gold_file_is_answered_in_one_line(
    case: str,
    repo_root: Path,
    project_corpus: Path,
    tmp_path: Path,
    workdir: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    gold = tmp_path / "gold"
    gold.mkdir()
    path = gold / "000_260b07781369273e.expected.json"
    shutil.copy(repo_root / "tests" / "fixtures" / "seed.expected.json", path)
    GOLD_DAMAGE[case](path)
    ran = run(capsys, "evaluate", "--gold", gold, "--corpus", project_corpus)
    line = check_answer(ran, "evaluate", CANNOT_RUN)
    assert path.name in line
    assert ran.out == ""


# A missing folder, or a file where a folder should be: every command exits 2 -----------


FOLDER_COMMANDS: dict[str, Callable[[Path, Path, Path], list[object]]] = {
    "stats": lambda bad, build, tmp: ["stats", bad],
    "validate": lambda bad, build, tmp: ["validate", bad, "--report-dir", tmp / "report"],
    "verify": lambda bad, build, tmp: ["verify", bad],
    "diff": lambda bad, build, tmp: ["diff", bad, build],
    "diff ": lambda bad, build, tmp: ["diff", build, bad],
    "release": lambda bad, build, tmp: [
        "release",
        "1.0.0",
        "--from",
        bad,
        "--releases-dir",
        tmp / "releases",
        "--report-dir",
        tmp / "report",
    ],
    "publish": lambda bad, build, tmp: [
        "publish",
        "1.0.0",
        "--repo-id",
        "acme/news",
        "--releases-dir",
        bad,
        "--dry-run",
    ],
    "evaluate": lambda bad, build, tmp: ["evaluate", "--gold", bad, "--corpus", build],
    "build": lambda bad, build, tmp: ["build", "--corpus", bad, "--out", tmp / "out"],
}
"""Each command with ``bad`` where it reads a folder."""


@pytest.mark.parametrize("kind", ["missing", "a file"])
@pytest.mark.parametrize("command", list(FOLDER_COMMANDS))
def test_a_missing_folder_exits_2_with_one_line(
    command: str,
    kind: str,
    clean: Path,
    tmp_path: Path,
    workdir: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    bad = tmp_path / "no-such-folder"
    if kind == "a file":
        bad.write_bytes(b"a file, not a folder")
    ran = run(capsys, *FOLDER_COMMANDS[command](bad, clean, tmp_path))
    line = check_answer(ran, command.strip(), CANNOT_RUN)
    assert str(bad) in line
    assert " not found" in line
    assert ran.out == ""
    expected = {"cwd", bad.name} if kind == "a file" else {"cwd"}
    assert {p.name for p in tmp_path.iterdir()} == expected, "nothing written"


def test_terminal_escapes_in_the_data_are_printed_escaped(
    dataset: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    documents = dataset / "data" / "documents" / "train-00000-of-00001.parquet"
    _rewrite(_set("collection", 0, "\x1b]0;owned\x07\x1b[2J"))(documents)
    paragraphs = dataset / SHARD
    _rewrite(_set("doc_id", 0, "\x1b[31mred"))(paragraphs)
    stats = run(capsys, "stats", dataset)
    assert stats.code == 0
    assert "\\x1b]0;owned\\x07\\x1b[2J" in stats.out
    ran = run(capsys, "validate", dataset, "--report-dir", tmp_path / "report", "--workers", "1")
    check_answer(ran, "validate", REFUSED)
    assert "\\x1b[31mred/p0000" in ran.out
    assert "\x1b" not in stats.out + ran.out + ran.err
