"""Load the checked-in expectation suites; run them with Great Expectations, unit by unit.

The suites are checked when they load without Great Expectations (``suite_check``); the
``ge`` and ``spark`` engines also let Great Expectations build every expectation. Great
Expectations is imported only inside the functions that use it: the default engine
(``arrow_suites``) never imports it. A suite runs on one range of rows at a time; the
range results are added up into one verdict per expectation: counts of unexpected values
for column-map expectations (``mostly`` is applied to the totals), summed rows for row
counts.
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib.resources import as_file
from importlib.resources.abc import Traversable
from typing import Any, Literal, Protocol

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from dispatch_corpus.dataset.jsonfile import read_json_file
from dispatch_corpus.models import TABLE_MODELS
from dispatch_corpus.schema import columns
from dispatch_corpus.settings import ValidationEngine
from dispatch_corpus.utils.numbers import count, counted, percent
from dispatch_corpus.utils.values import quoted, shown
from dispatch_corpus.validation.dataset import ValidationInputError
from dispatch_corpus.validation.results import SAMPLE_LIMIT, CheckResult, Tally
from dispatch_corpus.validation.shares import derived_kind
from dispatch_corpus.validation.suite_check import EXPECTATION_FORMS, kwargs_problem

MAP_EXPECTATIONS = frozenset(
    {
        "expect_column_values_to_not_be_null",
        "expect_column_values_to_match_regex",
        "expect_column_values_to_not_match_regex",
        "expect_column_value_lengths_to_be_between",
        "expect_column_value_lengths_to_equal",
        "expect_column_values_to_be_between",
        "expect_column_values_to_be_in_set",
        "expect_column_values_to_not_be_in_set",
        "expect_column_values_to_be_unique",
        "expect_compound_columns_to_be_unique",
        "expect_column_pair_values_a_to_be_greater_than_b",
    }
)
"""Expectations judged row by row: unit counts add up exactly."""
ROW_COUNT_EXPECTATIONS = frozenset(
    {"expect_table_row_count_to_be_between", "expect_table_row_count_to_equal"}
)
"""Expectations on the number of rows: unit row counts add up."""
UNIQUENESS_EXPECTATIONS = frozenset(
    {"expect_column_values_to_be_unique", "expect_compound_columns_to_be_unique"}
)
"""Exact across units only when the key holds ``doc_id`` (units split by ``doc_id``)."""
WIDE_COLUMNS = frozenset({"text"})
"""Columns holding most of a table's bytes: their expectations run over smaller ranges."""
SuiteEngine = Literal["pandas", "spark"]
"""Great Expectations execution engines a ``SuiteRunner`` can use."""
MAX_SUITE_BYTES = 16 * 1024 * 1024
"""Largest suite file read (the checked-in ones are a few kilobytes)."""
_COLUMN_KWARGS = ("column", "column_A", "column_B")
_GX_LOGGERS = ("great_expectations", "py4j", "pyspark")


@dataclass(frozen=True)
class ExpectationSpec:
    """One expectation of a checked-in suite, with the check name it reports under."""

    check: str
    type: str
    kwargs: dict[str, Any]
    notes: str
    min_rows: int = 0


@dataclass(frozen=True)
class SuiteSpec:
    """A checked-in suite: its table, expectations and the derived columns it reads."""

    table: str
    path: Traversable
    expectations: tuple[ExpectationSpec, ...]
    derived_columns: tuple[str, ...]
    list_separator: str
    raw: dict[str, Any] = field(repr=False)


def load_suites(folder: Traversable, engine: ValidationEngine = "local") -> dict[str, SuiteSpec]:
    """Read and check ``<folder>/<table>.json`` for every table.

    Every expectation must be of a type whose unit results add up (``MAP_EXPECTATIONS``,
    ``ROW_COUNT_EXPECTATIONS``), with the kwargs that type takes, of their types, on
    columns of the table's batch of a kind it can compare (``suite_check``); uniqueness
    keys must hold ``doc_id``. For the ``ge`` and ``spark`` engines, Great Expectations
    must also be able to build it; the default ``local`` engine does not import Great
    Expectations.

    Args:
        folder: The folder of suite files: a path, or the package's suites.
        engine: The engine the suites will run on.

    Returns:
        The suite of each table.

    Raises:
        ValidationInputError: When a suite is missing, unreadable or invalid.
    """
    suites = {table: _load_suite(folder / f"{table}.json", table) for table in TABLE_MODELS}
    if engine != "local":
        for suite in suites.values():
            _build_expectations(suite.path, suite.expectations)
    return suites


