"""The expectation suites evaluated with Arrow compute: the default engine, without GE.

``ArrowSuiteRunner`` evaluates the checked-in suite JSON (the ``SuiteSpec`` of
``load_suites``) over the Arrow rows of a range and gives the tallies Great Expectations'
pandas engine gives (``SuiteRunner``): the same element, unexpected and missing counts and
the same first unexpected rows, so the verdicts add up unchanged. Every type of
``suite_check.EXPECTATION_FORMS`` has its form here, with the pandas engine's meaning
(tests compare both engines expectation by expectation, on built datasets, on every planted
defect and on random tables):

- a column-map expectation leaves null values out (missing: neither checked nor
  unexpected), except ``expect_column_values_to_not_be_null``, whose unexpected values they
  are; NaN is null, as in pandas;
- a column pair leaves out the rows its ``ignore_row_if`` names (by default those with both
  values null); on the others a null side compares false, so the row is unexpected;
- a compound key leaves out the rows its ``ignore_row_if`` names (by default those with
  every value null); on the others nulls are equal values, and every row of a repeated key
  is unexpected (pandas' ``duplicated(keep=False)``), as for a single unique column;
- a regular expression matches as Python's ``re.search`` (``arrow_regex``);
- a length counts code points; a list column is its elements joined (``batch_table``).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from dispatch_corpus.validation.arrow_regex import plan_regex, regex_search
from dispatch_corpus.validation.results import SAMPLE_LIMIT, Tally
from dispatch_corpus.validation.suites import (
    ROW_COUNT_EXPECTATIONS,
    ExpectationSpec,
    SuiteSpec,
    add_unexpected,
    batch_table,
    columns_of,
    empty_tally,
    runs_in,
)

_Rows = np.ndarray
"""One boolean per row of a batch."""
_Condition = Callable[[pa.Table, dict[str, Any]], tuple[_Rows, _Rows]]
"""Rows left out as missing, and unexpected rows, of one column-map expectation."""


class ArrowSuiteRunner:
    """The suites, run on Arrow batches."""

    def __init__(self, suites: dict[str, SuiteSpec]) -> None:
        self.suites = suites

    def batch(self, table: str, rows: pa.Table, derived: dict[str, pa.Array] | None) -> pa.Table:
        """Return the Arrow batch of one table's rows (``batch_table``)."""
        return batch_table(rows, self.suites[table], derived)

    def run(
        self, table: str, batch: pa.Table, key_at: Callable[[int], str], *, wide: bool | None = None
    ) -> list[Tally]:
        """Evaluate the expectations of one table's suite that read wide columns, or the others.

        Args:
            table: The table.
            batch: Its batch, from ``batch``.
            key_at: Readable key of a row from its position in the batch.
            wide: Evaluate the expectations on ``WIDE_COLUMNS`` (True), all the others
                (False), or every expectation (None).

        Returns:
            One tally per expectation evaluated, in suite order; an empty batch adds nothing
            (as on Great Expectations, which is not run on one).
        """
        tallies = []
        for spec in self.suites[table].expectations:
            if not runs_in(spec, wide):
                continue
            tally = empty_tally(table, spec)
            if batch.num_rows:
                self._evaluate(spec, batch, key_at, tally)
            tallies.append(tally)
        return tallies

    def _evaluate(
        self, spec: ExpectationSpec, batch: pa.Table, key_at: Callable[[int], str], tally: Tally
    ) -> None:
        rows = batch.num_rows
        kwargs = spec.kwargs
        if spec.type in ROW_COUNT_EXPECTATIONS:
            tally.observed += rows
            tally.add(rows, 0)
            tally.failed_units += 0 if _row_count_holds(spec, rows) else 1
            return
        missing, unexpected = CONDITIONS[spec.type](batch, kwargs)
        first = [int(row) for row in np.flatnonzero(unexpected)[:SAMPLE_LIMIT]]
        counts = (rows, int(unexpected.sum()), int(missing.sum()))
        values = [_row_value(batch, spec, row) for row in first]
        add_unexpected(tally, counts, [key_at(row) for row in first], values)
        if not _mostly_holds(counts, kwargs.get("mostly")):
            tally.failed_units += 1


