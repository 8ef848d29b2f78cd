"""Record checks: every row validated by the Pydantic model the build writes it with."""

from __future__ import annotations

from functools import cache
from typing import Any

from pydantic import TypeAdapter, ValidationError

from dispatch_corpus.models import TABLE_MODELS, Record
from dispatch_corpus.schema import columns
from dispatch_corpus.validation.results import SAMPLE_LIMIT, Tally
from dispatch_corpus.validation.rows import PyTable

CHUNK_ROWS = 8192
"""Rows validated per call, bounding the model instances alive at once."""


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


def check_records(rows: PyTable) -> Tally:
    """Validate every row of one table with its Pydantic model.

    Args:
        rows: One table's rows in a unit.

    Returns:
        Rows checked, rows rejected, and samples ``<key>: <field>: <message>``.
    """
    model = TABLE_MODELS[rows.name]
    tally = Tally(
        check=f"{rows.name}.records",
        table=rows.name,
        kind="records",
        description=f"every row validates as dispatch_corpus.models.{model.__name__}",
    )
    adapter = _adapter(rows.name)
    for start in range(0, len(rows), CHUNK_ROWS):
        stop = min(start + CHUNK_ROWS, len(rows))
        try:
            adapter.validate_python(model_rows(rows, start, stop))
        except ValidationError as error:
            bad: dict[int, str] = {}
            for item in error.errors(include_url=False, include_input=False):
                row, *where = item["loc"]
                if isinstance(row, int) and row not in bad:
                    field = ".".join(str(part) for part in where) or "row"
                    bad[row] = f"{field}: {item['msg']}"
            samples = [
                rows.key(start + r) + ": " + msg for r, msg in list(bad.items())[:SAMPLE_LIMIT]
            ]
            tally.add(stop - start, len(bad), samples)
        else:
            tally.add(stop - start, 0)
    return tally