def _load_suite(resource: Traversable, table: str) -> SuiteSpec:
    # A suite shipped in a zipped package has no path of its own: as_file extracts it.
    with as_file(resource) as path:
        raw = read_json_file(path, error=ValidationInputError, max_bytes=MAX_SUITE_BYTES)
    if not isinstance(raw, dict) or not isinstance(raw.get("expectations"), list):
        raise ValidationInputError(f"suite {path}: no list of expectations")
    meta = _mapping(raw.get("meta"))
    # The exported suites map each derived column to its description; a list of names is read too.
    derived_columns = meta.get("derived_columns", {})
    if not isinstance(derived_columns, dict | list) or not all(
        isinstance(name, str) for name in derived_columns
    ):
        raise ValidationInputError(f"suite {path}: meta.derived_columns is not a list of names")
    derived = tuple(derived_columns)
    separator = meta.get("list_separator", "|")
    if not isinstance(separator, str) or not separator:
        raise ValidationInputError(f"suite {path}: meta.list_separator is not a string")
    kinds = {c.name: c.kind for c in columns(TABLE_MODELS[table])}
    for name in derived:
        kind = derived_kind(table, name)
        if kind is None:
            raise ValidationInputError(f"suite {path}: no form for derived column {quoted(name)}")
        kinds[name] = kind
    specs: list[ExpectationSpec] = []
    for position, item in enumerate(raw["expectations"]):
        spec = _expectation_spec(path, table, position, item, kinds)
        if any(s.check == spec.check for s in specs):
            raise ValidationInputError(f"suite {path}: check name {quoted(spec.check)} repeats")
        specs.append(spec)
    return SuiteSpec(table, path, tuple(specs), derived, separator, raw)


def _expectation_spec(
    path: Traversable, table: str, position: int, item: object, kinds: dict[str, str]
) -> ExpectationSpec:
    where = f"suite {path}: expectation {position}"
    if not isinstance(item, dict) or not isinstance(item.get("kwargs"), dict):
        raise ValidationInputError(f"{where}: not an object with kwargs")
    meta = _mapping(item.get("meta"))
    if isinstance(meta.get("check"), str):
        where += f" ({quoted(meta['check'])})"
    kind = str(item.get("type"))
    kwargs: dict[str, Any] = item["kwargs"]
    if kind not in EXPECTATION_FORMS:
        raise ValidationInputError(f"{where}: {quoted(kind)} cannot be added up over units")
    problem = kwargs_problem(kind, kwargs, table, kinds)
    if problem is not None:
        raise ValidationInputError(f"{where}: {problem}")
    used = columns_of(kwargs)
    if kind in UNIQUENESS_EXPECTATIONS and "doc_id" not in used:
        raise ValidationInputError(f"{where}: uniqueness across units needs doc_id in the key")
    name = meta.get("check") or f"{kind}({','.join(used)})"
    if not isinstance(name, str):
        raise ValidationInputError(f"{where}: meta.check is {quoted(name)}, not a name")
    min_rows = meta.get("min_rows", 0)
    if not isinstance(min_rows, int) or isinstance(min_rows, bool) or min_rows < 0:
        raise ValidationInputError(f"{where}: meta.min_rows is not a count")
    return ExpectationSpec(f"{table}.{name}", kind, kwargs, str(meta.get("notes", "")), min_rows)


def _mapping(value: object) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _build_expectations(path: Traversable, specs: tuple[ExpectationSpec, ...]) -> None:
    """Let Great Expectations build every expectation, so a bad one stops the run."""
    _quiet_gx()
    from great_expectations.expectations.expectation_configuration import (
        ExpectationConfiguration,
    )

    for spec in specs:
        try:
            ExpectationConfiguration(type=spec.type, kwargs=spec.kwargs).to_domain_obj()
        except Exception as error:  # GE raises many types for a bad configuration
            message = str(error).splitlines()[0] if str(error) else type(error).__name__
            raise ValidationInputError(f"suite {path}: {quoted(spec.check)}: {message}") from error


