"""The build's quarantine report: read, checked line by line, summed up by reason.

A build writes ``reports/quarantine.jsonl``, one ``QuarantineRecord`` per rejected input.
Quarantined inputs do not make validation fail; a line that is not a valid record does.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from dispatch_corpus.buildrecord import QUARANTINE_REPORT
from dispatch_corpus.models import QuarantineRecord
from dispatch_corpus.validation.results import Tally

QUARANTINE_TABLE = "quarantine"
"""Table name the quarantine check reports under."""


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
        reasons = ", ".join(f"{k}={v}" for k, v in self.by_reason.items())
        return f"quarantined inputs: {len(self.records)}" + (f" ({reasons})" if reasons else "")

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


def read_quarantine(dataset: Path) -> tuple[QuarantineSummary, Tally] | None:
    """Read and check ``<dataset>/reports/quarantine.jsonl`` when it exists.

    Args:
        dataset: The dataset folder.

    Returns:
        None without a quarantine report; else its valid records and the tally of the
        ``quarantine.records`` check (lines checked, lines that are not valid records).
    """
    path = dataset / QUARANTINE_REPORT
    if not path.is_file():
        return None
    tally = Tally(
        check="quarantine.records",
        table=QUARANTINE_TABLE,
        kind="records",
        description="every line of reports/quarantine.jsonl validates as "
        "dispatch_corpus.models.QuarantineRecord",
    )
    records: list[QuarantineRecord] = []
    try:
        lines = path.read_bytes().splitlines()
    except OSError as error:
        tally.errors.append(f"cannot read {path}: {error}")
        return QuarantineSummary(path, ()), tally
    for number, raw in enumerate(lines, start=1):
        problem = None
        try:
            records.append(QuarantineRecord.model_validate(json.loads(raw)))
        except ValidationError as error:
            first = error.errors(include_url=False, include_input=False)[0]
            field = ".".join(str(part) for part in first["loc"]) or "line"
            problem = f"{field}: {first['msg']}"
        except ValueError as error:  # JSONDecodeError and UnicodeDecodeError
            problem = f"not JSON: {str(error).splitlines()[0]}"
        tally.add(
            1, 0 if problem is None else 1, [] if problem is None else [f"line {number}: {problem}"]
        )
    return QuarantineSummary(path, tuple(records)), tally
