"""What a checked-in expectation may say, checked without Great Expectations."""

from __future__ import annotations

import sys
from typing import Any

import pytest

from dispatch_corpus.validation.runner import DEFAULT_SUITES_DIR
from dispatch_corpus.validation.suite_check import EXPECTATION_FORMS, kwargs_problem
from dispatch_corpus.validation.suites import load_suites

KINDS = {
    "doc_id": "string",
    "flags": "string_list",
    "role": "class_label",
    "char_start": "int32",
    "char_end": "int32",
    "lead": "int64",
    "share": "float64",
    "published": "date32",
}
"""A batch's columns, one of each kind."""

VALID: dict[str, dict[str, Any]] = {
    "expect_column_values_to_not_be_null": {"column": "published", "mostly": 0.5},
    "expect_column_values_to_match_regex": {"column": "flags", "regex": "^a$"},
    "expect_column_values_to_not_match_regex": {"column": "doc_id", "regex": "\n"},
    "expect_column_value_lengths_to_be_between": {
        "column": "doc_id",
        "min_value": 1,
        "max_value": 1,
        "strict_min": False,
    },
    "expect_column_value_lengths_to_equal": {"column": "doc_id", "value": 64},
    "expect_column_values_to_be_between": {"column": "share", "max_value": 0.5, "mostly": 1},
    "expect_column_values_to_be_in_set": {"column": "role", "value_set": [0, 1]},
    "expect_column_values_to_not_be_in_set": {"column": "share", "value_set": [0, 0.5]},
    "expect_column_values_to_be_unique": {"column": "lead"},
    "expect_compound_columns_to_be_unique": {
        "column_list": ["doc_id", "char_start"],
        "ignore_row_if": "never",
    },
    "expect_column_pair_values_a_to_be_greater_than_b": {
        "column_A": "char_end",
        "column_B": "share",
        "or_equal": True,
        "ignore_row_if": "neither",
    },
    "expect_table_row_count_to_be_between": {"min_value": 0},
    "expect_table_row_count_to_equal": {"value": 3},
}
"""One expectation of every type the suites may use, with kwargs it takes."""


def test_every_form_has_a_valid_example() -> None:
    assert set(VALID) == set(EXPECTATION_FORMS)


@pytest.mark.parametrize("kind", sorted(VALID))
def test_kwargs_of_the_right_form_pass(kind: str) -> None:
    assert kwargs_problem(kind, VALID[kind], "t", KINDS) is None


def test_the_checked_in_suites_pass() -> None:
    suites = load_suites(DEFAULT_SUITES_DIR)
    assert sum(len(suite.expectations) for suite in suites.values()) > 90


NULL = "expect_column_values_to_not_be_null"
REGEX = "expect_column_values_to_match_regex"
LENGTHS = "expect_column_value_lengths_to_be_between"
BETWEEN = "expect_column_values_to_be_between"
IN_SET = "expect_column_values_to_be_in_set"
UNIQUE = "expect_column_values_to_be_unique"
COMPOUND = "expect_compound_columns_to_be_unique"
PAIR = "expect_column_pair_values_a_to_be_greater_than_b"
ROWS = "expect_table_row_count_to_be_between"
ROWS_EQUAL = "expect_table_row_count_to_equal"