def _quiet_gx() -> None:
    """Import Great Expectations without its warnings, and silence its loggers."""
    for name in _GX_LOGGERS:
        logging.getLogger(name).setLevel(logging.CRITICAL)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            import great_expectations  # noqa: F401
        except ImportError as error:
            raise ValidationInputError(
                "Great Expectations is not installed: the ge and spark engines need the ge "
                "extra (pip install 'dispatch-corpus[ge]'); the default local engine does not"
            ) from error
        except SystemExit as error:  # pyspark exits when __main__ has no file (python -c)
            raise ValidationInputError(
                "Great Expectations could not be imported: pyspark stops any process whose "
                "main module has no file (python -c); run validation from a script or the CLI"
            ) from error


def batch_table(
    table: pa.Table, suite: SuiteSpec, derived: dict[str, pa.Array] | None = None
) -> pa.Table:
    """Return the Arrow batch a suite runs on: list columns joined, derived columns added.

    A list is joined by the suite's list separator; a list holding a null element joins to
    null, as a null list does.

    Args:
        table: One table's rows in a range.
        suite: The table's suite (its list separator).
        derived: Values of derived columns to add, one per row.

    Returns:
        The batch, rows in the order of ``table``.
    """
    for position, column in enumerate(table.schema):
        if pa.types.is_list(column.type):
            joined = pc.binary_join(table.column(position), suite.list_separator)
            table = table.set_column(position, column.name, joined)
    for name, values in (derived or {}).items():
        table = table.append_column(name, values)
    return table


def batch_frame(
    table: pa.Table, suite: SuiteSpec, derived: dict[str, pa.Array] | None = None
) -> Any:
    """Return the pandas batch a suite runs on: ``batch_table`` as a ``pandas.DataFrame``.

    Narrow integer columns are widened to int64: Great Expectations compares only ``int``
    and ``float`` columns vectorised, and every other integer width value by value in Python.

    Args:
        table: One table's rows in a range.
        suite: The table's suite (its list separator).
        derived: Values of derived columns to add, one per row.

    Returns:
        A ``pandas.DataFrame`` with a positional index.
    """
    batch = batch_table(table, suite, derived)
    for position, column in enumerate(batch.schema):
        if pa.types.is_integer(column.type) and column.type != pa.int64():
            widened = batch.column(position).cast(pa.int64())
            batch = batch.set_column(position, column.name, widened)
    return batch.to_pandas()


class SuiteEvaluator(Protocol):
    """What runs the suites on one range of rows: Great Expectations or the Arrow engine."""

    suites: dict[str, SuiteSpec]

    def batch(self, table: str, rows: pa.Table, derived: dict[str, pa.Array] | None) -> Any:
        """Return the batch the table's suite runs on, from its rows and derived columns."""

    def run(
        self, table: str, batch: Any, key_at: Callable[[int], str], *, wide: bool | None = None
    ) -> list[Tally]:
        """Run the table's expectations that read wide columns, or the others, or all."""


