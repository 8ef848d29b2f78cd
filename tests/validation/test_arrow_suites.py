"""The Arrow engine gives Great Expectations' pandas tallies, expectation by expectation.

Both engines run on built datasets (clean, and with every defect of ``planting``) and on
random small tables for each expectation form. A tally is compared on its element,
unexpected and missing counts, failed ranges, errors, and first unexpected rows with their
values (compared as Python values: pandas shows an integer column holding a null as floats,
and 5 == 5.0).
"""

from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from dispatch_corpus.validation import run_validation
from dispatch_corpus.validation import runner as runner_module
from dispatch_corpus.validation.arrow_suites import CONDITIONS, ArrowSuiteRunner
from dispatch_corpus.validation.results import Tally
from dispatch_corpus.validation.runner import DEFAULT_SUITES_DIR
from dispatch_corpus.validation.suite_check import EXPECTATION_FORMS, kwargs_problem
from dispatch_corpus.validation.suites import (
    ROW_COUNT_EXPECTATIONS,
    ExpectationSpec,
    SuiteRunner,
    SuiteSpec,
    load_suites,
)
from validation.planting import (
    PLANTED,
    SCHEMA_CHANGES,
    VALUE_DEFECTS,
    plant_values,
    rewrite_table,
    shard,
)

pytestmark = pytest.mark.ge


def _comparable(tally: Tally) -> dict[str, Any]:
    return {
        "counts": (tally.element_count, tally.unexpected_count, tally.missing_count),
        "observed": tally.observed,
        "failed_units": tally.failed_units,
        "errors": tally.errors,
        "rows": [finding.get("row") for finding in tally.findings],
        "values": [_view(finding.get("actual")) for finding in tally.findings],
    }


def _view(value: Any) -> Any:
    """A shown value with pandas' views of Arrow values undone: a null shown as NaN
    (``'nan'``, alone or in a pair or key), an integer as a float (a column holding a null)."""
    if value is None:
        return "None"
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        value = re.sub(r"\bnan\b", "None", value)
        return _FLOAT_TEXT.sub(_integral, value)
    return value


_FLOAT_TEXT = re.compile(r"(?<![\w.])-?\d+(?:\.\d+(?:e[+-]?\d+)?|e[+-]?\d+)(?![\w.])")


def _integral(match: re.Match[str]) -> str:
    number = float(match.group(0))
    return str(int(number)) if number.is_integer() else match.group(0)


def _validated(
    dataset: Path, report: Path, engine: str, monkeypatch: pytest.MonkeyPatch
) -> tuple[dict[str, dict[str, Any]], list[dict[str, Any]]]:
    """Every expectation's merged tally, and every check's verdict without its samples and
    failing rows (the tallies compare those)."""
    tallies: dict[str, dict[str, Any]] = {}
    real = runner_module.expectation_result

    def spy(spec: ExpectationSpec, tally: Tally) -> Any:
        tallies[spec.check] = _comparable(tally)
        return real(spec, tally)

    monkeypatch.setattr(runner_module, "expectation_result", spy)
    found = run_validation(dataset, report, workers=1, engine=engine)  # type: ignore[arg-type]
    verdicts = []
    for check in found.checks:
        verdict = {key: value for key, value in check.as_dict().items() if key != "samples"}
        verdict["details"] = {k: v for k, v in check.details.items() if k != "failures"}
        verdicts.append(verdict)
    return tallies, verdicts


