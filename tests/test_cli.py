import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from validation.planting import rewrite_table, set_value

from dispatch_corpus import validation
from dispatch_corpus.cli import main

COUNT = r"[0-9]{1,3}(?:,[0-9]{3})*"
"""A count as the console writes it: thousands separated."""
SUMMARY = re.compile(
    rf"^built (?P<out>.+): accepted (?P<accepted>{COUNT}), quarantined (?P<quarantined>{COUNT})"
    rf"(?: \((?P<reasons>[a-z_]+={COUNT}(?:, [a-z_]+={COUNT})*)\))?, "
    rf"paragraphs (?P<paragraphs>{COUNT}), sections (?P<sections>{COUNT}), "
    r"(?P<seconds>[0-9,]+\.[0-9]) s$"
)


def _one_error_line(err: str, command: str) -> str:
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert "Traceback" not in err
    assert lines[0].startswith(f"dispatch-corpus {command}: error: ")
    return lines[0]


def test_build_of_a_missing_corpus_exits_2_with_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "no-such-corpus"
    code = main(["build", "--corpus", str(missing), "--out", str(tmp_path / "out")])
    captured = capsys.readouterr()
    assert code == 2
    assert str(missing) in _one_error_line(captured.err, "build")
    assert captured.out == ""
    assert not (tmp_path / "out").exists()


