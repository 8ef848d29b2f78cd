"""Model checks: every row checked against the Pydantic model the build writes it with."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from functools import cache
from typing import Any

import numpy as np
import pyarrow as pa
from pydantic import TypeAdapter, ValidationError

from dispatch_corpus.models import TABLE_MODELS, Record
from dispatch_corpus.schema import columns
from dispatch_corpus.utils.values import quoted, shown
from dispatch_corpus.validation.compiled_checks import DATE_DAYS, Rejection, rejections
from dispatch_corpus.validation.results import SAMPLE_LIMIT, Tally
from dispatch_corpus.validation.rows import PyTable

_VALUE_ERROR = "Value error, "
"""Pydantic's prefix to the message of a model's own rule, which says nothing more."""


@cache
def _adapter(table: str) -> TypeAdapter[list[Record]]:
    model: Any = TABLE_MODELS[table]
    return TypeAdapter(list[model])


def model_rows(rows: PyTable, start: int, stop: int) -> list[dict[str, Any]]:
    """Return rows ``start:stop`` as the mappings the model validates.

    ClassLabel indices become their class names; an index outside the names stays an
    integer, which the model rejects.
    """
    names: list[str] = []
    values: list[list[Any]] = []
    for col in columns(TABLE_MODELS[rows.name]):
        column = rows[col.name][start:stop]
        if col.kind == "class_label":
            labels = col.class_names
            column = [
                labels[v] if isinstance(v, int) and 0 <= v < len(labels) else v for v in column
            ]
        names.append(col.name)
        values.append(column)
    return [dict(zip(names, row, strict=True)) for row in zip(*values, strict=True)]


def model_check_description(table: str) -> str:
    """Return the description of the record check of ``table``."""
    return f"every row validates as dispatch_corpus.models.{TABLE_MODELS[table].__name__}"


def check_rows_with_model(rows: PyTable) -> Tally:
    """Check every row of one table against its Pydantic model.

    The model's constraints, compiled to Arrow compute (``compiled_checks``), find the rows
    it rejects; Pydantic then validates the first ``SAMPLE_LIMIT`` of them to say why, so the
    findings are the model's own messages.

    Args:
        rows: One table's rows in a unit.

    Returns:
        Rows checked, rows rejected, samples ``<key>: <field> = <value>: <message>``
        and findings (see ``error_finding``).
    """
    tally = Tally(
        check=f"{rows.name}.records",
        table=rows.name,
        kind="records",
        description=model_check_description(rows.name),
    )
    found = rejections(rows, TABLE_MODELS[rows.name])
    rejected = np.flatnonzero(np.logical_or.reduce([r.rows for r in found]))
    first = explain_rows(rows, rejected[:SAMPLE_LIMIT], found)
    tally.add(len(rows), len(rejected), [finding_line(f) for f in first], first)
    return tally


def explain_rows(rows: PyTable, where: np.ndarray, found: list[Rejection]) -> list[dict[str, Any]]:
    """Return the finding of each rejected row: the first error Pydantic gives for it.

    Args:
        rows: One table's rows.
        where: Positions of rejected rows, in order.
        found: The compiled checks' rejections, which name the check for a row Pydantic
            cannot be given (a date no Python ``date`` holds).

    Returns:
        One finding per row, in order.
    """
    part = rows.take(where)
    keys = [part.key(i) for i in range(len(part))]
    # A date outside Python's range cannot even be converted: the finding names it instead.
    findings: dict[int, dict[str, Any]] = {}
    for c in columns(TABLE_MODELS[rows.name]):
        if c.kind != "date32":
            continue
        for i, days in enumerate(part.array(c.name).cast(pa.int32()).to_pylist()):
            if i not in findings and days is not None and not DATE_DAYS[0] <= days <= DATE_DAYS[1]:
                findings[i] = {
                    "row": keys[i],
                    "column": c.name,
                    "actual": f"{days} days from 1970-01-01",
                    "expected": f"a date from {date.min.isoformat()} to {date.max.isoformat()}",
                }
    readable = [i for i in range(len(part)) if i not in findings]
    sub = part.take(np.array(readable, dtype=np.int64))
    try:
        _adapter(rows.name).validate_python(model_rows(sub, 0, len(sub)))
    except ValidationError as error:
        for item in error.errors(include_url=False, include_input=True):
            row, *place = item["loc"]
            # One finding per row: its first error.
            if isinstance(row, int) and readable[row] not in findings:
                findings[readable[row]] = error_finding(keys[readable[row]], place, item)
    for i in readable:
        if i not in findings:
            # The property test keeps this from happening; should a compiled check ever reject a
            # row the model accepts, the row is still reported, by the check that rejected it.
            names = [r.check for r in found if r.rows[where[i]]]
            findings[i] = {"row": keys[i], "error": f"rejected by {', '.join(names)}"}
    return [findings[i] for i in range(len(part))]


def error_finding(key: str, where: Sequence[object], item: Mapping[str, Any]) -> dict[str, Any]:
    """Return the finding of one Pydantic error: the row, the column and its value.

    Args:
        key: Readable key of the row (or ``line N``).
        where: The error's location inside the row (empty for a rule on the whole row).
        item: The error, from ``ValidationError.errors(include_input=True)``.

    Returns:
        ``{"row", "column", "actual", "expected"}`` for a field (``expected`` is the
        model's message), ``{"row", "error"}`` for a rule on the whole row (its message
        names the values).
    """
    message = str(item["msg"]).removeprefix(_VALUE_ERROR)
    if not where:
        return {"row": key, "error": message}
    return {
        "row": key,
        "column": ".".join(str(part) for part in where),
        "actual": shown(item.get("input")),
        "expected": message,
    }


def finding_line(finding: Mapping[str, Any]) -> str:
    """Return the one-line sample of a finding: key, column and value, then the message."""
    if "column" not in finding:
        return f"{finding['row']}: {finding['error']}"
    value = finding["actual"]
    return f"{finding['row']}: {finding['column']} = {quoted(value)}: {finding['expected']}"
