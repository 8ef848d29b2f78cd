"""Validate a dataset folder: plan units, run them over worker processes, add up, report."""

from __future__ import annotations

import multiprocessing
import os
import time
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dispatch_corpus.models import TABLE_MODELS
from dispatch_corpus.validation.cross import CROSS_CHECKS
from dispatch_corpus.validation.dataset import (
    DatasetFiles,
    Unit,
    UnitBudget,
    UnitReader,
    ValidationInputError,
    check_schemas,
    find_tables,
    plan_units,
)
from dispatch_corpus.validation.report import write_report
from dispatch_corpus.validation.results import CheckResult, Tally, ValidationReport, plain_result
from dispatch_corpus.validation.suites import (
    WIDE_COLUMNS,
    SuiteRunner,
    SuiteSpec,
    expectation_result,
    load_suites,
)
from dispatch_corpus.validation.unit import UnitOutcome, validate_narrow, validate_unit

DEFAULT_SUITES_DIR = Path(__file__).resolve().parents[3] / "schemas" / "expectations"
"""The checked-in suites of the source tree."""
DEFAULT_REPORT_DIR = Path("reports") / "validation"
"""Report folder, relative to the dataset folder, when none is given."""

_worker: dict[str, Any] = {}
"""The suite runner and unit reader of a worker process, set when it starts."""


def run_validation(
    dataset: Path,
    report_dir: Path | None = None,
    *,
    suites_dir: Path | None = None,
    workers: int | None = None,
    budget: UnitBudget | None = None,
) -> ValidationReport:
    """Validate a dataset folder and write ``results.json`` and ``index.html``.

    Args:
        dataset: A dataset folder with ``data/{documents,paragraphs,sections}/*.parquet``.
        report_dir: Where the report goes (default ``<dataset>/reports/validation``).
        suites_dir: Folder of the suite files (default ``schemas/expectations``).
        workers: Worker processes (default: one per core, at most one per unit).
        budget: Size of the units and parts rows are checked in (default ``UnitBudget()``).

    Returns:
        The report; ``report.success`` says whether every check passed.

    Raises:
        ValidationInputError: When the dataset or a suite cannot be read, or the report
            cannot be written.
    """
    started = time.perf_counter()
    files = find_tables(dataset)
    suites = load_suites(suites_dir or DEFAULT_SUITES_DIR)
    checks = [plain_result(t) for t in check_schemas(files)]
    units: list[Unit] = []
    rows = dict.fromkeys(TABLE_MODELS, 0)
    if all(c.success for c in checks):
        size = budget or UnitBudget()
        narrow = plan_units(
            files,
            (size.narrow_chars, size.narrow_documents),
            (size.narrow_chars, size.narrow_documents),
        )
        units = plan_units(
            files, (size.unit_chars, size.unit_documents), (size.part_chars, size.part_documents)
        )
        jobs = [_Job(True, unit) for unit in narrow] + [_Job(False, unit) for unit in units]
        outcomes = _run_jobs(files, jobs, suites, workers)
        for outcome in outcomes:
            for table, count in outcome.rows.items():
                rows[table] += count
        checks += _verdicts(outcomes, suites)
    report = ValidationReport(
        dataset=dataset,
        report_dir=report_dir or dataset / DEFAULT_REPORT_DIR,
        checks=tuple(sorted(checks, key=_result_order)),
        rows=rows,
        seconds=time.perf_counter() - started,
        units=len(units),
    )
    write_report(report)
    return report


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


def _result_order(result: CheckResult) -> tuple[int, int, int]:
    """Sort results by table, then kind (schema, records, suite, cross), then suite order."""
    cross = list(CROSS_CHECKS)
    return (
        list(TABLE_MODELS).index(result.table),
        ("schema", "records", "expectation", "cross").index(result.kind),
        cross.index(result.check) if result.check in cross else 0,
    )


@dataclass(frozen=True)
class _Job:
    narrow: bool
    unit: Unit


def _run_jobs(
    files: DatasetFiles, jobs: list[_Job], suites: dict[str, SuiteSpec], workers: int | None
) -> list[UnitOutcome]:
    count = min(workers or os.cpu_count() or 1, sum(1 for job in jobs if not job.narrow))
    if count <= 1:
        tools = _tools(files, suites)
        return [_run_job(job, tools) for job in jobs]
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    context = multiprocessing.get_context(method)
    try:
        with ProcessPoolExecutor(
            max_workers=count,
            mp_context=context,
            initializer=_start_worker,
            initargs=(files, suites),
        ) as pool:
            block = max(1, len(jobs) // (2 * count))
            return list(pool.map(_run_in_worker, jobs, chunksize=block))
    except BrokenProcessPool as error:
        raise ValidationInputError(f"a validation worker died: {error}") from error


def _tools(files: DatasetFiles, suites: dict[str, SuiteSpec]) -> dict[str, Any]:
    return {
        "runner": SuiteRunner(suites),
        "reader": UnitReader(files),
        "narrow": UnitReader(files, skip=WIDE_COLUMNS),
    }


def _start_worker(files: DatasetFiles, suites: dict[str, SuiteSpec]) -> None:
    _worker.update(_tools(files, suites))


def _run_in_worker(job: _Job) -> UnitOutcome:
    return _run_job(job, _worker)


def _run_job(job: _Job, tools: dict[str, Any]) -> UnitOutcome:
    if job.narrow:
        return validate_narrow(tools["narrow"], job.unit, tools["runner"])
    return validate_unit(tools["reader"], job.unit, tools["runner"])
