"""Validation of a built dataset: record checks, expectation suites, cross-table checks, report.

``validate_command`` is what the command line calls; ``run_validation`` returns the report.
"""

from dispatch_corpus.validation.command import CommandOutcome, validate_command
from dispatch_corpus.validation.dataset import ValidationInputError
from dispatch_corpus.validation.report import format_report
from dispatch_corpus.validation.results import CheckResult, ValidationReport
from dispatch_corpus.validation.runner import run_validation

__all__ = [
    "CheckResult",
    "CommandOutcome",
    "ValidationInputError",
    "ValidationReport",
    "format_report",
    "run_validation",
    "validate_command",
]
