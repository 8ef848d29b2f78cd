"""What a checked-in expectation may say: its kwargs, their types and the columns they read.

The suites are checked here when they load, without importing Great Expectations: every
kwarg an expectation type takes (``EXPECTATION_FORMS``), of the type it is compared as, on
columns of a kind the comparison means the same for in Great Expectations' pandas engine and
in the Arrow engine (``arrow_suites``). Anything else, an unknown kwarg included, is refused:
an engine that ignored a kwarg the other honours would give another verdict silently.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from dispatch_corpus.utils.values import quoted

STRING_KINDS = frozenset({"string", "class_name", "string_list"})
"""Column kinds held as text in a batch (list columns joined by the suite's separator)."""
INTEGER_KINDS = frozenset({"int32", "class_label", "int64"})
FLOAT_KINDS = frozenset({"float32", "float64"})
NUMBER_KINDS = INTEGER_KINDS | FLOAT_KINDS
KEY_KINDS = STRING_KINDS | INTEGER_KINDS
"""Kinds a uniqueness key may hold: equality means the same in pandas and Arrow."""
ANY_KIND = STRING_KINDS | NUMBER_KINDS | {"date32"}
_INT64 = 2**63
_FLOAT_EXACT = 2**53
"""Largest integer up to which every integer is a float (a double) exactly."""
_NOT_EXACT = "not a finite number a float column holds exactly (integers within +-2**53)"
_PAIR_IGNORE = ("both_values_are_missing", "either_value_is_missing", "neither")
_MULTI_IGNORE = ("all_values_are_missing", "any_value_is_missing", "never")


@dataclass(frozen=True)
class ExpectationForm:
    """The kwargs of one expectation type: the columns it names and the other kwargs.

    ``columns`` are the column kwargs it needs, ``kinds`` the column kinds they may be;
    ``required`` and ``optional`` the other kwargs (``mostly`` is optional for every
    column-map type); ``bounds`` says whether at least one of min_value and max_value is
    needed.
    """

    columns: tuple[str, ...]
    kinds: frozenset[str]
    required: tuple[str, ...] = ()
    optional: tuple[str, ...] = ()
    bounds: bool = False
    mostly: bool = True

    @property
    def kwargs(self) -> frozenset[str]:
        """Every kwarg this type takes."""
        return frozenset(
            {*self.columns, *self.required, *self.optional, *(("mostly",) if self.mostly else ())}
        )


_BETWEEN = ("min_value", "max_value", "strict_min", "strict_max")
EXPECTATION_FORMS: dict[str, ExpectationForm] = {
    "expect_column_values_to_not_be_null": ExpectationForm(("column",), ANY_KIND),
    "expect_column_values_to_match_regex": ExpectationForm(
        ("column",), STRING_KINDS, required=("regex",)
    ),
    "expect_column_values_to_not_match_regex": ExpectationForm(
        ("column",), STRING_KINDS, required=("regex",)
    ),
    "expect_column_value_lengths_to_be_between": ExpectationForm(
        ("column",), STRING_KINDS, optional=_BETWEEN, bounds=True
    ),
    "expect_column_value_lengths_to_equal": ExpectationForm(
        ("column",), STRING_KINDS, required=("value",)
    ),
    "expect_column_values_to_be_between": ExpectationForm(
        ("column",), NUMBER_KINDS, optional=_BETWEEN, bounds=True
    ),
    "expect_column_values_to_be_in_set": ExpectationForm(
        ("column",), STRING_KINDS | NUMBER_KINDS, required=("value_set",)
    ),
    "expect_column_values_to_not_be_in_set": ExpectationForm(
        ("column",), STRING_KINDS | NUMBER_KINDS, required=("value_set",)
    ),
    "expect_column_values_to_be_unique": ExpectationForm(("column",), KEY_KINDS),
    "expect_compound_columns_to_be_unique": ExpectationForm(
        ("column_list",), KEY_KINDS, optional=("ignore_row_if",)
    ),
    "expect_column_pair_values_a_to_be_greater_than_b": ExpectationForm(
        ("column_A", "column_B"), NUMBER_KINDS, optional=("or_equal", "ignore_row_if")
    ),
    "expect_table_row_count_to_be_between": ExpectationForm(
        (), frozenset(), optional=("min_value", "max_value"), mostly=False
    ),
    "expect_table_row_count_to_equal": ExpectationForm(
        (), frozenset(), required=("value",), mostly=False
    ),
}
"""Every expectation type the suites may use, and the kwargs each takes."""


def kwargs_problem(
    kind: str, kwargs: dict[str, Any], table: str, column_kinds: dict[str, str]
) -> str | None:
    """Say what is wrong with an expectation's kwargs, or None when nothing is.

    Args:
        kind: The expectation type, a key of ``EXPECTATION_FORMS``.
        kwargs: Its kwargs as checked in.
        table: The table of its suite.
        column_kinds: The kind of each column of the table's batch: a ``schema.Column``
            kind, or ``int64`` or ``float64`` for a derived column.

    Returns:
        One line naming the kwarg and what it should be.
    """
    form = EXPECTATION_FORMS[kind]
    unknown = sorted(set(kwargs) - form.kwargs)
    if unknown:
        return f"kwarg {quoted(unknown[0])} is not supported by {kind}"
    missing = [key for key in (*form.columns, *form.required) if key not in kwargs]
    if missing:
        return f"{kind} needs {missing[0]}"
    problem = _columns_problem(kwargs)
    if problem is not None:
        return problem
    names = _named(kwargs)
    absent = next((name for name in names if name not in column_kinds), None)
    if absent is not None:
        return f"unknown column {quoted(absent)} in {table}"
    kinds = [column_kinds[name] for name in names]
    wrong = next((k for k in kinds if k not in form.kinds), None)
    if wrong is not None:
        return f"{kind} cannot read a column of {wrong} values"
    mostly = kwargs.get("mostly")
    if mostly is not None and not (_is_number(mostly) and 0 <= mostly <= 1):
        return f"mostly is {quoted(mostly)}, not a share between 0 and 1"
    for key, value in kwargs.items():
        check = _VALUE_CHECKS.get(key)
        problem = check(kind, value, kinds) if check is not None else None
        if problem is not None:
            return f"{key} is {quoted(value)}, {problem}"
    return _bounds_problem(kind, form, kwargs)


def _named(kwargs: dict[str, Any]) -> list[str]:
    names = [kwargs[key] for key in ("column", "column_A", "column_B") if key in kwargs]
    return names + list(kwargs.get("column_list", []))


def _columns_problem(kwargs: dict[str, Any]) -> str | None:
    for key in ("column", "column_A", "column_B"):
        if key in kwargs and not isinstance(kwargs[key], str):
            return f"{key} is {quoted(kwargs[key])}, not a column name"
    if "column_list" in kwargs:
        names = kwargs["column_list"]
        if (
            not isinstance(names, list)
            or not names
            or not all(isinstance(name, str) for name in names)
        ):
            return f"column_list is {quoted(names)}, not a list of column names"
        if len(set(names)) < len(names):
            return f"column_list is {quoted(names)}, which names a column twice"
    return None


def _bounds_problem(kind: str, form: ExpectationForm, kwargs: dict[str, Any]) -> str | None:
    low, high = kwargs.get("min_value"), kwargs.get("max_value")
    if form.bounds and low is None and high is None:
        return f"{kind} needs min_value or max_value"
    if low is not None and high is not None and low > high:
        return f"min_value {quoted(low)} is above max_value {quoted(high)}"
    return None


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and -_INT64 <= value < _INT64


def _is_finite(value: object) -> bool:
    if isinstance(value, float):
        return math.isfinite(value)
    return _is_int(value)


def _is_exact_float(value: object) -> bool:
    """A finite float, or an integer a float holds exactly.

    An integer past 2**53 compared with a float column reads differently in each engine
    and pandas version (rounded to a float, compared exactly, or refused by Arrow).
    """
    if isinstance(value, int) and not isinstance(value, bool):
        return -_FLOAT_EXACT <= value <= _FLOAT_EXACT
    return _is_finite(value)


_COUNTED = frozenset(
    {
        "expect_column_value_lengths_to_be_between",
        "expect_table_row_count_to_be_between",
    }
)
"""Types whose min_value and max_value are counts (of characters, of rows)."""


def _bound(kind: str, value: object, kinds: list[str]) -> str | None:
    if value is None:
        return None
    if kind in _COUNTED:
        return _count(kind, value, kinds)
    if not _is_finite(value):
        return "not a finite number"
    if any(column in FLOAT_KINDS for column in kinds) and not _is_exact_float(value):
        return _NOT_EXACT
    return None


def _count(kind: str, value: object, kinds: list[str]) -> str | None:
    if _is_int(value):
        return None
    return "not a row count" if kind.startswith("expect_table_row_count") else "not a length"


def _flag(kind: str, value: object, kinds: list[str]) -> str | None:
    return None if value is None or isinstance(value, bool) else "not true or false"


def _regex(kind: str, value: object, kinds: list[str]) -> str | None:
    if not isinstance(value, str):
        return "not a regular expression"
    try:
        re.compile(value)
    except (re.error, RecursionError, OverflowError) as error:
        return f"not a regular expression: {str(error).splitlines()[0]}"
    return None


def _value_set(kind: str, value: object, kinds: list[str]) -> str | None:
    if not isinstance(value, list):
        return "not a list of values"
    (column,) = kinds
    fits, what = (
        (_is_text, "text")
        if column in STRING_KINDS
        else (_is_int, "integers")
        if column in INTEGER_KINDS
        else (_is_exact_float, "finite numbers (integers within +-2**53)")
    )
    return None if all(fits(item) for item in value) else f"not a list of {what}"


def _is_text(value: object) -> bool:
    return isinstance(value, str)


def _ignore_row_if(kind: str, value: object, kinds: list[str]) -> str | None:
    allowed = _PAIR_IGNORE if "pair" in kind else _MULTI_IGNORE
    return None if value in allowed else f"not one of {', '.join(allowed)}"


_VALUE_CHECKS: dict[str, Callable[[str, object, list[str]], str | None]] = {
    "min_value": _bound,
    "max_value": _bound,
    "value": _count,
    "strict_min": _flag,
    "strict_max": _flag,
    "or_equal": _flag,
    "regex": _regex,
    "value_set": _value_set,
    "ignore_row_if": _ignore_row_if,
}