def _row_count_holds(spec: ExpectationSpec, rows: int) -> bool:
    kwargs = spec.kwargs
    if spec.type == "expect_table_row_count_to_equal":
        return bool(rows == kwargs["value"])
    low, high = kwargs.get("min_value"), kwargs.get("max_value")
    return (low is None or rows >= low) and (high is None or rows <= high)


def _mostly_holds(counts: tuple[int, int, int], mostly: float | None) -> bool:
    """Great Expectations' success of one batch: vacuous with no value to judge."""
    rows, unexpected, missing = counts
    considered = rows - missing
    if considered == 0:
        return True
    return (considered - unexpected) / considered >= (1.0 if mostly is None else mostly)


def _row_value(batch: pa.Table, spec: ExpectationSpec, row: int) -> Any:
    """The value shown for an unexpected row: a cell, a pair, or a key as a mapping."""
    names = columns_of(spec.kwargs)
    if "column_list" in spec.kwargs:
        return {name: batch.column(name)[row].as_py() for name in names}
    if len(names) == 2:
        return tuple(batch.column(name)[row].as_py() for name in names)
    return batch.column(names[0])[row].as_py()


def _column(batch: pa.Table, name: str) -> pa.Array:
    stored = batch.column(name)
    # combine_chunks copies even a single chunk.
    return stored.chunk(0) if stored.num_chunks == 1 else stored.combine_chunks()


def _rows(mask: pa.Array) -> _Rows:
    """A boolean Arrow array as one numpy boolean per row, null as false."""
    return np.asarray(mask.fill_null(False).to_numpy(zero_copy_only=False), dtype=bool)


def _nulls(values: pa.Array) -> _Rows:
    return _rows(pc.is_null(values, nan_is_null=True))


def _map(check: Callable[[pa.Array, dict[str, Any]], pa.Array]) -> _Condition:
    """A column-map condition: null values missing, the others unexpected unless ``check``."""

    def condition(batch: pa.Table, kwargs: dict[str, Any]) -> tuple[_Rows, _Rows]:
        values = _column(batch, kwargs["column"])
        missing = _nulls(values)
        return missing, ~missing & ~_rows(check(values, kwargs))

    return condition


def _between(values: pa.Array, kwargs: dict[str, Any]) -> pa.Array:
    low, high = kwargs.get("min_value"), kwargs.get("max_value")
    inside = pa.array(np.ones(len(values), dtype=bool))
    if low is not None:
        above = pc.greater if kwargs.get("strict_min") else pc.greater_equal
        inside = pc.and_(inside, above(values, low))
    if high is not None:
        below = pc.less if kwargs.get("strict_max") else pc.less_equal
        inside = pc.and_(inside, below(values, high))
    return inside


def _lengths_between(values: pa.Array, kwargs: dict[str, Any]) -> pa.Array:
    return _between(pc.utf8_length(values), kwargs)


def _length_equals(values: pa.Array, kwargs: dict[str, Any]) -> pa.Array:
    return pc.equal(pc.utf8_length(values), kwargs["value"])


def _members(values: pa.Array, kwargs: dict[str, Any]) -> pa.Array:
    """Whether each value is in the value set (compared in the wider of the two types)."""
    if pa.types.is_integer(values.type):
        values = values.cast(pa.int64())
    if pa.types.is_floating(values.type):
        # is_in hashes -0.0 apart from 0.0, which Python and pandas hold equal; adding
        # +0.0 turns -0.0 into 0.0 and leaves every other value as it is.
        values = pc.add(values, 0.0)
    return pc.is_in(values, value_set=pa.array(kwargs["value_set"], values.type))


def _not_members(values: pa.Array, kwargs: dict[str, Any]) -> pa.Array:
    return pc.invert(_members(values, kwargs))


_plan = cache(plan_regex)
"""A pattern is translated once per process (the load-time check compiled it already)."""


def _regex(found: bool) -> _Condition:
    """A regex condition: unexpected when the pattern is not ``found`` (or is, for ``not``)."""

    def condition(batch: pa.Table, kwargs: dict[str, Any]) -> tuple[_Rows, _Rows]:
        values = _column(batch, kwargs["column"])
        missing = _nulls(values)
        matched = _rows(regex_search(values, _plan(kwargs["regex"])))
        return missing, ~missing & (matched != found)

    return condition


