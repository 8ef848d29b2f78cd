"""What the ``validate`` command and ``scripts/validate.py`` print, and their exit code."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from dispatch_corpus.errors import EXIT_CANNOT_RUN, EXIT_OK, EXIT_REFUSED, CannotRunError
from dispatch_corpus.settings import LOCAL_MASTER, ValidationEngine
from dispatch_corpus.utils.numbers import count, counted
from dispatch_corpus.validation.report import format_report
from dispatch_corpus.validation.runner import run_validation


@dataclass(frozen=True)
class CommandOutcome:
    """Exit code, text for standard output and one line for standard error."""

    exit_code: int
    stdout: str = ""
    stderr: str = ""


def validate_command(
    dataset: Path,
    report_dir: Path | None = None,
    *,
    suites_dir: Path | None = None,
    workers: int | None = None,
    every_check: bool = False,
    engine: ValidationEngine = "local",
    spark_master: str = LOCAL_MASTER,
    on_progress: Callable[[int, int], object] | None = None,
) -> CommandOutcome:
    """Validate a dataset folder and say what the command prints and returns.

    Args:
        dataset: The dataset folder.
        report_dir: Where ``results.json`` and ``index.html`` go.
        suites_dir: Folder of the suite files (default: the checked-in ones).
        workers: Worker processes (default: one per core).
        every_check: List passing checks one by one in the table.
        engine: Run the expectation suites with Arrow compute (``local``), Great
            Expectations' pandas engine (``ge``) or its Spark engine (``spark``).
        spark_master: Spark master URL, for the spark engine.
        on_progress: Called with (ranges done, ranges in all) as validation goes.

    Returns:
        Exit code 0 when every check passes, 1 when one fails (then ``stderr`` is one line
        naming the report), 2 when validation cannot run (then ``stderr`` is one line and
        ``stdout`` is empty).
    """
    try:
        report = run_validation(
            dataset,
            report_dir,
            suites_dir=suites_dir,
            workers=workers,
            engine=engine,
            spark_master=spark_master,
            on_progress=on_progress,
        )
    except CannotRunError as error:
        return CommandOutcome(EXIT_CANNOT_RUN, stderr=f"dispatch-corpus validate: error: {error}")
    stdout = format_report(report, every_check=every_check)
    if report.success:
        return CommandOutcome(EXIT_OK, stdout=stdout)
    failed = f"{count(len(report.failures))} of {counted(len(report.checks), 'check')} failed"
    where = (
        f"see {report.report_dir / 'index.html'}"
        if report.report_dir is not None
        else "no report file written (pass --report-dir)"
    )
    line = f"dispatch-corpus validate: {failed}, {where}"
    return CommandOutcome(EXIT_REFUSED, stdout=stdout, stderr=line)