def test_build_into_an_unwritable_place_exits_2_with_one_line(
    tmp_path: Path, project_corpus: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    code = main(["build", "--corpus", str(project_corpus), "--out", str(blocker / "out")])
    assert code == 2
    _one_error_line(capsys.readouterr().err, "build")


def test_successful_build_prints_the_summary_line(
    tmp_path: Path, project_corpus: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    code = main(
        [
            "build",
            "--corpus",
            str(project_corpus),
            "--out",
            str(out),
            "--workers",
            "1",
            "--no-validate",
        ]
    )
    captured = capsys.readouterr()
    assert code == 0
    assert "Traceback" not in captured.err
    (line,) = captured.out.splitlines()
    match = SUMMARY.match(line)
    assert match is not None, line
    assert match["out"] == str(out)
    assert (match["accepted"], match["quarantined"], match["paragraphs"]) == ("1", "0", "10")
    assert int(match["sections"]) >= 1
    assert (out / "data" / "paragraphs" / "train-00000-of-00001.parquet").is_file()


def test_build_validates_its_output_by_default(
    tmp_path: Path, project_corpus: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    code = main(["build", "--corpus", str(project_corpus), "--out", str(out)])
    captured = capsys.readouterr()
    assert code == 0
    assert SUMMARY.match(captured.out.splitlines()[0])
    assert "all checks pass" in captured.out
    assert (out / "reports" / "validation" / "results.json").is_file()
    assert (out / "reports" / "validation" / "index.html").is_file()


def test_summary_line_lists_quarantine_reasons(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    corpus = tmp_path / "corpus"
    (corpus / "c").mkdir(parents=True)
    (corpus / "c" / "ok.txt").write_text("Titre\n\nUn texte ordinaire pour le test.\n")
    (corpus / "c" / "empty.txt").write_bytes(b"")
    (corpus / "c" / "-bad.txt").write_text("x")
    (corpus / "c" / "metadata.jsonl").write_text('{"id": "ok", "extra": 1}\n')
    code = main(["build", "--corpus", str(corpus), "--out", str(tmp_path / "out")])
    captured = capsys.readouterr()
    assert code == 0
    match = SUMMARY.match(captured.out.splitlines()[0])
    assert match is not None, captured.out
    assert (match["accepted"], match["quarantined"]) == ("1", "2")
    assert match["reasons"] == "empty=1, invalid_id=1"
    assert captured.err.splitlines() == ["note: c/metadata.jsonl: ignored unknown keys: extra"]


def _gold_folder(tmp_path: Path, repo_root: Path) -> Path:
    gold = tmp_path / "gold"
    gold.mkdir()
    shutil.copy(
        repo_root / "tests" / "fixtures" / "seed.expected.json",
        gold / "000_260b07781369273e.expected.json",
    )
    return gold


def test_evaluate_json_prints_one_json_object(
    tmp_path: Path, repo_root: Path, project_corpus: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    gold = _gold_folder(tmp_path, repo_root)
    code = main(["evaluate", "--gold", str(gold), "--corpus", str(project_corpus), "--json"])
    captured = capsys.readouterr()
    assert code == 0
    (line,) = captured.out.splitlines()
    result = json.loads(line)
    for key in ("role_accuracy", "macro_f1", "segmentation_exact", "sections_exact"):
        assert 0.0 <= result[key] <= 1.0, key
    assert (result["documents"], result["paragraphs"]) == (1, 10)
    assert result["segmentation_exact"] == 1.0
    assert result["missing"] == []
    assert set(result["per_language"]) == {"fr"}
    assert set(result["per_role"]) >= {"lead", "body", "statement", "list_intro", "list_item"}


def test_evaluate_prints_a_readable_report(
    tmp_path: Path, repo_root: Path, project_corpus: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    gold = _gold_folder(tmp_path, repo_root)
    assert main(["evaluate", "--gold", str(gold), "--corpus", str(project_corpus)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("documents 1, paragraphs 10\n")
    assert re.search(r"^role accuracy\s+\d\.\d{3}$", out, re.MULTILINE)


def test_evaluate_cv_with_more_folds_than_documents_exits_2_with_one_line(
    tmp_path: Path, repo_root: Path, project_corpus: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    gold = _gold_folder(tmp_path, repo_root)
    code = main(["evaluate", "--gold", str(gold), "--corpus", str(project_corpus), "--cv"])
    assert code == 2
    line = _one_error_line(capsys.readouterr().err, "evaluate")
    assert "--cv 5: cannot split 1 documents into 5 folds" in line


@pytest.mark.parametrize(
    ("folds", "message"),
    [
        ("1", "1 folds: cross-validation needs at least 2"),
        ("0", "0 is not a count of at least 1"),
        ("x", "'x' is not a whole number"),
        ("5", "--cv 5: cannot split 1 documents into 5 folds"),
    ],
)
def test_release_gold_with_unusable_folds_exits_2_and_writes_nothing(
    folds: str,
    message: str,
    tmp_path: Path,
    repo_root: Path,
    project_corpus: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    gold = _gold_folder(tmp_path, repo_root)
    build = tmp_path / "build"
    assert (
        main(["build", "--corpus", str(project_corpus), "--out", str(build), "--no-validate"]) == 0
    )
    releases = tmp_path / "releases"
    capsys.readouterr()
    argv = ["release", "1.0.0", "--from", str(build), "--releases-dir", str(releases)]
    gold_args = ["--gold", str(gold), "--gold-corpus", str(project_corpus), f"--cv={folds}"]
    try:
        code = main([*argv, *gold_args])
    except SystemExit as refused:  # argparse refuses a malformed value before any work
        code = int(str(refused.code))
    assert code == 2
    assert message in _one_error_line(capsys.readouterr().err, "release")
    assert not releases.exists()


def test_evaluate_cv_json_reports_the_held_out_figures(
    tmp_path: Path, repo_root: Path, project_corpus: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    gold = _gold_folder(tmp_path, repo_root)
    seed = gold / "000_260b07781369273e.expected.json"
    data = json.loads(seed.read_text(encoding="utf-8"))
    # The same document twice under another id gives two documents to split into two folds.
    twin = project_corpus / "seed" / "000_260b07781369273e.txt"
    corpus = tmp_path / "corpus" / "seed"
    corpus.mkdir(parents=True)
    shutil.copy(twin, corpus / "000_260b07781369273e.txt")
    shutil.copy(twin, corpus / "twin.txt")
    (gold / "twin.expected.json").write_text(json.dumps({**data, "doc_id": "twin"}), "utf-8")
    argv = ["evaluate", "--gold", str(gold), "--corpus", str(corpus.parent), "--cv", "2"]
    assert main([*argv, "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["folds"] == 2 and len(result["fold_role_accuracy"]) == 2
    assert sorted(result["fold_of"].values()) == [0, 1]
    for key in ("role_accuracy", "macro_f1_frequent", "calibration_error", "confident_coverage"):
        assert 0.0 <= result[key] <= 1.0, key
    assert sum(b["count"] for b in result["reliability"]) == 20
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert out.startswith("2-fold cross-validation by document")
    assert re.search(r"^calibration error\s+\d\.\d{3}", out, re.MULTILINE)


def test_evaluate_without_gold_exits_2_with_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["evaluate", "--gold", str(tmp_path / "none"), "--corpus", str(tmp_path)])
    assert code == 2
    assert "gold folder not found" in _one_error_line(capsys.readouterr().err, "evaluate")


def test_unknown_command_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["frobnicate"])
    assert caught.value.code == 2
    assert "Traceback" not in capsys.readouterr().err


HEAVY_MODULES = frozenset(
    {
        "datasets",
        "great_expectations",
        "huggingface_hub",
        "matplotlib",
        "numpy",
        "pandas",
        "pyarrow",
        "pydantic",
        "pyspark",
    }
)
"""Libraries that take seconds to import together: no command may need them for --help."""
COMMANDS = (
    "build",
    "validate",
    "stats",
    "bench",
    "evaluate",
    "release",
    "verify",
    "diff",
    "publish",
)


def test_help_of_every_command_imports_no_heavy_library() -> None:
    code = (
        "import contextlib, io, sys\n"
        "from dispatch_corpus.cli import main\n"
        f"for command in [[], *([name] for name in {COMMANDS!r})]:\n"
        "    with contextlib.suppress(SystemExit), contextlib.redirect_stdout(io.StringIO()):\n"
        "        main([*command, '--help'])\n"
        "print(*sorted({name.partition('.')[0] for name in sys.modules}))\n"
    )
    completed = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True
    )
    loaded = set(completed.stdout.split())
    assert "dispatch_corpus" in loaded
    assert HEAVY_MODULES.isdisjoint(loaded), sorted(HEAVY_MODULES & loaded)


VALIDATE_WRAPPER = """\
import sys


class NoPandas:
    def find_spec(self, name, path=None, target=None):
        if name.partition(".")[0] == "pandas":
            raise ImportError(f"no module named {name!r}")


if sys.argv[1] == "no-pandas":
    sys.meta_path.insert(0, NoPandas())
from dispatch_corpus.cli import main
code = main(sys.argv[2:])
print(*sorted({name.partition(".")[0] for name in sys.modules}), file=sys.stderr)
sys.exit(code)
"""
"""Runs the command line, then lists the top-level modules the process imported. A file,
not ``python -c``: pyspark, which Great Expectations imports, stops a process without one."""
NOT_FOR_VALIDATION = frozenset(
    {"great_expectations", "scipy", "pyspark", "matplotlib", "datasets", "huggingface_hub"}
)
"""Libraries the default validation engine must not import."""


def _validate_in_subprocess(
    wrapper: Path, dataset: Path, report: Path, *options: str
) -> tuple[int, str, set[str]]:
    completed = subprocess.run(
        [
            *(sys.executable, str(wrapper), options[0], "validate", str(dataset)),
            *("--report-dir", str(report), "--workers", "1", *options[1:]),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env={**os.environ, "PYTHONWARNINGS": "ignore"},
    )
    *_, modules = completed.stderr.splitlines()
    # The run's time and the report folder are all that may differ from run to run.
    table = re.sub(r"; \d+\.\d s\)", "; _ s)", completed.stdout.replace(str(report), "REPORT"))
    return completed.returncode, table, set(modules.split())


@pytest.mark.ge
def test_default_validation_imports_no_great_expectations_and_ge_gives_its_verdict(
    seed_build: tuple[Path, object], tmp_path: Path
) -> None:
    dataset = Path(shutil.copytree(seed_build[0], tmp_path / "dataset"))
    rewrite_table(dataset, "paragraphs", lambda rows: set_value(rows, "role", 2, 99))
    wrapper = tmp_path / "validate.py"
    wrapper.write_text(VALIDATE_WRAPPER, encoding="utf-8")

    code, table, modules = _validate_in_subprocess(wrapper, dataset, tmp_path / "a", "plain")
    assert code == 1
    assert "paragraphs.role.in_label_set" in table
    assert "dispatch_corpus" in modules
    assert NOT_FOR_VALIDATION.isdisjoint(modules), sorted(NOT_FOR_VALIDATION & modules)

    # pyarrow imports pandas when it converts a Python value, if pandas is installed: the
    # default engine itself needs none, and gives the same table where pandas is missing.
    assert _validate_in_subprocess(wrapper, dataset, tmp_path / "b", "no-pandas")[:2] == (
        code,
        table,
    )
    ge_code, ge_table, ge_modules = _validate_in_subprocess(
        wrapper, dataset, tmp_path / "c", "plain", "--engine", "ge"
    )
    assert "great_expectations" in ge_modules
    assert (ge_code, ge_table) == (code, table)


def test_python_dash_m_runs_the_command_line(tmp_path: Path) -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "dispatch_corpus", "verify", "--help"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=120,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.startswith("usage: dispatch-corpus verify")


def test_console_entry_point_reports_a_missing_folder_without_traceback(tmp_path: Path) -> None:
    missing = tmp_path / "missing"
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    completed = subprocess.run(
        [sys.executable, "-m", "dispatch_corpus.cli", "build", "--corpus", str(missing)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=120,
        check=False,
    )
    assert completed.returncode == 2
    assert completed.stdout == ""
    _one_error_line(completed.stderr, "build")
    assert not (tmp_path / "build").exists()


def test_build_exits_one_and_names_the_report_when_validation_fails(
    tmp_path: Path,
    project_corpus: Path,
    repo_root: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    suites = tmp_path / "suites"
    shutil.copytree(repo_root / "schemas" / "expectations", suites)
    suite = json.loads((suites / "paragraphs.json").read_text(encoding="utf-8"))
    row_count = next(
        e for e in suite["expectations"] if e["type"] == "expect_table_row_count_to_be_between"
    )
    row_count["kwargs"]["min_value"] = 1000
    (suites / "paragraphs.json").write_text(json.dumps(suite), encoding="utf-8")
    real = validation.validate_command
    monkeypatch.setattr(
        validation,
        "validate_command",
        lambda dataset, **kwargs: real(dataset, suites_dir=suites, **kwargs),
    )
    out = tmp_path / "out"
    code = main(["build", "--corpus", str(project_corpus), "--out", str(out)])
    captured = capsys.readouterr()
    assert code == 1
    assert "Traceback" not in captured.err
    assert f"validation failed, see {out / 'reports' / 'validation' / 'index.html'}" in captured.err


def test_stats_prints_the_counts_of_a_release(
    latest_release: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["stats", str(latest_release)])
    out = capsys.readouterr().out
    assert code == 0
    assert out.splitlines()[0].endswith("1 documents, 10 paragraphs, 5 sections")
    assert re.search(r"^  list_item\s+3$", out, re.MULTILINE)
    assert re.search(r"^  starts_lowercase\s+1$", out, re.MULTILINE)


def test_stats_on_a_missing_folder_exits_two_with_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["stats", str(tmp_path / "missing")])
    captured = capsys.readouterr()
    assert code == 2
    assert len(captured.err.strip().splitlines()) == 1


# --- nothing of the user's is replaced, nothing is written where it was not asked for ----------


@pytest.mark.parametrize("out", ["corpus", ".", "corpus/seed", "mydocs", "report.pdf"])
def test_build_refuses_a_folder_it_did_not_make_in_one_line(
    out: str,
    tmp_path: Path,
    project_corpus: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tree_state: Callable[[Path], dict[str, tuple[str, bytes | str]]],
) -> None:
    shutil.copytree(project_corpus, tmp_path / "corpus")
    (tmp_path / "mydocs").mkdir()
    (tmp_path / "mydocs" / "thesis.tex").write_text("a user's work")
    (tmp_path / "report.pdf").write_bytes(b"%PDF-1.7")
    monkeypatch.chdir(tmp_path)
    before = tree_state(tmp_path)
    code = main(["build", "--corpus", "corpus", "--out", out])
    captured = capsys.readouterr()
    assert code == 2
    assert "refusing dataset folder" in _one_error_line(captured.err, "build")
    assert captured.out == ""
    assert tree_state(tmp_path) == before


def test_release_writes_into_the_build_and_the_releases_folder_only(
    tmp_path: Path,
    project_corpus: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tree_state: Callable[[Path], dict[str, tuple[str, bytes | str]]],
) -> None:
    build = tmp_path / "build"
    assert (
        main(["build", "--corpus", str(project_corpus), "--out", str(build), "--no-validate"]) == 0
    )
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    releases = tmp_path / "releases"
    before = tree_state(tmp_path)
    assert main(["release", "1.0", "--from", str(build), "--releases-dir", str(releases)]) == 1
    assert tree_state(tmp_path) == before, "a refused release writes nothing anywhere"
    assert main(["release", "1.0.0", "--from", str(build), "--releases-dir", str(releases)]) == 0
    assert list(work.iterdir()) == []
    assert (build / "reports" / "validation" / "results.json").is_file()
    capsys.readouterr()
    assert main(["verify", str(releases / "1.0.0")]) == 0


def test_release_notes_open_the_changelog_and_a_bad_notes_file_is_one_line(
    tmp_path: Path, project_corpus: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    build = tmp_path / "build"
    assert (
        main(["build", "--corpus", str(project_corpus), "--out", str(build), "--no-validate"]) == 0
    )
    argv = ["release", "1.0.0", "--from", str(build), "--releases-dir", str(tmp_path / "r")]
    notes = tmp_path / "notes.md"
    notes.write_bytes(b"caf\xe9\n")
    capsys.readouterr()
    assert main([*argv, "--notes", str(notes)]) == 2
    assert "notes.md: not UTF-8 text (byte 3)" in _one_error_line(
        capsys.readouterr().err, "release"
    )
    assert main([*argv, "--notes", str(tmp_path)]) == 2
    assert "not a regular file" in _one_error_line(capsys.readouterr().err, "release")
    assert not (tmp_path / "r").exists()
    notes.write_text("Every paragraph now has `role_confidence`.\n", encoding="utf-8")
    assert main([*argv, "--notes", str(notes)]) == 0
    changelog = (tmp_path / "r" / "1.0.0" / "CHANGELOG.md").read_text(encoding="utf-8")
    assert changelog.splitlines()[2] == "Every paragraph now has `role_confidence`."


def test_release_refuses_a_build_changed_since_it_was_built(
    tmp_path: Path, project_corpus: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    build = tmp_path / "build"
    assert (
        main(["build", "--corpus", str(project_corpus), "--out", str(build), "--no-validate"]) == 0
    )
    shard = build / "data" / "sections" / "train-00000-of-00001.parquet"
    shard.write_bytes(shard.read_bytes() + b"\0")
    capsys.readouterr()
    code = main(["release", "1.0.0", "--from", str(build), "--releases-dir", str(tmp_path / "r")])
    err = capsys.readouterr().err
    assert code == 1
    assert err.splitlines() == [
        f"dispatch-corpus release: {build} changed since it was built "
        "(data/sections/train-00000-of-00001.parquet rewritten); build it again"
    ]
    assert not (tmp_path / "r").exists()


def test_validate_leaves_a_release_as_it_was_and_verify_still_passes(
    tmp_path: Path, latest_release: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    release = tmp_path / "releases" / latest_release.name
    shutil.copytree(latest_release, release)
    assert main(["validate", str(release)]) == 0
    assert capsys.readouterr().out.splitlines()[-1].startswith("note: no report file written")
    assert not (release / "reports").exists()
    assert main(["verify", str(release)]) == 0
    code = main(["validate", str(release), "--report-dir", str(release / "reports")])
    assert code == 2
    assert "releases are read-only" in _one_error_line(capsys.readouterr().err, "validate")
    assert main(["verify", str(release)]) == 0


def test_a_failed_spark_start_leaves_no_staging_folder(
    tmp_path: Path, project_corpus: Path
) -> None:
    pytest.importorskip("pyspark")
    env = {**os.environ, "JAVA_HOME": str(tmp_path / "no-java"), "PYTHONWARNINGS": "ignore"}
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "dispatch_corpus.cli",
            "build",
            "--engine",
            "spark",
            "--corpus",
            str(project_corpus),
            "--out",
            "sparkbuild-1",
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=300,
        check=False,
    )
    assert completed.returncode == 2, completed.stderr
    # Spark's launcher script writes its own lines first; the tool's line is the last.
    last = completed.stderr.splitlines()[-1]
    assert last.startswith("dispatch-corpus build: error: cannot start Spark")
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_release_refuses_a_report_folder_among_the_releases(
    tmp_path: Path, project_corpus: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    build = tmp_path / "build"
    assert (
        main(["build", "--corpus", str(project_corpus), "--out", str(build), "--no-validate"]) == 0
    )
    releases = tmp_path / "releases"
    capsys.readouterr()
    code = main(
        [
            "release",
            "1.0.0",
            "--from",
            str(build),
            "--releases-dir",
            str(releases),
            "--report-dir",
            str(releases / "report"),
        ]
    )
    assert code == 2
    assert "holds releases only" in _one_error_line(capsys.readouterr().err, "release")
    assert not releases.exists()


def test_version_prints_the_package_version(capsys: pytest.CaptureFixture[str]) -> None:
    from importlib.metadata import version

    with pytest.raises(SystemExit) as caught:
        main(["--version"])
    assert caught.value.code == 0
    assert capsys.readouterr().out == f"dispatch-corpus {version('dispatch-corpus')}\n"


def test_version_from_the_console_entry_point() -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "dispatch_corpus.cli", "--version"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert completed.returncode == 0
    assert re.fullmatch(r"dispatch-corpus \d+\.\d+\.\d+\S*\n", completed.stdout)


def test_validation_shows_its_progress_on_a_terminal(
    seed_build: tuple[Path, object],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    dataset, _ = seed_build
    argv = ["validate", str(dataset), "--report-dir", str(tmp_path / "r"), "--workers", "1"]
    assert main(argv) == 0
    assert capsys.readouterr().err == "", "silent when standard error is not a terminal"
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    assert main(argv) == 0
    err = capsys.readouterr().err
    assert re.search(r"validate: +\d+%\|.*\| [12]/2 \[", err), err


def test_a_failed_validation_and_verification_say_so_in_one_stderr_line(
    seed_build: tuple[Path, object],
    latest_release: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    dataset, _ = seed_build
    copy = Path(shutil.copytree(dataset, tmp_path / "dataset"))
    shard = copy / "data" / "paragraphs" / "train-00000-of-00001.parquet"
    pq.write_table(pq.read_table(shard).drop_columns(["role"]), shard)
    report = tmp_path / "report"
    assert main(["validate", str(copy), "--report-dir", str(report)]) == 1
    (line,) = capsys.readouterr().err.splitlines()
    see = re.escape(str(report / "index.html"))
    assert re.fullmatch(rf"dispatch-corpus validate: 1 of \d+ checks failed, see {see}", line)
    release = Path(shutil.copytree(latest_release, tmp_path / latest_release.name))
    (release / "CHANGELOG.md").write_text("edited\n", encoding="utf-8")
    assert main(["verify", str(release)]) == 1
    captured = capsys.readouterr()
    assert captured.err == f"dispatch-corpus verify: {release}: 1 problem\n"
    assert captured.out.startswith(f"{release}: CHANGELOG.md: 7 bytes, manifest says ")


@pytest.mark.parametrize(
    ("argv", "line"),
    [
        (
            ["bench", "--docs", "0"],
            "dispatch-corpus bench: error: argument --docs: 0 is not a count",
        ),
        (["bench", "--docs", "-3"], "dispatch-corpus bench: error: argument --docs: -3 is not a"),
        (["build", "--workers", "x"], "dispatch-corpus build: error: argument --workers: 'x' is"),
        (["build", "--max-bytes", "-1"], "dispatch-corpus build: error: argument --max-bytes: -1"),
        (
            ["validate", "d", "--workers", "0"],
            "dispatch-corpus validate: error: argument --workers",
        ),
        (["validate"], "dispatch-corpus validate: error: the following arguments are required"),
        (["frobnicate"], "dispatch-corpus: error: argument command: invalid choice: 'frobnicate'"),
    ],
)
def test_a_bad_argument_is_a_one_line_usage_error(
    argv: list[str], line: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as caught:
        main(argv)
    assert caught.value.code == 2
    captured = capsys.readouterr()
    (error,) = captured.err.splitlines()
    assert error.startswith(line)
    assert error.endswith("(see --help)")
    assert captured.out == ""


_NUMBER = re.compile(r"""(?<![\w.,/'"`-])[0-9]+(?:,[0-9]+)*(?:\.[0-9]+)?(?![\w/'"`-])""")
"""A number standing alone in a console line (not part of an id, a path, a date or a quote)."""


def _unseparated(text: str) -> list[str]:
    """The numbers of ``text`` whose integer part is >= 1000 and not thousands separated."""
    return [n for n in _NUMBER.findall(text) if not re.fullmatch(COUNT, n.split(".")[0])]


def test_every_console_line_writes_counts_with_thousands_separators(
    tmp_path: Path,
    shared_corpus: Path,
    seed_build: tuple[Path, object],
    capsys: pytest.CaptureFixture[str],
) -> None:
    build, releases = tmp_path / "build", tmp_path / "releases"
    release = releases / "9.0.0"
    commands = [
        ["build", "--corpus", str(shared_corpus), "--out", str(build)],
        ["validate", str(build), "--all"],
        ["stats", str(build)],
        ["diff", str(seed_build[0]), str(build)],
        ["release", "9.0.0", "--from", str(build), "--releases-dir", str(releases)],
        ["verify", str(release)],
        ["bench", "--docs", "1000", "--sources", "corpus", str(shared_corpus)],
    ]
    printed = []
    for command in commands:
        assert main(command) == 0, command
        captured = capsys.readouterr()
        printed.append(captured.out + captured.err)
    damaged = tmp_path / "damaged"
    shutil.copytree(release, damaged)
    shard = damaged / "data" / "paragraphs" / "train-00000-of-00001.parquet"
    with shard.open("ab") as handle:
        handle.write(b"\0" * 1500)
    assert main(["verify", str(damaged)]) == 1
    captured = capsys.readouterr()
    printed.append(captured.out + captured.err)
    text = "\n".join(printed)
    assert _unseparated(text) == []
    # Not vacuous: the large counts are there, separated.
    for shown in ("accepted 854", "paragraphs 5,844", "sections 3,620", "1,000 docs"):
        assert shown in text, shown
    assert re.search(
        rf"paragraphs/train-00000-of-00001\.parquet: {COUNT} bytes, manifest says", text
    )
    assert "5844" not in text and "3620" not in text


def test_the_unseparated_number_finder_sees_what_it_must() -> None:
    assert _unseparated("paragraphs 5844, sections 3,620; 12.3 s") == ["5844"]
    assert _unseparated("1234.5 MB/s and 1,234.5 MB/s, 999 rows, 1,000 docs") == ["1234.5"]
    assert _unseparated("doc frwn_44499, /tmp/pytest-420/x, 2016-03-01, 'x 12345', v2.0.0") == []
    assert _unseparated("bad grouping 12,34 and 1,0000") == ["12,34", "1,0000"]


def test_build_splits_from_an_earlier_build_keeps_its_splits(
    tmp_path: Path, project_corpus: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    assert main(["build", "--corpus", str(project_corpus), "--out", str(first)]) == 0
    shard = next((first / "data" / "documents").glob("*.parquet"))
    table = pq.read_table(shard)
    moved = "test" if table["split"][0].as_py() != "test" else "validation"
    pq.write_table(set_value(table, "split", 0, moved), shard)
    capsys.readouterr()
    code = main(
        [
            "build",
            "--corpus",
            str(project_corpus),
            "--out",
            str(second),
            "--splits-from",
            str(first),
        ]
    )
    assert code == 0, capsys.readouterr().err
    (moved_shard,) = (second / "data" / "documents").glob(f"{moved}-*.parquet")
    assert pq.read_table(moved_shard)["split"].to_pylist() == [moved]
    record = json.loads((second / "BUILD.json").read_text(encoding="utf-8"))
    assert record["settings"]["splits_from"]["from"] == str(first)


@pytest.mark.parametrize("case", ["missing", "not ours", "corrupt"])
def test_build_splits_from_an_unusable_folder_exits_2_with_one_line(
    case: str, tmp_path: Path, project_corpus: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "source"
    if case != "missing":
        assert main(["build", "--corpus", str(project_corpus), "--out", str(source)]) == 0
        if case == "not ours":
            (source / "BUILD.json").unlink()
        else:
            next((source / "data" / "documents").glob("*.parquet")).write_bytes(b"PAR1 broken")
    capsys.readouterr()
    out = tmp_path / "out"
    code = main(
        ["build", "--corpus", str(project_corpus), "--out", str(out), "--splits-from", str(source)]
    )
    assert code == 2
    assert str(source) in _one_error_line(capsys.readouterr().err, "build")
    assert not out.exists()


def test_build_splits_from_a_release_without_splits_notes_it(
    tmp_path: Path, project_corpus: Path, repo_root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    release = repo_root / "releases" / "2.0.0"
    if not release.is_dir():
        pytest.skip("releases/2.0.0 is not in this checkout")
    out = tmp_path / "out"
    code = main(
        ["build", "--corpus", str(project_corpus), "--out", str(out), "--splits-from", str(release)]
    )
    assert code == 0
    notes = [line for line in capsys.readouterr().err.splitlines() if "split column" in line]
    assert notes == [
        f"note: --splits-from {release}: its documents have no split column, nothing pinned"
    ]
