"""Validate a dataset folder: the same code as ``dispatch-corpus validate``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from dispatch_corpus.engines.spark import LOCAL_MASTER
from dispatch_corpus.validation import validate_command
from dispatch_corpus.validation.runner import VALIDATION_ENGINES


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Validate a built dataset or a release.")
    parser.add_argument("dataset", type=Path, help="dataset folder (a build or a release)")
    parser.add_argument("--report-dir", type=Path, help="default: DATASET/reports/validation")
    parser.add_argument("--suites", type=Path, help="default: schemas/expectations")
    parser.add_argument("--workers", type=int, help="worker processes (default: one per core)")
    parser.add_argument("--all", action="store_true", help="list passing checks too")
    parser.add_argument(
        "--engine",
        choices=VALIDATION_ENGINES,
        default="local",
        help="run the expectation suites with pandas (local) or on Spark; same verdicts",
    )
    parser.add_argument(
        "--spark-master",
        default=LOCAL_MASTER,
        help=f"Spark master URL for --engine spark (default {LOCAL_MASTER})",
    )
    args = parser.parse_args(argv)
    outcome = validate_command(
        args.dataset,
        args.report_dir,
        suites_dir=args.suites,
        workers=args.workers,
        every_check=args.all,
        engine=args.engine,
        spark_master=args.spark_master,
    )
    if outcome.stdout:
        print(outcome.stdout)
    if outcome.stderr:
        print(outcome.stderr, file=sys.stderr)
    return outcome.exit_code


if __name__ == "__main__":
    sys.exit(main())
