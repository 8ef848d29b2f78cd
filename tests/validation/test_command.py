from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest

from dispatch_corpus.settings import ValidationEngine
from dispatch_corpus.validation import validate_command
from dispatch_corpus.validation.runner import DEFAULT_SUITES_DIR
from validation.planting import rewrite_table, set_value, shard


def _assert_cannot_run(outcome_stderr: str, outcome_stdout: str) -> None:
    assert outcome_stdout == ""
    assert outcome_stderr.startswith("dispatch-corpus validate: error: ")
    assert "\n" not in outcome_stderr
    assert "Traceback" not in outcome_stderr


def test_a_missing_folder_exits_2_with_one_line(tmp_path: Path) -> None:
    outcome = validate_command(tmp_path / "nowhere", tmp_path / "report")
    assert outcome.exit_code == 2
    _assert_cannot_run(outcome.stderr, outcome.stdout)
    assert "nowhere" in outcome.stderr
    assert not (tmp_path / "report").exists()


def test_a_folder_without_a_table_exits_2(dataset_copy: Path, tmp_path: Path) -> None:
    shutil.rmtree(dataset_copy / "data" / "sections")
    outcome = validate_command(dataset_copy, tmp_path / "report")
    assert outcome.exit_code == 2
    _assert_cannot_run(outcome.stderr, outcome.stdout)
    assert "sections" in outcome.stderr


def test_an_unreadable_shard_exits_2(dataset_copy: Path, tmp_path: Path) -> None:
    shard(dataset_copy, "paragraphs").write_bytes(b"not parquet at all\n" * 10)
    outcome = validate_command(dataset_copy, tmp_path / "report")
    assert outcome.exit_code == 2
    _assert_cannot_run(outcome.stderr, outcome.stdout)
    assert "paragraphs" in outcome.stderr


def test_a_suite_that_cannot_be_built_exits_2(dataset_copy: Path, tmp_path: Path) -> None:
    suites = tmp_path / "suites"
    shutil.copytree(DEFAULT_SUITES_DIR, suites)
    path = suites / "sections.json"
    suite = json.loads(path.read_text(encoding="utf-8"))
    suite["expectations"][3]["kwargs"]["mostly"] = "often"
    path.write_text(json.dumps(suite), encoding="utf-8")
    outcome = validate_command(dataset_copy, tmp_path / "report", suites_dir=suites)
    assert outcome.exit_code == 2
    _assert_cannot_run(outcome.stderr, outcome.stdout)
    assert "sections.json" in outcome.stderr


def test_a_failed_check_exits_1_and_prints_its_row(dataset_copy: Path, tmp_path: Path) -> None:
    rewrite_table(dataset_copy, "paragraphs", lambda t: set_value(t, "role", 2, 99))
    outcome = validate_command(dataset_copy, tmp_path / "report", workers=1)
    assert outcome.exit_code == 1
    report = tmp_path / "report" / "index.html"
    assert outcome.stderr == f"dispatch-corpus validate: 2 of 125 checks failed, see {report}"
    lines = outcome.stdout.splitlines()
    assert lines[0].split() == ["check", "table", "status", "unexpected", "sample", "keys"]
    row = next(line for line in lines if line.startswith("paragraphs.role.in_label_set "))
    assert row.split()[1:4] == ["paragraphs", "FAIL", "1"]
    assert "/p0002" in row
    assert lines[-1] == f"report: {tmp_path / 'report' / 'index.html'}"


def test_a_clean_dataset_exits_0_and_writes_its_report_inside(
    dataset_copy: Path,
) -> None:
    outcome = validate_command(dataset_copy, workers=1, every_check=True)
    assert outcome.exit_code == 0
    report_dir = dataset_copy / "reports" / "validation"
    assert (report_dir / "results.json").is_file()
    assert (report_dir / "index.html").is_file()
    assert "all checks pass" in outcome.stdout
    assert "documents.text_sha256_matches" in outcome.stdout


def test_validating_a_release_says_in_one_note_line_that_no_file_was_written(
    tmp_path: Path, latest_release: Path
) -> None:
    release = tmp_path / latest_release.name
    shutil.copytree(latest_release, release)
    outcome = validate_command(release, workers=1)
    assert outcome.exit_code == 0
    assert outcome.stdout.splitlines()[-1].startswith("note: no report file written:")
    assert "read-only" in outcome.stdout.splitlines()[-1]
    assert not (release / "reports").exists()


@pytest.mark.parametrize("engine", ["ge", "spark"])
def test_an_engine_that_needs_great_expectations_says_so_when_it_is_missing(
    dataset_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, engine: ValidationEngine
) -> None:
    monkeypatch.setitem(sys.modules, "great_expectations", None)
    outcome = validate_command(dataset_copy, tmp_path / "report", workers=1, engine=engine)
    assert outcome.exit_code == 2
    _assert_cannot_run(outcome.stderr, outcome.stdout)
    assert "Great Expectations is not installed" in outcome.stderr
    assert "dispatch-corpus[ge]" in outcome.stderr
    assert not (tmp_path / "report").exists()

    assert validate_command(dataset_copy, tmp_path / "report", workers=1).exit_code == 0