PROBLEMS: list[tuple[str, dict[str, Any], str]] = [
    (
        NULL,
        {"column": "doc_id", "result_format": "COMPLETE"},
        f"kwarg 'result_format' is not supported by {NULL}",
    ),
    (ROWS, {"min_value": 1, "mostly": 0.5}, f"kwarg 'mostly' is not supported by {ROWS}"),
    (
        PAIR,
        {"column_A": "char_end", "column_B": "x", "parse_strings_as_datetimes": True},
        f"kwarg 'parse_strings_as_datetimes' is not supported by {PAIR}",
    ),
    (REGEX, {"column": "doc_id"}, f"{REGEX} needs regex"),
    (PAIR, {"column_A": "char_end"}, f"{PAIR} needs column_B"),
    (IN_SET, {"column": "role"}, f"{IN_SET} needs value_set"),
    (ROWS_EQUAL, {}, f"{ROWS_EQUAL} needs value"),
    (NULL, {"column": 3}, "column is 3, not a column name"),
    (
        PAIR,
        {"column_A": ["char_end"], "column_B": "char_start"},
        "column_A is ['char_end'], not a column name",
    ),
    (COMPOUND, {"column_list": "doc_id"}, "column_list is 'doc_id', not a list of column names"),
    (COMPOUND, {"column_list": []}, "column_list is [], not a list of column names"),
    (
        COMPOUND,
        {"column_list": ["doc_id", 1]},
        "column_list is ['doc_id', 1], not a list of column names",
    ),
    (
        COMPOUND,
        {"column_list": ["doc_id", "doc_id"]},
        "column_list is ['doc_id', 'doc_id'], which names a column twice",
    ),
    (NULL, {"column": "nope"}, "unknown column 'nope' in t"),
    (COMPOUND, {"column_list": ["doc_id", "nope\n"]}, "unknown column 'nope\\n' in t"),
    (
        REGEX,
        {"column": "char_start", "regex": "a"},
        f"{REGEX} cannot read a column of int32 values",
    ),
    (
        BETWEEN,
        {"column": "doc_id", "min_value": 1},
        f"{BETWEEN} cannot read a column of string values",
    ),
    (UNIQUE, {"column": "share"}, f"{UNIQUE} cannot read a column of float64 values"),
    (
        IN_SET,
        {"column": "published", "value_set": []},
        f"{IN_SET} cannot read a column of date32 values",
    ),
    (
        PAIR,
        {"column_A": "doc_id", "column_B": "char_start"},
        f"{PAIR} cannot read a column of string values",
    ),
    (
        COMPOUND,
        {"column_list": ["doc_id", "flags", "share"]},
        f"{COMPOUND} cannot read a column of float64 values",
    ),
    (
        NULL,
        {"column": "doc_id", "mostly": "often"},
        "mostly is 'often', not a share between 0 and 1",
    ),
    (NULL, {"column": "doc_id", "mostly": 1.5}, "mostly is 1.5, not a share between 0 and 1"),
    (NULL, {"column": "doc_id", "mostly": -0.1}, "mostly is -0.1, not a share between 0 and 1"),
    (NULL, {"column": "doc_id", "mostly": True}, "mostly is True, not a share between 0 and 1"),
    (
        NULL,
        {"column": "doc_id", "mostly": float("nan")},
        "mostly is nan, not a share between 0 and 1",
    ),
    (BETWEEN, {"column": "share", "min_value": "0"}, "min_value is '0', not a finite number"),
    (
        BETWEEN,
        {"column": "share", "max_value": float("inf")},
        "max_value is inf, not a finite number",
    ),
    (
        BETWEEN,
        {"column": "share", "max_value": float("nan")},
        "max_value is nan, not a finite number",
    ),
    (BETWEEN, {"column": "role", "min_value": True}, "min_value is True, not a finite number"),
    (BETWEEN, {"column": "role", "min_value": 2**63}, f"min_value is {2**63}, not a finite number"),
    (
        BETWEEN,
        {"column": "role", "min_value": {"$PARAMETER": "x"}},
        "min_value is {'$PARAMETER': 'x'}, not a finite number",
    ),
    (BETWEEN, {"column": "role", "min_value": None}, f"{BETWEEN} needs min_value or max_value"),
    (
        BETWEEN,
        {"column": "role", "min_value": 3, "max_value": 1},
        "min_value 3 is above max_value 1",
    ),
    (LENGTHS, {"column": "doc_id", "min_value": 1.5}, "min_value is 1.5, not a length"),
    (LENGTHS, {"column": "doc_id"}, f"{LENGTHS} needs min_value or max_value"),
    (
        LENGTHS,
        {"column": "doc_id", "min_value": 9, "max_value": 2},
        "min_value 9 is above max_value 2",
    ),
    (
        "expect_column_value_lengths_to_equal",
        {"column": "doc_id", "value": "64"},
        "value is '64', not a length",
    ),
    (
        ROWS,
        {"min_value": {"$PARAMETER": "rows"}},
        "min_value is {'$PARAMETER': 'rows'}, not a row count",
    ),
    (ROWS, {"max_value": 0.5}, "max_value is 0.5, not a row count"),
    (ROWS_EQUAL, {"value": True}, "value is True, not a row count"),
    (
        BETWEEN,
        {"column": "role", "min_value": 0, "strict_min": "yes"},
        "strict_min is 'yes', not true or false",
    ),
    (
        PAIR,
        {"column_A": "char_end", "column_B": "char_start", "or_equal": 1},
        "or_equal is 1, not true or false",
    ),
    (REGEX, {"column": "doc_id", "regex": 5}, "regex is 5, not a regular expression"),
    (
        REGEX,
        {"column": "doc_id", "regex": "("},
        "regex is '(', not a regular expression: missing ), unterminated subpattern at position 0",
    ),
    (
        REGEX,
        {"column": "doc_id", "regex": "a{99999999999}"},
        "regex is 'a{99999999999}', not a regular expression: the repetition number is too large",
    ),
    (IN_SET, {"column": "doc_id", "value_set": "abc"}, "value_set is 'abc', not a list of values"),
    (
        IN_SET,
        {"column": "flags", "value_set": ["a", 1]},
        "value_set is ['a', 1], not a list of text",
    ),
    (
        IN_SET,
        {"column": "role", "value_set": [0, 1.0]},
        "value_set is [0, 1.0], not a list of integers",
    ),
    (
        IN_SET,
        {"column": "role", "value_set": [0, False]},
        "value_set is [0, False], not a list of integers",
    ),
    (
        IN_SET,
        {"column": "share", "value_set": [0.5, float("nan")]},
        "value_set is [0.5, nan], not a list of finite numbers (integers within +-2**53)",
    ),
    (
        IN_SET,
        {"column": "share", "value_set": [None]},
        "value_set is [None], not a list of finite numbers (integers within +-2**53)",
    ),
    (
        IN_SET,
        {"column": "share", "value_set": [0, 2**53 + 1]},
        f"value_set is [0, {2**53 + 1}], not a list of finite numbers (integers within +-2**53)",
    ),
    (
        BETWEEN,
        {"column": "share", "min_value": -(2**53) - 1},
        f"min_value is {-(2**53) - 1}, not a finite number a float column holds exactly "
        "(integers within +-2**53)",
    ),
    (
        PAIR,
        {"column_A": "share", "column_B": "char_start", "ignore_row_if": "nope"},
        "ignore_row_if is 'nope', not one of both_values_are_missing, "
        "either_value_is_missing, neither",
    ),
    (
        PAIR,
        {"column_A": "char_end", "column_B": "char_start", "ignore_row_if": "never"},
        "ignore_row_if is 'never', not one of both_values_are_missing, "
        "either_value_is_missing, neither",
    ),
    (
        COMPOUND,
        {"column_list": ["doc_id"], "ignore_row_if": "neither"},
        "ignore_row_if is 'neither', not one of all_values_are_missing, "
        "any_value_is_missing, never",
    ),
]
"""Kwargs an engine could read otherwise than the other, or not at all: each refused in one
line naming the kwarg, its value and what it should be."""