class SuiteRunner:
    """The suites as Great Expectations suites, and the one batch definition they run on.

    ``engine`` picks Great Expectations' execution engine: batches are ``pandas.DataFrame``
    on ``pandas``, ``pyspark.sql.DataFrame`` of the active Spark session on ``spark``.
    """

    def __init__(self, suites: dict[str, SuiteSpec], engine: SuiteEngine = "pandas") -> None:
        _quiet_gx()
        import great_expectations as gx
        from great_expectations.data_context.types.base import (
            DataContextConfig,
            InMemoryStoreBackendDefaults,
            ProgressBarsConfig,
        )

        config = DataContextConfig(
            analytics_enabled=False,
            progress_bars=ProgressBarsConfig(globally=False, metric_calculations=False),
            store_backend_defaults=InMemoryStoreBackendDefaults(init_temp_docs_sites=False),
        )
        context = gx.get_context(mode="ephemeral", project_config=config)
        sources = context.data_sources
        spark = engine == "spark"
        source = (
            sources.add_spark("dispatch_corpus") if spark else sources.add_pandas("dispatch_corpus")
        )
        # One dataframe asset serves every suite: each run passes its frame. Suites are not
        # added to the context and results are not stored in it: every addition re-serialises
        # the whole context configuration, which made set-up grow with the number of groups.
        self._batches = source.add_dataframe_asset("rows").add_batch_definition_whole_dataframe(
            "rows"
        )
        self.suites = suites
        self._groups: dict[str, list[tuple[list[str], bool, Any]]] = {}
        for table, spec in suites.items():
            self._groups[table] = []
            groups = {(): list(spec.expectations)} if spark else _column_groups(spec)
            groups = {names: group for names, group in groups.items() if group}
            for number, (names, group) in enumerate(groups.items()):
                expectations = [
                    {"type": e.type, "kwargs": e.kwargs, "meta": {"check": e.check}} for e in group
                ]
                suite = gx.ExpectationSuite(f"{table}-{number}", expectations=expectations)
                self._groups[table].append((list(names), _is_wide(group[0]), suite))

    def batch(self, table: str, rows: pa.Table, derived: dict[str, pa.Array] | None) -> Any:
        """Return the pandas batch of one table's rows (``batch_frame``)."""
        return batch_frame(rows, self.suites[table], derived)

    def run(
        self,
        table: str,
        frame: Any,
        key_at: Callable[[int], str],
        *,
        wide: bool | None = None,
        rows: int | None = None,
    ) -> list[Tally]:
        """Run the expectations of one table's suite that read wide columns, or the others.

        On pandas, expectations reading the same columns run together on a batch narrowed
        to those columns, so Great Expectations never copies columns it does not read. On
        Spark, which reads only the columns a query needs, the whole suite runs at once.

        Args:
            table: The table.
            frame: Its batch, from ``batch_frame`` (a Spark DataFrame on ``spark``).
            key_at: Readable key of a row from its position in the batch (Spark results
                carry no positions: their samples are the unexpected values).
            wide: Run the expectations on ``WIDE_COLUMNS`` (True), all the others (False),
                or every expectation (None).
            rows: Rows in the batch (default ``len(frame)``; Spark DataFrames have none).

        Returns:
            One tally per expectation run, in suite order.
        """
        chosen = [
            (names, suite)
            for names, is_wide, suite in self._groups[table]
            if wide is None or is_wide is wide
        ]
        tallies = {
            e.check: empty_tally(table, e)
            for e in self.suites[table].expectations
            if runs_in(e, wide)
        }
        count = len(frame) if rows is None else rows
        # An empty batch is not run, as the Arrow engine adds nothing for one: both engines' tallies
        # must agree.
        if count == 0:
            return list(tallies.values())
        for names, suite in chosen:
            batch = self._batches.get_batch(
                batch_parameters={"dataframe": frame[names] if names else frame}
            )
            result = batch.validate(
                suite,
                result_format={
                    # SUMMARY: the counts and the first unexpected rows; COMPLETE would list every
                    # one.
                    "result_format": "SUMMARY",
                    "partial_unexpected_count": SAMPLE_LIMIT,
                },
            )
            for item in result.results:
                tally = tallies[item.expectation_config.meta["check"]]
                _add_result(tally, item, key_at, count)
        return list(tallies.values())


def _column_groups(suite: SuiteSpec) -> dict[tuple[str, ...], list[ExpectationSpec]]:
    """Group a suite's expectations by the columns they read (row counts read ``doc_id``)."""
    groups: dict[tuple[str, ...], list[ExpectationSpec]] = {}
    for spec in suite.expectations:
        names = tuple(dict.fromkeys(columns_of(spec.kwargs))) or ("doc_id",)
        groups.setdefault(names, []).append(spec)
    return groups


def _is_wide(spec: ExpectationSpec) -> bool:
    return any(name in WIDE_COLUMNS for name in columns_of(spec.kwargs))


