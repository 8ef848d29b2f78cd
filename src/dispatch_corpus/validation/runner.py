"""Validate a dataset folder: plan units, run them over worker processes, add up, report."""

from __future__ import annotations

import multiprocessing
import os
import queue
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from importlib.resources import files
from importlib.resources.abc import Traversable
from itertools import pairwise
from pathlib import Path
from typing import Any

import pyarrow as pa

from dispatch_corpus.dataset.buildrecord import read_build_record
from dispatch_corpus.dataset.folders import check_report_dir
from dispatch_corpus.models import TABLE_MODELS
from dispatch_corpus.settings import DEFAULT_REPORT_DIR, LOCAL_MASTER, ValidationEngine
from dispatch_corpus.validation.arrow_suites import ArrowSuiteRunner
from dispatch_corpus.validation.coverage import plan_checks
from dispatch_corpus.validation.cross import CROSS_CHECKS
from dispatch_corpus.validation.dataset import (
    DatasetFiles,
    Unit,
    UnitBudget,
    UnitReader,
    ValidationInputError,
    check_schemas,
    find_tables,
    footer_rows,
    plan_units,
)
from dispatch_corpus.validation.quarantine import QUARANTINE_TABLE, read_quarantine
from dispatch_corpus.validation.report import write_report
from dispatch_corpus.validation.results import CheckResult, Tally, ValidationReport, plain_result
from dispatch_corpus.validation.splits import SPLIT_CHECKS, check_splits
from dispatch_corpus.validation.suites import (
    WIDE_COLUMNS,
    SuiteEvaluator,
    SuiteRunner,
    SuiteSpec,
    expectation_result,
    load_suites,
)
from dispatch_corpus.validation.unit import (
    DEFERRED_UTF8,
    UnitOutcome,
    validate_narrow,
    validate_unit,
)

DEFAULT_SUITES_DIR: Traversable = files("dispatch_corpus.validation") / "expectation_suites"
"""The suites shipped in the package: byte copies of the checked-in ``schemas/expectations``."""

_worker: dict[str, Any] = {}
"""The suite runner and unit reader of a worker process, set when it starts."""


def run_validation(
    dataset: Path,
    report_dir: Path | None = None,
    *,
    suites_dir: Traversable | None = None,
    workers: int | None = None,
    budget: UnitBudget | None = None,
    engine: ValidationEngine = "local",
    spark_master: str = LOCAL_MASTER,
    on_progress: Callable[[int, int], object] | None = None,
) -> ValidationReport:
    """Validate a dataset folder and write ``results.json`` and ``index.html``.

    Args:
        dataset: A dataset folder with ``data/{documents,paragraphs,sections}/*.parquet``.
        report_dir: Where the report goes (default: ``<dataset>/reports/validation`` for a
            build, no report file for any other folder; see ``report_folder``).
        suites_dir: Folder of the suite files (default: the suites shipped in the package,
            ``DEFAULT_SUITES_DIR``).
        workers: Worker processes (default: one per core, at most one per unit).
        budget: Size of the units and parts rows are checked in (default ``UnitBudget()``).
        engine: ``local`` evaluates the suites with Arrow compute (``arrow_suites``, no
            Great Expectations), ``ge`` runs them with Great Expectations' pandas engine,
            both range by range, in-process or in worker processes; ``spark`` runs them with
            Great Expectations' Spark engine over whole tables. Record and cross-table
            checks run locally either way, and every engine gives the same verdicts and
            counts.
        spark_master: Spark master URL, for the spark engine.
        on_progress: Called with (ranges done, ranges in all) as ranges of rows finish.

    Returns:
        The report; ``report.success`` says whether every check passed. A table whose
        schema differs fails its schema check; every check whose columns can still be
        read runs, and the others are reported as not run (``coverage.plan_checks``).

    Raises:
        ValidationInputError: When the dataset or a suite cannot be read (a shard that is
            not Parquet, a string that is not UTF-8, doc_id statistics that do not match
            the rows), or the report cannot be written.
        OutputPathError: When the report folder is refused.
        SparkEngineError: When the spark engine cannot start (no pyspark, no Java).
    """
    started = time.perf_counter()
    files = find_tables(dataset)
    report_dir = report_folder(dataset, report_dir)
    suites = load_suites(suites_dir or DEFAULT_SUITES_DIR, engine)
    schema = check_schemas(files)
    checks = [plain_result(t) for t in schema.tallies]
    quarantine = read_quarantine(dataset)
    if quarantine is not None:
        checks.append(plain_result(quarantine[1]))
    runnable, not_run = plan_checks(suites, schema)
    checks += not_run
    units: list[Unit] = []
    rows = dict.fromkeys(TABLE_MODELS, 0)
    if any(schema.usable.values()):
        size = budget or UnitBudget()
        usable = schema.usable
        # Narrow ranges need no parts: only the record and cross checks hold rows as Python objects.
        narrow = plan_units(
            files,
            (size.narrow_chars, size.narrow_documents),
            (size.narrow_chars, size.narrow_documents),
            usable,
        )
        units = plan_units(
            files,
            (size.unit_chars, size.unit_documents),
            (size.part_chars, size.part_documents),
            usable,
        )
        spark = engine == "spark"
        # On Spark the suites run over whole tables instead; the record and cross checks still run
        # unit by unit.
        narrow_units = [] if spark else narrow
        total = len(narrow_units) + len(units) + (1 if spark else 0)
        outcomes = _run_jobs(
            files,
            (narrow_units, units),
            _WorkerSetup(None if spark else runnable, usable, engine),
            workers,
            lambda done: on_progress(done, total) if on_progress else None,
        )
        if spark:
            from dispatch_corpus.validation.spark_suites import run_spark_suites

            tallies = run_spark_suites(files, runnable, spark_master, usable)
            outcomes.append(UnitOutcome(tuple(tallies), {}))
            if on_progress is not None:
                on_progress(total, total)
        for outcome in outcomes:
            for table, count in outcome.rows.items():
                rows[table] += count
        checks += _verdicts(outcomes, suites)
        checks += [plain_result(t) for t in check_splits(files, usable)]
    for table in TABLE_MODELS:
        stored = footer_rows(files, table)
        if not schema.usable[table]:
            # A table no check can read is counted from its footers.
            rows[table] = stored
        elif rows[table] != stored:
            # Units skip row groups by their doc_id statistics: statistics that lie would
            # leave rows unchecked, so the rows read must be every row stored.
            raise ValidationInputError(
                f"{table}: {stored} rows stored but {rows[table]} read by doc_id range; "
                "the shards' doc_id statistics do not match their rows"
            )
    report = ValidationReport(
        dataset=dataset,
        report_dir=report_dir,
        checks=_sorted_results(checks, suites),
        rows=rows,
        seconds=time.perf_counter() - started,
        units=len(units),
        quarantine=quarantine[0] if quarantine is not None else None,
    )
    write_report(report)
    return report