def _assert_same_tallies(
    dataset: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> dict[str, dict[str, Any]]:
    local, local_verdicts = _validated(dataset, tmp_path / "local", "local", monkeypatch)
    ge, ge_verdicts = _validated(dataset, tmp_path / "ge", "ge", monkeypatch)
    assert local.keys() == ge.keys()
    for check, tally in local.items():
        assert tally == ge[check], check
    assert local_verdicts == ge_verdicts
    return local


def test_a_clean_build_gives_the_same_tally_for_every_expectation(
    small_build: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tallies = _assert_same_tallies(small_build, tmp_path, monkeypatch)
    suites = load_suites(DEFAULT_SUITES_DIR)
    assert set(tallies) == {e.check for s in suites.values() for e in s.expectations}


@pytest.mark.parametrize("defect", sorted(PLANTED))
def test_a_planted_defect_gives_the_same_tallies(
    defect: str, dataset_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    table, change, _ = PLANTED[defect]
    rewrite_table(dataset_copy, table, change)
    _assert_same_tallies(dataset_copy, tmp_path, monkeypatch)


@pytest.mark.parametrize("change", sorted(SCHEMA_CHANGES))
def test_a_schema_change_gives_the_same_tallies(
    change: str, dataset_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    table, damage, _, _ = SCHEMA_CHANGES[change]
    path = shard(dataset_copy, table)
    pq.write_table(damage(pq.read_table(path)), path)
    _assert_same_tallies(dataset_copy, tmp_path, monkeypatch)


@pytest.mark.parametrize("defect", sorted(VALUE_DEFECTS))
def test_hostile_cell_values_give_the_same_tallies(
    defect: str, dataset_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    table, cells = VALUE_DEFECTS[defect]
    plant_values(dataset_copy, table, cells)
    tallies = _assert_same_tallies(dataset_copy, tmp_path, monkeypatch)
    failing = {check for check, t in tallies.items() if t["counts"][1]}
    assert len(failing) >= 3, "the planted values must fail expectations of several forms"


_BETWEEN_INT = {"min_value": 0, "max_value": 3}
_PATTERNS = (
    r"^[a-z]{2}(?![\s\S])",
    r"[\n\r\x85\u2028\u2029]",
    r"^a$|b",
    r"^\w+\Z",
    r"\d|[^\S\n]",
    r"(?:^|\|)x(?:\||$)",
    r"(?i)k",
    r"(?<=a)b",
)
"""Patterns for the regex forms: RE2 translations (anchors, Unicode classes, a final line
break) and patterns kept on Python's re (a flag, a lookbehind). ``test_arrow_regex``
compares many more with ``re.search`` itself."""

_FORMS: dict[str, list[dict[str, Any]]] = {
    "expect_column_values_to_not_be_null": [
        {"column": "s"},
        {"column": "i"},
        {"column": "f"},
        {"column": "l", "mostly": 0.5},
    ],
    "expect_column_values_to_match_regex": [
        *({"column": "s", "regex": pattern} for pattern in _PATTERNS),
        {"column": "l", "regex": r"^(?:(?:x|y)(?:\|(?:x|y))*)?$"},
    ],
    "expect_column_values_to_not_match_regex": [
        *({"column": "s", "regex": pattern, "mostly": 0.6} for pattern in _PATTERNS),
    ],
    "expect_column_value_lengths_to_be_between": [
        {"column": "s", "min_value": 1},
        {"column": "s", "min_value": 1, "max_value": 3, "strict_max": True},
        {"column": "s", "min_value": 0, "max_value": 2, "strict_min": True, "mostly": 0.5},
    ],
    "expect_column_value_lengths_to_equal": [
        {"column": "s", "value": 2},
        {"column": "s", "value": 0},
    ],
    "expect_column_values_to_be_between": [
        {"column": "i", **_BETWEEN_INT},
        {"column": "i", "min_value": 0, "max_value": 3, "strict_min": True, "strict_max": True},
        {"column": "i", "max_value": 1, "mostly": 0.5},
        {"column": "f", "min_value": 0.2, "mostly": 0.7},
        {"column": "f", "min_value": -1, "max_value": 0.5, "strict_max": True},
        {"column": "f", "min_value": -(2**53), "max_value": 2**53},
    ],
    "expect_column_values_to_be_in_set": [
        {"column": "s", "value_set": ["a", "é", ""]},
        {"column": "i", "value_set": [0, 1, 2]},
        {"column": "k", "value_set": [0, 2**40]},
        {"column": "f", "value_set": [0, 0.5, 1, 2**53]},
    ],
    "expect_column_values_to_not_be_in_set": [
        {"column": "s", "value_set": ["a", "a\n"]},
        {"column": "i", "value_set": [1, -2147483648]},
        {"column": "f", "value_set": [0.5], "mostly": 0.5},
    ],
    "expect_column_values_to_be_unique": [
        {"column": "s"},
        {"column": "i"},
    ],
    "expect_compound_columns_to_be_unique": [
        {"column_list": ["doc_id", "i"]},
        {"column_list": ["doc_id", "i"], "ignore_row_if": "any_value_is_missing"},
        {"column_list": ["doc_id", "i"], "ignore_row_if": "never"},
        {"column_list": ["doc_id", "s"]},
    ],
    "expect_column_pair_values_a_to_be_greater_than_b": [
        {"column_A": "i", "column_B": "k"},
        {"column_A": "i", "column_B": "k", "or_equal": True, "ignore_row_if": "neither"},
        {"column_A": "i", "column_B": "k", "ignore_row_if": "either_value_is_missing"},
        {"column_A": "f", "column_B": "g", "or_equal": True},
        {"column_A": "f", "column_B": "g", "ignore_row_if": "either_value_is_missing"},
    ],
    "expect_table_row_count_to_be_between": [
        {"min_value": 1},
        {"min_value": 2, "max_value": 4},
    ],
    "expect_table_row_count_to_equal": [{"value": 3}],
}
"""The expectations run on random tables: every form, with its kwargs' variants."""


KINDS = {
    "doc_id": "string",
    "s": "string",
    "l": "string_list",
    "i": "int32",
    "k": "int64",
    "f": "float64",
    "g": "float64",
}
"""The kind of each column of the random tables."""


def _suite(kind: str) -> SuiteSpec:
    specs = tuple(
        ExpectationSpec(f"{kind}.{number}", kind, kwargs, "")
        for number, kwargs in enumerate(_FORMS[kind])
    )
    return SuiteSpec(kind, Path(f"{kind}.json"), specs, (), "|", {})


SUITES = {kind: _suite(kind) for kind in _FORMS}


def test_the_random_tables_exercise_every_form_with_kwargs_a_suite_may_hold() -> None:
    assert set(_FORMS) == set(EXPECTATION_FORMS)
    assert set(CONDITIONS) | ROW_COUNT_EXPECTATIONS == set(EXPECTATION_FORMS)
    for kind, variants in _FORMS.items():
        for kwargs in variants:
            assert kwargs_problem(kind, kwargs, "t", KINDS) is None, (kind, kwargs)


@pytest.fixture(scope="module")
def engines() -> tuple[ArrowSuiteRunner, SuiteRunner]:
    return ArrowSuiteRunner(SUITES), SuiteRunner(SUITES)


_TEXT = st.text(alphabet="aAbxyé0٣_ \n\r\x85\u2028\x1c|Kk\u212aß", max_size=4)
_KEYS = st.sampled_from(["a", "b", "é", "", "a\n"])
_INT32 = st.integers(-3, 4) | st.sampled_from([-(2**31), 2**31 - 1])
_INT64 = st.integers(-3, 4) | st.sampled_from([2**40, -(2**62)])
"""int64 columns of a batch are derived counts: no value pandas' float view would round."""
_FLOAT = st.floats(allow_nan=True, allow_infinity=True, width=64) | st.sampled_from(
    [0.0, -0.0, 0.2, 0.5, 1.0, 2.0**53, math.nan]
)
_LIST = st.lists(st.sampled_from(["x", "y", "x|y", "", None]), max_size=3)


@st.composite
def tables(draw: st.DrawFn) -> pa.Table:
    """A small table with nulls, NaN, unicode, empty strings and repeated values."""
    rows = draw(st.integers(0, 7))

    def column(values: st.SearchStrategy[Any]) -> list[Any]:
        return draw(st.lists(st.none() | values, min_size=rows, max_size=rows))

    return pa.table(
        {
            "doc_id": pa.array(column(_KEYS), pa.string()),
            "s": pa.array(column(_TEXT), pa.string()),
            "l": pa.array(column(_LIST), pa.list_(pa.string())),
            "i": pa.array(column(_INT32), pa.int32()),
            "k": pa.array(column(_INT64), pa.int64()),
            "f": pa.array(column(_FLOAT), pa.float64()),
            "g": pa.array(column(_FLOAT), pa.float64()),
        }
    )


HOSTILE = pa.table(
    {
        "doc_id": pa.array(["a", "a", None, "é", "a\n", None, "a"], pa.string()),
        "s": pa.array(["a\n", "", None, "\u0663", "é", "a", "a\n"], pa.string()),
        "l": pa.array(
            [["x", "y"], [], None, ["x", None], ["x|y"], [""], ["y"]], pa.list_(pa.string())
        ),
        "i": pa.array([1, None, -(2**31), 2**31 - 1, 1, None, 1], pa.int32()),
        "k": pa.array([0, 2**40, None, -3, 1, None, 1], pa.int64()),
        "f": pa.array([-0.0, math.nan, None, 0.5, 2.0**53, math.inf, -0.0], pa.float64()),
        "g": pa.array([0.0, 1.0, math.nan, None, -math.inf, math.inf, 0.0], pa.float64()),
    }
)
"""Values the engines could read apart, in every column at once: -0.0 and 0.0, NaN and
null, a final line break, a digit outside [0-9], a list holding a null, repeated keys."""


@pytest.mark.parametrize("kind", sorted(_FORMS))
def test_random_tables_give_the_same_tallies(
    kind: str, engines: tuple[ArrowSuiteRunner, SuiteRunner]
) -> None:
    arrow, ge = engines

    @settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(tables())
    @example(HOSTILE)
    def check(rows: pa.Table) -> None:
        found = arrow.run(kind, arrow.batch(kind, rows, None), str)
        expected = ge.run(kind, ge.batch(kind, rows, None), str)
        assert [t.check for t in found] == [t.check for t in expected]
        for mine, theirs in zip(found, expected, strict=True):
            assert _comparable(mine) == _comparable(theirs), (mine.check, rows.to_pydict())

    check()