def runs_in(spec: ExpectationSpec, wide: bool | None) -> bool:
    """Whether an expectation runs in a pass over wide (True), other (False) or all columns."""
    return wide is None or _is_wide(spec) is wide


def columns_of(kwargs: dict[str, Any]) -> list[str]:
    """Return the columns an expectation's kwargs name, in order (derived ones included)."""
    named = [str(kwargs[k]) for k in _COLUMN_KWARGS if k in kwargs]
    return named + [str(c) for c in kwargs.get("column_list", [])]


def empty_tally(table: str, spec: ExpectationSpec) -> Tally:
    """Return the tally of an expectation before any range is added."""
    return Tally(check=spec.check, table=table, kind="expectation", description=spec.type)


def add_unexpected(
    tally: Tally,
    counts: tuple[int, int, int],
    keys: list[str],
    values: list[Any] | None = None,
) -> None:
    """Add one range's result of a column-map expectation to its tally.

    Args:
        tally: The expectation's tally.
        counts: Rows checked, rows unexpected, rows left out as missing.
        keys: Readable keys of the first unexpected rows (empty when not known).
        values: Their values (or all values, when no key is known); None when not known.
    """
    elements, unexpected, missing = counts
    shown_values = [_plain(value) for value in values or []]
    if keys and len(shown_values) == len(keys):
        pairs = list(zip(keys, shown_values, strict=True))
        samples = [f"{key} = {quoted(value)}" for key, value in pairs]
        findings: list[dict[str, Any]] = [{"row": k, "actual": shown(v)} for k, v in pairs]
    elif keys:
        samples, findings = keys, [{"row": key} for key in keys]
    else:
        samples = [quoted(value) for value in shown_values]
        findings = [{"actual": shown(value)} for value in shown_values]
    tally.add(elements, unexpected, samples, findings)
    tally.missing_count += missing


def _plain(value: Any) -> Any:
    """A value with numpy scalars (in Great Expectations' pairs and rows) made Python's."""
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, tuple | list):
        return type(value)(_plain(item) for item in value)
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    return value


def _add_result(tally: Tally, item: Any, key_at: Callable[[int], str], rows: int) -> None:
    errors = _exception_messages(item.exception_info or {})
    if errors:
        tally.errors += errors
        tally.failed_units += 1
        return
    found = item.result or {}
    if not item.success:
        tally.failed_units += 1
    # A row-count expectation: its result is the observed count, with no element counts.
    if "observed_value" in found and "element_count" not in found:
        tally.observed += int(found["observed_value"])
        tally.add(rows, 0)
        return
    indexes = [i for i in found.get("partial_unexpected_index_list") or [] if isinstance(i, int)]
    counts = (
        int(found.get("element_count", rows)),
        int(found.get("unexpected_count", 0)),
        int(found.get("missing_count") or 0),
    )
    values = list(found.get("partial_unexpected_list") or [])
    add_unexpected(tally, counts, [key_at(i) for i in indexes], values)


def _exception_messages(info: dict[str, Any]) -> list[str]:
    """First lines of the exceptions a result carries.

    Great Expectations reports an exception of the expectation itself flat, and one raised
    while computing a metric keyed by that metric, with an empty result: the second must
    fail the check too, not pass it as zero unexpected rows.
    """
    entries = [info, *(value for value in info.values() if isinstance(value, dict))]
    return [
        (str(entry.get("exception_message") or "").splitlines() or ["exception"])[0]
        for entry in entries
        if entry.get("raised_exception")
    ]


