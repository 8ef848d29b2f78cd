"""The build's quarantine report: read, checked line by line, summed up by reason.

A build writes ``reports/quarantine.jsonl``, one ``QuarantineRecord`` per rejected input.
Quarantined inputs do not make validation fail; a line that is not a valid record does.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from dispatch_corpus.dataset.jsonfile import read_regular_file
from dispatch_corpus.dataset.layout import QUARANTINE_REPORT
from dispatch_corpus.errors import CannotRunError
from dispatch_corpus.models import QuarantineRecord
from dispatch_corpus.utils.jsontext import parse_json
from dispatch_corpus.validation.model_checks import error_finding, finding_line
from dispatch_corpus.validation.results import QuarantineSummary, Tally

QUARANTINE_TABLE = "quarantine"
"""Table name the quarantine check reports under."""


def read_quarantine(dataset: Path) -> tuple[QuarantineSummary, Tally] | None:
    """Read and check ``<dataset>/reports/quarantine.jsonl`` when it exists.

    Args:
        dataset: The dataset folder.

    Returns:
        None without a quarantine report; else its valid records and the tally of the
        ``quarantine.records`` check (lines checked, lines that are not valid records,
        each sampled with its line number and offending value). A report that cannot be
        read (not a regular file, unreadable, too large) fails the check.
    """
    path = dataset / QUARANTINE_REPORT
    if not os.path.lexists(path):
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
        lines = read_regular_file(path).splitlines()
    except CannotRunError as error:
        tally.errors.append(str(error))
        return QuarantineSummary(path, ()), tally
    for number, raw in enumerate(lines, start=1):
        finding = _line_finding(number, raw, records)
        if finding is None:
            tally.add(1, 0)
        else:
            tally.add(1, 1, [finding_line(finding)], [finding])
    return QuarantineSummary(path, tuple(records)), tally


def _line_finding(
    number: int, raw: bytes, records: list[QuarantineRecord]
) -> dict[str, Any] | None:
    """Append the line's record to ``records``, or return what is wrong with it."""
    key = f"line {number}"
    try:
        records.append(QuarantineRecord.model_validate(parse_json(raw)))
    except ValidationError as error:
        first = error.errors(include_url=False, include_input=True)[0]
        # An error on the whole record has an empty location: the finding names the line.
        return error_finding(key, first["loc"] or ("line",), first)
    except ValueError as error:
        return {"row": key, "error": str(error)}
    return None