def report_folder(dataset: Path, report_dir: Path | None) -> Path | None:
    """Return where the report of ``dataset`` goes, refusing a folder it must not go to.

    A build's report goes to ``<build>/reports/validation`` by default; any other dataset
    (a release, which is read-only) gets no report file unless ``report_dir`` is given.

    Args:
        dataset: The dataset folder validated.
        report_dir: The folder asked for, if any.

    Returns:
        The report folder, or None when no report file is written.

    Raises:
        OutputPathError: When the folder is refused (``folders.check_report_dir``).
    """
    record = read_build_record(dataset)
    if report_dir is None:
        if record is None:
            return None
        report_dir = dataset / DEFAULT_REPORT_DIR
    check_report_dir(report_dir, record.corpus if record is not None else None)
    return report_dir


def _verdicts(outcomes: list[UnitOutcome], suites: dict[str, SuiteSpec]) -> list[CheckResult]:
    merged: dict[str, Tally] = {}
    for outcome in outcomes:
        for tally in outcome.tallies:
            if tally.check in merged:
                merged[tally.check].merge(tally)
            else:
                merged[tally.check] = tally
    specs = {e.check: e for suite in suites.values() for e in suite.expectations}
    results = []
    for name, tally in merged.items():
        if name in specs:
            results.append(expectation_result(specs[name], tally))
        else:
            results.append(plain_result(tally))
    return results


def _sorted_results(
    results: list[CheckResult], suites: dict[str, SuiteSpec]
) -> tuple[CheckResult, ...]:
    """Sort results by table (quarantine last), then kind, then suite or cross-check order."""
    tables = [*TABLE_MODELS, QUARANTINE_TABLE]
    kinds = ("schema", "records", "expectation", "cross")
    position = {name: i for i, name in enumerate([*CROSS_CHECKS, *SPLIT_CHECKS])}
    for suite in suites.values():
        position |= {e.check: i for i, e in enumerate(suite.expectations)}
    return tuple(
        sorted(
            results,
            key=lambda r: (tables.index(r.table), kinds.index(r.kind), position.get(r.check, 0)),
        )
    )


