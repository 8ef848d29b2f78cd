from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from dispatch_corpus.validation import run_validation
from dispatch_corpus.validation.dataset import ValidationInputError
from dispatch_corpus.validation.results import Tally
from dispatch_corpus.validation.runner import DEFAULT_SUITES_DIR
from dispatch_corpus.validation.suites import ExpectationSpec, expectation_result, load_suites


def _edited_suites(
    tmp_path: Path, table: str, check: str, meta: dict[str, Any] | None = None, **kwargs: Any
) -> Path:
    folder = tmp_path / "suites"
    shutil.copytree(DEFAULT_SUITES_DIR, folder)
    path = folder / f"{table}.json"
    suite = json.loads(path.read_text(encoding="utf-8"))
    (item,) = [e for e in suite["expectations"] if e["meta"]["check"] == check]
    item["kwargs"].update(kwargs)
    item["meta"].update(meta or {})
    path.write_text(json.dumps(suite, indent=2), encoding="utf-8")
    return folder


def test_the_checked_in_files_are_what_runs(small_build: Path, tmp_path: Path) -> None:
    suites = _edited_suites(tmp_path, "paragraphs", "text.length", min_value=100_000)
    report = run_validation(small_build, tmp_path / "report", suites_dir=suites, workers=1)
    assert [c.check for c in report.failures] == ["paragraphs.text.length"]
    assert report.failures[0].unexpected_count == report.rows["paragraphs"]


def test_an_expectation_whose_metric_raises_fails_with_the_error(
    small_build: Path, tmp_path: Path
) -> None:
    suites = _edited_suites(tmp_path, "documents", "doc_id.no_newline", regex="(")
    report = run_validation(small_build, tmp_path / "report", suites_dir=suites, workers=1)
    (failure,) = report.failures
    assert failure.check == "documents.doc_id.no_newline"
    assert failure.details["errors"] and all(failure.details["errors"])


def test_an_edited_value_set_is_caught(small_build: Path, tmp_path: Path) -> None:
    suites = _edited_suites(tmp_path, "sections", "label.in_label_set", value_set=[0, 1])
    report = run_validation(small_build, tmp_path / "report", suites_dir=suites, workers=1)
    assert [c.check for c in report.failures] == ["sections.label.in_label_set"]


def test_a_tightened_share_bound_is_caught(small_build: Path, tmp_path: Path) -> None:
    suites = _edited_suites(
        tmp_path, "documents", "share_statement.max", {"min_rows": 1}, max_value=0.0, mostly=0.99
    )
    report = run_validation(small_build, tmp_path / "report", suites_dir=suites, workers=1)
    (failure,) = report.failures
    assert failure.check == "documents.share_statement.max"
    assert failure.element_count == report.rows["documents"], "one value per document"
    assert failure.details["expected_share"] < 0.99


def test_share_bounds_are_skipped_below_min_rows_documents(
    small_build: Path, tmp_path: Path
) -> None:
    suites = _edited_suites(tmp_path, "documents", "share_statement.max", max_value=0.0)
    report = run_validation(small_build, tmp_path / "report", suites_dir=suites, workers=1)
    assert report.success
    (check,) = [c for c in report.checks if c.check == "documents.share_statement.max"]
    assert check.skipped
    assert check.unexpected_count > 0


def _write_suite(folder: Path, table: str, expectations: list[dict[str, Any]]) -> None:
    shutil.copytree(DEFAULT_SUITES_DIR, folder, dirs_exist_ok=True)
    path = folder / f"{table}.json"
    suite = json.loads(path.read_text(encoding="utf-8"))
    suite["expectations"] = expectations
    path.write_text(json.dumps(suite), encoding="utf-8")


@pytest.mark.parametrize(
    ("expectation", "message"),
    [
        (
            {"type": "expect_column_values_to_not_be_null", "kwargs": {"column": "nope"}},
            "unknown column 'nope'",
        ),
        (
            {"type": "expect_column_mean_to_be_between", "kwargs": {"column": "char_start"}},
            "cannot be added up over units",
        ),
        (
            {"type": "expect_column_values_to_be_unique", "kwargs": {"column": "paragraph_id"}},
            "needs doc_id",
        ),
        (
            {
                "type": "expect_column_values_to_be_between",
                "kwargs": {"column": "role", "min_value": "x", "max_value": 1},
            },
            "paragraphs.json",
        ),
    ],
)
def test_a_suite_the_runner_cannot_honour_is_refused(
    tmp_path: Path, expectation: dict[str, Any], message: str
) -> None:
    _write_suite(tmp_path / "suites", "paragraphs", [expectation])
    with pytest.raises(ValidationInputError, match=message):
        load_suites(tmp_path / "suites")


def test_mostly_applies_to_the_totals_of_all_units() -> None:
    spec = ExpectationSpec(
        check="paragraphs.x",
        type="expect_column_values_to_not_be_in_set",
        kwargs={"column": "role", "value_set": [1], "mostly": 0.9},
        notes="",
    )
    first = Tally("paragraphs.x", "paragraphs", "expectation", "")
    first.add(10, 2)
    second = Tally("paragraphs.x", "paragraphs", "expectation", "")
    second.add(90, 8)
    first.merge(second)
    assert expectation_result(spec, first).success is True
    first.add(1, 1)
    assert expectation_result(spec, first).success is False


def test_row_counts_add_up_over_units() -> None:
    spec = ExpectationSpec(
        "documents.row_count", "expect_table_row_count_to_be_between", {"min_value": 5}, ""
    )
    tally = Tally("documents.row_count", "documents", "expectation", "")
    tally.observed = 3
    assert expectation_result(spec, tally).success is False
    other = Tally("documents.row_count", "documents", "expectation", "")
    other.observed = 2
    tally.merge(other)
    assert expectation_result(spec, tally).success is True
