"""Python views of Arrow columns, converted once and shared by the record and cross checks."""

from __future__ import annotations

from typing import Any

import pyarrow as pa

from dispatch_corpus.models import TABLE_KEYS, paragraph_id, section_id
from dispatch_corpus.utils.values import printable


class PyTable:
    """One table's rows in a unit, with each column converted to a Python list on first use."""

    def __init__(self, name: str, table: pa.Table) -> None:
        self.name = name
        self.arrow = table
        self._columns: dict[str, list[Any]] = {}

    def __len__(self) -> int:
        return int(self.arrow.num_rows)

    def __getitem__(self, column: str) -> list[Any]:
        """Return the values of ``column`` as Python objects (converted once)."""
        if column not in self._columns:
            self._columns[column] = self.arrow.column(column).to_pylist()
        return self._columns[column]

    def key(self, row: int) -> str:
        """Return a readable key of one row: ``doc_id``, ``<doc_id>/p0003`` or ``/s0003``."""
        return row_key(self.name, *(self[c][row] for c in TABLE_KEYS[self.name]))


def row_key(table: str, doc_id: object, index: object = None) -> str:
    """Return the readable key of a row from its primary-key values.

    Control characters of a doc_id are escaped: keys are printed on the console.
    """
    doc = printable(doc_id) if isinstance(doc_id, str) else repr(doc_id)
    if table == "documents":
        return doc
    if not isinstance(index, int):
        return f"{doc}/{table[0]}{index!r}"
    return paragraph_id(doc, index) if table == "paragraphs" else section_id(doc, index)