@dataclass(frozen=True)
class _WorkerSetup:
    """What a worker needs to build its tools: suites (None: on Spark), columns, engine."""

    suites: dict[str, SuiteSpec] | None
    usable: dict[str, frozenset[str]]
    engine: ValidationEngine


def _run_jobs(
    files: DatasetFiles,
    ranges: tuple[list[Unit], list[Unit]],
    setup: _WorkerSetup,
    workers: int | None,
    done: Callable[[int], object],
) -> list[UnitOutcome]:
    """Validate the narrow ranges, then the units; outcomes come in that order."""
    narrow, units = ranges
    # At most one worker per unit: a worker beyond that would only start and build its tools.
    count = min(workers or os.cpu_count() or 1, len(units))
    outcomes: list[UnitOutcome] = []
    reported = 0

    def tick() -> None:
        nonlocal reported
        reported += 1
        done(reported)

    def run_narrow(built: dict[str, Any]) -> None:
        for unit in narrow:
            outcomes.append(validate_narrow(built["narrow"], unit, built["runner"]))
            tick()

    # One worker runs in this process: a pool would add its start-up and nothing else.
    if count <= 1:
        built = _tools(files, setup)
        run_narrow(built)
        outcomes.extend(_run_block(tuple(units), built, tick))
        return outcomes
    # fork where the platform has it: workers inherit the imported modules instead of importing
    # pyarrow and the suites again.
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    context = multiprocessing.get_context(method)
    # Workers say when each unit is done: a block's outcomes come back only when it ends.
    progress = context.Queue()
    try:
        with ProcessPoolExecutor(
            max_workers=count,
            mp_context=context,
            initializer=_start_worker,
            initargs=(files, setup, progress),
        ) as pool:
            # One contiguous block of units per worker: each row group is then decoded by one
            # worker (two at a block's edge). Units dealt out one at a time had every worker
            # decode nearly every row group: a documents row group spans a dozen units.
            blocks = [pool.submit(_run_in_worker, block) for block in _blocks(units, count)]
            # The narrow ranges (small columns, a fraction of the work) run here meanwhile, so
            # no worker's block waits for them.
            if narrow:
                run_narrow(_tools(files, setup))
            while reported < len(narrow) + len(units):
                try:
                    progress.get(timeout=0.2)
                except queue.Empty:
                    # A failed block reports no more units: its error is raised below.
                    if any(block.done() and block.exception() for block in blocks):
                        break
                    continue
                tick()
            for block in blocks:
                outcomes += block.result()
    except BrokenProcessPool as error:
        raise ValidationInputError(f"a validation worker died: {error}") from error
    finally:
        progress.close()
    return outcomes


def _blocks(units: list[Unit], count: int) -> list[tuple[Unit, ...]]:
    """Cut ``units`` into ``count`` contiguous blocks of as equal a number of units as can be."""
    bounds = [len(units) * i // count for i in range(count + 1)]
    return [tuple(units[a:b]) for a, b in pairwise(bounds)]


def _tools(files: DatasetFiles, setup: _WorkerSetup) -> dict[str, Any]:
    """The suite runner (None when the suites run on Spark) and the unit readers."""
    return {
        "runner": _suite_runner(setup),
        "reader": UnitReader(files, usable=setup.usable, defer_utf8=DEFERRED_UTF8),
        "narrow": UnitReader(files, skip=WIDE_COLUMNS, usable=setup.usable),
    }


def _suite_runner(setup: _WorkerSetup) -> SuiteEvaluator | None:
    """The Arrow engine for ``local``; Great Expectations' pandas engine for ``ge``."""
    if setup.suites is None:
        return None
    if setup.engine == "ge":
        return SuiteRunner(setup.suites)
    return ArrowSuiteRunner(setup.suites)


def _start_worker(files: DatasetFiles, setup: _WorkerSetup, progress: Any) -> None:
    _worker.update(_tools(files, setup))
    _worker["progress"] = progress


def _run_in_worker(units: tuple[Unit, ...]) -> list[UnitOutcome]:
    return _run_block(units, _worker, lambda: _worker["progress"].put(1))


def _run_block(
    units: tuple[Unit, ...], tools: dict[str, Any], each: Callable[[], object] = lambda: None
) -> list[UnitOutcome]:
    outcomes = []
    for unit in units:
        outcomes.append(validate_unit(tools["reader"], unit, tools["runner"]))
        each()
    # The freed Arrow memory goes back to the system once a block is done, not after each unit:
    # the next unit reuses it (units are bounded by the budget), where handing it back and
    # faulting it in again cost about a second of system time on 1M paragraph rows.
    pa.default_memory_pool().release_unused()
    return outcomes