def _not_null(batch: pa.Table, kwargs: dict[str, Any]) -> tuple[_Rows, _Rows]:
    nulls = _nulls(_column(batch, kwargs["column"]))
    return np.zeros(len(nulls), dtype=bool), nulls


def _unique(batch: pa.Table, kwargs: dict[str, Any]) -> tuple[_Rows, _Rows]:
    values = _column(batch, kwargs["column"])
    missing = _nulls(values)
    return missing, _repeated([values], ~missing)


def _compound_unique(batch: pa.Table, kwargs: dict[str, Any]) -> tuple[_Rows, _Rows]:
    keys = [_column(batch, name) for name in kwargs["column_list"]]
    nulls = np.stack([_nulls(values) for values in keys])
    rule = kwargs.get("ignore_row_if", "all_values_are_missing")
    missing: _Rows = np.zeros(batch.num_rows, dtype=bool)
    if rule == "all_values_are_missing":
        missing = np.all(nulls, axis=0)
    elif rule == "any_value_is_missing":
        missing = np.any(nulls, axis=0)
    return missing, _repeated(keys, ~missing)


def _a_greater_than_b(batch: pa.Table, kwargs: dict[str, Any]) -> tuple[_Rows, _Rows]:
    first, second = _column(batch, kwargs["column_A"]), _column(batch, kwargs["column_B"])
    first_null, second_null = _nulls(first), _nulls(second)
    rule = kwargs.get("ignore_row_if", "both_values_are_missing")
    if rule == "both_values_are_missing":
        missing = first_null & second_null
    elif rule == "either_value_is_missing":
        missing = first_null | second_null
    else:
        missing = np.zeros(batch.num_rows, dtype=bool)
    compare = pc.greater_equal if kwargs.get("or_equal") else pc.greater
    return missing, ~missing & ~_rows(compare(first, second))


def _repeated(keys: list[pa.Array], kept: _Rows) -> _Rows:
    """Kept rows whose key (nulls equal to nulls) is also the key of another kept row."""
    found = np.zeros(len(kept), dtype=bool)
    rows = np.flatnonzero(kept)
    if len(rows) < 2:
        return found
    taken = pa.array(rows)
    # One integer per key: each column's dictionary code folded in, nulls encoded as a value of
    # their own (in a key, nulls are equal values: pandas' duplicated).
    combined = np.zeros(len(rows), dtype=np.int64)
    for values in keys:
        encoded = pc.dictionary_encode(values.take(taken), null_encoding="encode")
        codes = np.asarray(encoded.indices.to_numpy(zero_copy_only=False), dtype=np.int64)
        size = len(encoded.dictionary)
        if int(combined.max()) + 1 > np.iinfo(np.int64).max // max(size, 1):
            # Renumber the keys so far 0..k-1 before the product could overflow.
            combined = np.unique(combined, return_inverse=True)[1].reshape(-1)
        combined = combined * size + codes
    _, inverse, counts = np.unique(combined, return_inverse=True, return_counts=True)
    found[rows] = counts[inverse.reshape(-1)] > 1
    return found


CONDITIONS: dict[str, _Condition] = {
    "expect_column_values_to_not_be_null": _not_null,
    "expect_column_values_to_match_regex": _regex(found=True),
    "expect_column_values_to_not_match_regex": _regex(found=False),
    "expect_column_value_lengths_to_be_between": _map(_lengths_between),
    "expect_column_value_lengths_to_equal": _map(_length_equals),
    "expect_column_values_to_be_between": _map(_between),
    "expect_column_values_to_be_in_set": _map(_members),
    "expect_column_values_to_not_be_in_set": _map(_not_members),
    "expect_column_values_to_be_unique": _unique,
    "expect_compound_columns_to_be_unique": _compound_unique,
    "expect_column_pair_values_a_to_be_greater_than_b": _a_greater_than_b,
}
"""The Arrow form of every column-map expectation type (row counts are counted apart)."""
