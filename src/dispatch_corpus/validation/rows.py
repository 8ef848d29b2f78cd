"""One table's rows in a unit as Arrow arrays and Python lists, shared by record and cross checks.

The checks read columns as Arrow arrays and derive code-point lengths and text digests
once per table; only the rows that fail are converted to Python objects (to be explained).
A column converted to a Python list is the table's value from then on: a caller that edits
the list (tests plant defects that way) is read back by every later check.
"""

from __future__ import annotations

import hashlib
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from dispatch_corpus.models import TABLE_KEYS, paragraph_id, section_id
from dispatch_corpus.utils.values import printable


class PyTable:
    """One table's rows in a unit: Arrow columns, Python lists on demand, derived arrays."""

    def __init__(self, name: str, table: pa.Table) -> None:
        self.name = name
        self.arrow = table
        self._columns: dict[str, list[Any]] = {}
        self._arrays: dict[str, pa.Array] = {}
        self._derived: dict[tuple[str, str], Any] = {}

    def __len__(self) -> int:
        return int(self.arrow.num_rows)

    def __getitem__(self, column: str) -> list[Any]:
        """Return the values of ``column`` as Python objects (converted once)."""
        if column not in self._columns:
            self._columns[column] = self.arrow.column(column).to_pylist()
        return self._columns[column]

    def has(self, column: str) -> bool:
        """Whether the table holds ``column``."""
        return column in self.arrow.column_names

    def array(self, column: str) -> pa.Array:
        """Return ``column`` as one Arrow array: its Python list when converted, else as stored."""
        if column in self._columns:
            return pa.array(self._columns[column], type=self.arrow.schema.field(column).type)
        if column not in self._arrays:
            stored = self.arrow.column(column)
            # One chunk (a unit inside one row group, as most are) is used as it is: combining
            # copies it.
            single = stored.num_chunks == 1
            self._arrays[column] = stored.chunk(0) if single else stored.combine_chunks()
        return self._arrays[column]

    def take(self, rows: np.ndarray) -> PyTable:
        """Return the table of the given rows (positions), with any edited column as edited."""
        indices = pa.array(rows, type=pa.int64())
        taken = {c: self.array(c).take(indices) for c in self.arrow.column_names}
        return PyTable(self.name, pa.table(taken, schema=self.arrow.schema))

    def lengths(self, column: str) -> np.ndarray:
        """Return the length in code points of each string of ``column`` (-1 for null)."""
        return np.asarray(self._cached(column, "lengths", self._lengths))

    def digests(self, column: str) -> pa.Array:
        """Return the hex sha256 of the UTF-8 bytes of each string of ``column`` (null for null)."""
        return self._cached(column, "sha256", self._digests)

    def key(self, row: int) -> str:
        """Return a readable key of one row: ``doc_id``, ``<doc_id>/p0003`` or ``/s0003``."""
        values = (self.array(c)[row].as_py() for c in TABLE_KEYS[self.name])
        return row_key(self.name, *values)

    def keys(self, rows: np.ndarray) -> list[str]:
        """Return the readable keys of the given rows (positions)."""
        part = self.take(rows)
        return [part.key(i) for i in range(len(part))]

    def _cached(self, column: str, what: str, make: Any) -> Any:
        # An edited column is read afresh each time: its list may change between checks.
        if column in self._columns:
            return make(column)
        if (column, what) not in self._derived:
            self._derived[(column, what)] = make(column)
        return self._derived[(column, what)]

    def _lengths(self, column: str) -> np.ndarray:
        found = pc.utf8_length(self.array(column)).fill_null(-1)
        return np.asarray(found.to_numpy(zero_copy_only=False), dtype=np.int64)

    def _digests(self, column: str) -> pa.Array:
        return pa.array(
            [
                hashlib.sha256(v).hexdigest() if v is not None else None
                for v in utf8_views(self.array(column))
            ],
            type=pa.string(),
        )


def utf8_views(array: pa.Array) -> list[memoryview | None]:
    """Return the UTF-8 bytes of each string of a string array without decoding them."""
    validity, offsets_buffer, data_buffer = array.buffers()
    # string arrays (not large_string) have 32-bit offsets; a sliced array starts at its own
    # offset in the buffers.
    offsets = np.frombuffer(offsets_buffer, dtype=np.int32)
    offsets = offsets[array.offset : array.offset + len(array) + 1].tolist()
    data = memoryview(data_buffer) if data_buffer is not None else memoryview(b"")
    valid = array.is_valid().to_numpy(zero_copy_only=False) if validity else None
    return [
        None if valid is not None and not valid[i] else data[offsets[i] : offsets[i + 1]]
        for i in range(len(array))
    ]


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
