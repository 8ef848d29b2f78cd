from __future__ import annotations

import json
import re
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from dispatch_corpus.dataset.folders import OutputPathError
from dispatch_corpus.validation import format_report, run_validation
from validation.planting import rewrite_table, set_value

REMOTE = re.compile(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", re.IGNORECASE)


def test_index_html_renders_offline(dataset_copy: Path, tmp_path: Path) -> None:
    rewrite_table(dataset_copy, "paragraphs", lambda t: set_value(t, "text", 1, "<b>x</b>"))
    run_validation(dataset_copy, tmp_path / "report", workers=1)
    page = (tmp_path / "report" / "index.html").read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    assert REMOTE.search(page) is None
    assert "<script" not in page.lower()
    assert "<link" not in page.lower()
    assert "<img" not in page.lower()
    assert "@import" not in page
    assert "<style>" in page
    assert "paragraphs.offsets_slice_text" in page
    assert "<b>x</b>" not in page


def test_console_table_sums_up_passing_checks_per_table(small_build: Path, tmp_path: Path) -> None:
    report = run_validation(small_build, tmp_path / "report", workers=1)
    text = format_report(report)
    lines = text.splitlines()
    summary = [row.split() for row in lines[1:] if re.match(r"[0-9]+ checks ", row)]
    assert sum(int(cells[0]) for cells in summary) == len(report.checks)
    assert {cells[3] for cells in summary} == {"pass", "skip"}
    skipped = {c.table for c in report.checks if c.status == "skip"}
    assert skipped == {"documents"}, "every share check is per document"
    assert lines[-2].startswith("all checks pass (documents 20,")
    full = format_report(report, every_check=True)
    assert len(full.splitlines()) == len(report.checks) + 5


def test_a_rerun_replaces_the_report_folder_it_marked(dataset_copy: Path) -> None:
    run_validation(dataset_copy, workers=1)
    folder = dataset_copy / "reports" / "validation"
    marker = json.loads((folder / "REPORT.json").read_text(encoding="utf-8"))
    assert (marker["created_by"], marker["kind"]) == ("dispatch-corpus", "validation-report")
    assert sorted(marker["files"]) == ["index.html", "results.json"]
    (folder / "index.html").write_text("stale", encoding="utf-8")
    run_validation(dataset_copy, workers=1)
    assert (folder / "index.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert sorted(p.name for p in folder.parent.iterdir()) == ["quarantine.jsonl", "validation"]


def test_a_report_folder_holding_a_users_file_is_not_replaced(dataset_copy: Path) -> None:
    run_validation(dataset_copy, workers=1)
    folder = dataset_copy / "reports" / "validation"
    (folder / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(OutputPathError, match=r"notes\.txt"):
        run_validation(dataset_copy, workers=1)
    assert (folder / "notes.txt").read_text(encoding="utf-8") == "mine"


def test_checks_not_run_are_summed_up_with_their_reason(dataset_copy: Path, tmp_path: Path) -> None:
    path = dataset_copy / "data" / "sections" / "train-00000-of-00001.parquet"
    pq.write_table(pq.read_table(path).drop_columns(["label"]), path)
    report = run_validation(dataset_copy, tmp_path / "report", workers=1)
    lines = format_report(report).splitlines()
    reason = f"not run: sections.label is missing from {path.name}"
    for table in ("sections", "documents"):
        summed = rf"3 checks +{table} +skip +0 +{re.escape(reason)}$"
        assert any(re.match(summed, line) for line in lines), lines
    (schema,) = [line for line in lines if line.startswith("sections.schema ")]
    assert schema.endswith(f"{path.name}: label: missing, expected int64")
    page = (tmp_path / "report" / "index.html").read_text(encoding="utf-8")
    assert "&quot;not_run&quot;: &quot;not run: sections.label is missing" in page


def test_a_check_stopped_by_an_error_shows_the_error(dataset_copy: Path, tmp_path: Path) -> None:
    quarantine = dataset_copy / "reports" / "quarantine.jsonl"
    quarantine.unlink()
    quarantine.mkdir()
    report = run_validation(dataset_copy, tmp_path / "report", workers=1)
    (line,) = [line for line in format_report(report).splitlines() if "quarantine.records" in line]
    assert line.split()[2] == "FAIL"
    assert "quarantine.jsonl: not a regular file" in line