def expectation_result(spec: ExpectationSpec, tally: Tally) -> CheckResult:
    """Return the dataset-wide verdict of one expectation from its tally over all units.

    Args:
        spec: The expectation as checked in.
        tally: Its unit results added up.

    Returns:
        The verdict: ``mostly`` applied to the totals for column-map expectations, bounds
        applied to the total row count for row-count expectations.
    """
    kwargs = spec.kwargs
    details: dict[str, Any] = {
        "expectation_type": spec.type,
        "kwargs": kwargs,
        "expected": expected_text(spec),
    }
    if spec.notes:
        details["notes"] = spec.notes
    if spec.type in ROW_COUNT_EXPECTATIONS:
        observed = tally.observed
        details["observed_value"] = observed
        details["actual"] = counted(observed, "row")
        if spec.type == "expect_table_row_count_to_equal":
            success = observed == kwargs.get("value")
        else:
            low, high = kwargs.get("min_value"), kwargs.get("max_value")
            success = (low is None or observed >= low) and (high is None or observed <= high)
        unexpected = 0 if success else 1
    else:
        checked = tally.element_count - tally.missing_count
        unexpected = tally.unexpected_count
        mostly = kwargs.get("mostly")
        # An error is reported however few the rows: skipping would hide it.
        details["checked"] = checked
        if checked < spec.min_rows and not tally.errors:
            details["skipped"] = (
                f"{counted(checked, 'row')}, fewer than the {count(spec.min_rows)} a share needs"
            )
            return CheckResult(
                check=spec.check,
                table=tally.table,
                kind="expectation",
                description=spec.notes or spec.type,
                success=True,
                unexpected_count=unexpected,
                element_count=tally.element_count,
                details=details,
                skipped=True,
            )
        details["actual"] = f"{count(unexpected)} of {counted(checked, 'value')} fail"
        if mostly is None:
            success = unexpected == 0
        else:
            # Nothing to judge passes, as Great Expectations judges a batch with no value.
            share = (checked - unexpected) / checked if checked else 1.0
            details["expected_share"] = round(share, 6)
            details["observed_share"] = round(share, 6)
            details["actual"] += f" ({percent(share)} pass)"
            success = share >= float(mostly)
        if tally.findings:
            details["failures"] = tally.findings
    if tally.errors:
        details["errors"] = tally.errors
        success = False
    return CheckResult(
        check=spec.check,
        table=tally.table,
        kind="expectation",
        description=spec.notes or f"{spec.type}({', '.join(columns_of(kwargs))})",
        success=success,
        unexpected_count=unexpected,
        element_count=tally.element_count,
        samples=tuple(tally.samples),
        details=details,
    )


def expected_text(spec: ExpectationSpec) -> str:
    """Return what an expectation wants, in words: ``role: in [0, 1, 2]``, ``row count >= 1``."""
    kwargs = spec.kwargs
    if spec.type in ROW_COUNT_EXPECTATIONS:
        if "value" in kwargs:
            return f"row count = {kwargs['value']}"
        return f"row count {_bounds(kwargs)}"
    first, second = (kwargs.get(k) for k in ("column_A", "column_B"))
    rules = {
        "expect_column_values_to_not_be_null": "not null",
        "expect_column_values_to_be_unique": "unique",
        "expect_compound_columns_to_be_unique": "unique together",
        "expect_column_values_to_be_in_set": f"in {shown(kwargs.get('value_set'))}",
        "expect_column_values_to_not_be_in_set": f"not in {shown(kwargs.get('value_set'))}",
        "expect_column_values_to_match_regex": f"matching {shown(kwargs.get('regex'))}",
        "expect_column_values_to_not_match_regex": f"not matching {shown(kwargs.get('regex'))}",
        "expect_column_value_lengths_to_be_between": f"of length {_bounds(kwargs)}",
        "expect_column_value_lengths_to_equal": f"of length {shown(kwargs.get('value'))}",
        "expect_column_values_to_be_between": _bounds(kwargs),
        "expect_column_pair_values_a_to_be_greater_than_b": (
            f"{first} {'>=' if kwargs.get('or_equal') else '>'} {second}"
        ),
    }
    subject = ", ".join(columns_of(kwargs))
    text = f"{subject}: {rules.get(spec.type, spec.type)}"
    mostly = kwargs.get("mostly")
    return text + (f", in at least {percent(mostly)} of values" if mostly is not None else "")


def _bounds(kwargs: dict[str, Any]) -> str:
    parts = []
    if kwargs.get("min_value") is not None:
        parts.append(f"{'>' if kwargs.get('strict_min') else '>='} {shown(kwargs['min_value'])}")
    if kwargs.get("max_value") is not None:
        parts.append(f"{'<' if kwargs.get('strict_max') else '<='} {shown(kwargs['max_value'])}")
    return " and ".join(parts) or "any"