@pytest.mark.parametrize(
    ("kind", "kwargs"),
    [
        (BETWEEN, {"column": "share", "min_value": -(2**53), "max_value": 2**53}),
        (BETWEEN, {"column": "role", "min_value": -(2**62), "max_value": 0.5}),
        (IN_SET, {"column": "share", "value_set": [2**53, 0.1, -0.0]}),
        (IN_SET, {"column": "lead", "value_set": [2**62]}),
    ],
)
def test_numbers_every_engine_compares_alike_pass(kind: str, kwargs: dict[str, Any]) -> None:
    assert kwargs_problem(kind, kwargs, "t", KINDS) is None


@pytest.mark.parametrize(("kind", "kwargs", "message"), PROBLEMS)
def test_kwargs_an_engine_cannot_honour_are_named(
    kind: str, kwargs: dict[str, Any], message: str
) -> None:
    assert kwargs_problem(kind, kwargs, "t", KINDS) == message


def test_a_regex_nested_past_the_stack_is_refused_in_one_line() -> None:
    depth = sys.getrecursionlimit()
    regex = "(" * depth + ")" * depth
    problem = kwargs_problem(REGEX, {"column": "doc_id", "regex": regex}, "t", KINDS)
    assert problem is not None
    assert problem.startswith("regex is '((((")
    assert "..., not a regular expression: maximum recursion depth exceeded" in problem
    assert "\n" not in problem


@pytest.mark.parametrize(
    ("kind", "kwargs"),
    [
        (NULL, {"column": "x" * 10_000}),
        (NULL, {"column": "doc_id", "x\n" * 10_000: 1}),
        (IN_SET, {"column": "role", "value_set": [0.5] * 10_000}),
    ],
)
def test_a_problem_shows_a_long_value_clipped_on_one_line(
    kind: str, kwargs: dict[str, Any]
) -> None:
    problem = kwargs_problem(kind, kwargs, "t", KINDS)
    assert problem is not None
    assert len(problem) < 160
    assert "\n" not in problem
