from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from dispatch_corpus.cli import main
from dispatch_corpus.validation import run_validation
from dispatch_corpus.validation.dataset import ValidationInputError
from dispatch_corpus.validation.results import Tally
from dispatch_corpus.validation.runner import DEFAULT_SUITES_DIR
from dispatch_corpus.validation.suites import (
    ExpectationSpec,
    expectation_result,
    expected_text,
    load_suites,
)


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


@pytest.mark.parametrize("engine", ["local", "ge"])
def test_an_invalid_regex_is_refused_in_one_line_naming_file_expectation_and_problem(
    small_build: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], engine: str
) -> None:
    suites = _edited_suites(tmp_path, "documents", "doc_id.no_newline", regex="(")
    with pytest.raises(ValidationInputError) as caught:
        load_suites(suites)
    path = suites / "documents.json"
    message = (
        f"suite {path}: expectation 4 ('doc_id.no_newline'): regex is '(', "
        "not a regular expression: missing ), unterminated subpattern at position 0"
    )
    assert str(caught.value) == message

    report = tmp_path / "report"
    argv = ["validate", str(small_build), "--suites", str(suites), "--report-dir", str(report)]
    assert main([*argv, "--engine", engine]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == f"dispatch-corpus validate: error: {message}\n"
    assert not report.exists()


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


@pytest.mark.parametrize(
    ("expectation", "message"),
    [
        (
            {"type": "expect_column_values_to_not_be_null", "kwargs": {"column": 3}},
            "column is 3, not a column name",
        ),
        (
            {
                "type": "expect_compound_columns_to_be_unique",
                "kwargs": {"column_list": "doc_id"},
            },
            "column_list is 'doc_id', not a list of column names",
        ),
        (
            {
                "type": "expect_column_values_to_not_be_null",
                "kwargs": {"column": "doc_id", "mostly": "often"},
            },
            "mostly is 'often', not a share between 0 and 1",
        ),
        (
            {
                "type": "expect_column_values_to_not_be_null",
                "kwargs": {"column": "doc_id", "mostly": 5},
            },
            "mostly is 5, not a share between 0 and 1",
        ),
        (
            {
                "type": "expect_table_row_count_to_be_between",
                "kwargs": {"min_value": {"$PARAMETER": "rows"}},
            },
            "min_value is {'$PARAMETER': 'rows'}, not a row count",
        ),
        (
            {"type": "expect_table_row_count_to_equal", "kwargs": {"value": True}},
            "value is True, not a row count",
        ),
        (
            {
                "type": "expect_column_values_to_not_be_null",
                "kwargs": {"column": "doc_id"},
                "meta": {"check": ["x"]},
            },
            "meta.check is ['x'], not a name",
        ),
    ],
)
def test_kwargs_the_verdicts_compare_must_have_their_type(
    tmp_path: Path, expectation: dict[str, Any], message: str
) -> None:
    _write_suite(tmp_path / "suites", "paragraphs", [expectation])
    with pytest.raises(ValidationInputError) as caught:
        load_suites(tmp_path / "suites")
    assert str(caught.value).endswith(message)


@pytest.mark.parametrize(
    ("meta", "message"),
    [
        ({"derived_columns": 7}, "meta.derived_columns is not a list of names"),
        ({"derived_columns": [1]}, "meta.derived_columns is not a list of names"),
        ({"list_separator": ["|"]}, "meta.list_separator is not a string"),
        ({"list_separator": ""}, "meta.list_separator is not a string"),
    ],
)
def test_suite_meta_must_have_its_type(tmp_path: Path, meta: dict[str, Any], message: str) -> None:
    folder = tmp_path / "suites"
    shutil.copytree(DEFAULT_SUITES_DIR, folder)
    path = folder / "documents.json"
    suite = json.loads(path.read_text(encoding="utf-8"))
    suite["meta"].update(meta)
    path.write_text(json.dumps(suite), encoding="utf-8")
    with pytest.raises(ValidationInputError, match=message):
        load_suites(folder)


def test_a_suite_file_nested_too_deep_is_refused_in_one_line(tmp_path: Path) -> None:
    folder = tmp_path / "suites"
    shutil.copytree(DEFAULT_SUITES_DIR, folder)
    (folder / "sections.json").write_bytes(b"[" * 100_000)
    with pytest.raises(ValidationInputError) as caught:
        load_suites(folder)
    assert str(caught.value) == (f"{folder / 'sections.json'}: nested too deeply (over 64 levels)")


@pytest.mark.parametrize(
    ("kind", "kwargs", "expected"),
    [
        (
            "expect_column_values_to_be_in_set",
            {"column": "role", "value_set": [0, 1]},
            "role: in [0, 1]",
        ),
        (
            "expect_column_values_to_be_between",
            {"column": "share_body", "min_value": 0.2, "mostly": 0.7},
            "share_body: >= 0.2, in at least 70% of values",
        ),
        (
            "expect_column_value_lengths_to_be_between",
            {"column": "text", "min_value": 1, "max_value": 9, "strict_max": True},
            "text: of length >= 1 and < 9",
        ),
        (
            "expect_column_pair_values_a_to_be_greater_than_b",
            {"column_A": "char_end", "column_B": "char_start"},
            "char_end, char_start: char_end > char_start",
        ),
        ("expect_table_row_count_to_be_between", {"min_value": 1}, "row count >= 1"),
        ("expect_table_row_count_to_equal", {"value": 3}, "row count = 3"),
    ],
)
def test_what_an_expectation_wants_is_said_in_words(
    kind: str, kwargs: dict[str, Any], expected: str
) -> None:
    assert expected_text(ExpectationSpec("t.x", kind, kwargs, "")) == expected


def test_a_failed_expectation_names_expected_actual_and_the_values(
    small_build: Path, tmp_path: Path
) -> None:
    suites = _edited_suites(tmp_path, "sections", "label.in_label_set", value_set=[0, 1])
    report = run_validation(small_build, tmp_path / "report", suites_dir=suites, workers=1)
    (failure,) = report.failures
    details = failure.details
    assert details["expected"] == "label: in [0, 1]"
    assert (
        details["actual"] == f"{failure.unexpected_count} of {report.rows['sections']} values fail"
    )
    assert all(f["actual"] not in (0, 1) for f in details["failures"])
    assert all(f["row"].split("/s")[1].isdigit() for f in details["failures"])
    assert (
        failure.samples[0]
        == f"{details['failures'][0]['row']} = {details['failures'][0]['actual']}"
    )
