"""Check results: per-unit tallies merged across units, and the final report."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dispatch_corpus.models import QuarantineRecord
from dispatch_corpus.utils.numbers import count

SAMPLE_LIMIT = 5
"""Sample keys (and findings) kept per check."""
GROUPS: dict[str, str] = {
    "schema": "schema",
    "records": "model constraints",
    "expectation": "expectation suite",
    "cross": "cross-table",
    "share": "share",
}
"""The groups of checks a report shows, in its order, with their headings."""


@dataclass(frozen=True)
class QuarantineSummary:
    """The valid lines of a build's quarantine report, in file order."""

    path: Path
    records: tuple[QuarantineRecord, ...]

    @property
    def by_reason(self) -> dict[str, int]:
        """Number of quarantined inputs per reason code, reasons sorted by name."""
        counts = Counter(r.reason_code.value for r in self.records)
        return dict(sorted(counts.items()))

    def line(self) -> str:
        """Return ``quarantined inputs: N (reason=count, ...)`` for the console."""
        reasons = ", ".join(f"{k}={count(v)}" for k, v in self.by_reason.items())
        total = count(len(self.records))
        return f"quarantined inputs: {total}" + (f" ({reasons})" if reasons else "")

    def as_dict(self) -> dict[str, Any]:
        """Return the ``quarantine`` object of ``results.json``."""
        return {
            "report": str(self.path),
            "total": len(self.records),
            "by_reason": self.by_reason,
            "inputs": [
                {
                    "source_path": r.source_path,
                    "doc_id": r.doc_id,
                    "stage": r.stage.value,
                    "reason_code": r.reason_code.value,
                    "message": r.message,
                }
                for r in self.records
            ],
        }


@dataclass
class Tally:
    """What one check found in one or more units of rows (merged across units)."""

    check: str
    table: str
    kind: str
    description: str
    element_count: int = 0
    unexpected_count: int = 0
    missing_count: int = 0
    observed: int = 0
    failed_units: int = 0
    samples: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    findings: list[dict[str, Any]] = field(default_factory=list)

    def add(
        self,
        elements: int,
        unexpected: int,
        samples: list[str] | None = None,
        findings: list[dict[str, Any]] | None = None,
    ) -> None:
        """Count ``elements`` checked, ``unexpected`` of them failing, with samples.

        Args:
            elements: Elements (rows, lines, shards) checked.
            unexpected: How many of them failed.
            samples: One line per failing element: its key, and the value when short.
            findings: One object per failing element: its key, the offending value
                (``actual``) and what the check wanted (``expected``), from ``shown``.
        """
        self.element_count += elements
        self.unexpected_count += unexpected
        for sample in samples or []:
            if len(self.samples) >= SAMPLE_LIMIT:
                break
            self.samples.append(sample)
        for finding in findings or []:
            if len(self.findings) >= SAMPLE_LIMIT:
                break
            self.findings.append(finding)

    def merge(self, other: Tally) -> None:
        """Add the counts, samples and errors of ``other`` (the same check) to this tally."""
        self.add(other.element_count, other.unexpected_count, other.samples, other.findings)
        self.missing_count += other.missing_count
        self.observed += other.observed
        self.failed_units += other.failed_units
        self.errors.extend(e for e in other.errors if e not in self.errors)


@dataclass(frozen=True)
class CheckResult:
    """The verdict of one check over the whole dataset."""

    check: str
    table: str
    kind: str
    description: str
    success: bool
    unexpected_count: int
    element_count: int
    samples: tuple[str, ...] = ()
    details: dict[str, Any] = field(default_factory=dict)
    skipped: bool = False

    @property
    def group(self) -> str:
        """A key of ``GROUPS``: the check's kind, or ``share`` for an expectation with ``mostly``.

        A share check passes when enough documents meet its bound, so some documents outside
        the bound are expected: it is read by its observed share, not by its unexpected count.
        """
        if self.kind == "expectation" and "mostly" in self.details.get("kwargs", {}):
            return "share"
        return self.kind

    @property
    def status(self) -> str:
        """``pass``, ``skip`` (too few rows to judge; counts as passed) or ``FAIL``."""
        if not self.success:
            return "FAIL"
        return "skip" if self.skipped else "pass"

    def as_dict(self) -> dict[str, Any]:
        """Return the JSON form of the result."""
        return {
            "check": self.check,
            "table": self.table,
            "kind": self.kind,
            "group": self.group,
            "description": self.description,
            "success": self.success,
            "status": self.status,
            "unexpected_count": self.unexpected_count,
            "element_count": self.element_count,
            "samples": list(self.samples),
            "details": self.details,
        }


def plain_result(tally: Tally) -> CheckResult:
    """Return the result of a check that passes when no element is unexpected."""
    success = tally.unexpected_count == 0 and not tally.errors
    details: dict[str, Any] = {"errors": tally.errors} if tally.errors else {}
    if tally.findings:
        details["failures"] = tally.findings
    return CheckResult(
        check=tally.check,
        table=tally.table,
        kind=tally.kind,
        description=tally.description,
        success=success,
        unexpected_count=tally.unexpected_count,
        element_count=tally.element_count,
        samples=tuple(tally.samples),
        details=details,
    )


@dataclass(frozen=True)
class ValidationReport:
    """Every check of one validation run, with where its report files were written."""

    dataset: Path
    report_dir: Path | None
    """None when no report file is written (the dataset is not a build)."""
    checks: tuple[CheckResult, ...]
    rows: dict[str, int]
    seconds: float
    units: int
    quarantine: QuarantineSummary | None = None

    @property
    def success(self) -> bool:
        """Whether every check passed."""
        return all(c.success for c in self.checks)

    @property
    def failures(self) -> tuple[CheckResult, ...]:
        """The checks that failed."""
        return tuple(c for c in self.checks if not c.success)

    def as_dict(self) -> dict[str, Any]:
        """Return the content of ``results.json``."""
        return {
            "dataset": str(self.dataset),
            "success": self.success,
            "rows": self.rows,
            "seconds": round(self.seconds, 3),
            "units": self.units,
            "checks": [c.as_dict() for c in self.checks],
            "failed_checks": [c.check for c in self.failures],
            "quarantine": self.quarantine.as_dict() if self.quarantine is not None else None,
        }


def not_run_result(
    check: str,
    table: str,
    kind: str,
    description: str,
    reason: str,
    kwargs: dict[str, Any] | None = None,
) -> CheckResult:
    """Return the result of a check that could not run on this dataset, and why.

    It reports ``skip``: a check that did not run neither passes nor fails, and the check
    that stopped it (a table's schema) fails on its own. An expectation keeps its ``kwargs``,
    so a share check not run is still shown as a share check, with its bound.
    """
    return CheckResult(
        check=check,
        table=table,
        kind=kind,
        description=description,
        success=True,
        unexpected_count=0,
        element_count=0,
        details={"not_run": reason, **({"kwargs": kwargs} if kwargs is not None else {})},
        skipped=True,
    )
