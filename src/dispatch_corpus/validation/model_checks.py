"""Model checks: every row validated by the Pydantic model the build writes it with."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import cache
from typing import Any

from pydantic import TypeAdapter, ValidationError

from dispatch_corpus.models import TABLE_MODELS, Record
from dispatch_corpus.schema import columns
from dispatch_corpus.utils.values import quoted, shown
from dispatch_corpus.validation.results import SAMPLE_LIMIT, Tally
from dispatch_corpus.validation.rows import PyTable

CHUNK_ROWS = 8192
"""Rows validated per call, bounding the model instances alive at once."""
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
    """Validate every row of one table with its Pydantic model.

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
    adapter = _adapter(rows.name)
    for start in range(0, len(rows), CHUNK_ROWS):
        stop = min(start + CHUNK_ROWS, len(rows))
        try:
            adapter.validate_python(model_rows(rows, start, stop))
        except ValidationError as error:
            bad: dict[int, dict[str, Any]] = {}
            for item in error.errors(include_url=False, include_input=True):
                row, *where = item["loc"]
                # One finding per row: its first error.
                if isinstance(row, int) and row not in bad:
                    bad[row] = error_finding(rows.key(start + row), where, item)
            first = list(bad.values())[:SAMPLE_LIMIT]
            tally.add(stop - start, len(bad), [finding_line(f) for f in first], first)
        else:
            tally.add(stop - start, 0)
    return tally


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
