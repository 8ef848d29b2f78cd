"""Defects planted in a built dataset, and helpers that plant them (embedded schema kept)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq


def shard(dataset: Path, table: str) -> Path:
    """The single train shard of one table of a small build (its rows of train documents)."""
    (path,) = sorted((dataset / "data" / table).glob("train-*.parquet"))
    return path


def rewrite_table(dataset: Path, table: str, change: Callable[[pa.Table], pa.Table]) -> None:
    """Rewrite one table's shard through ``change``, keeping the embedded schema."""
    path = shard(dataset, table)
    data = pq.read_table(path)
    changed = change(data).cast(data.schema)
    pq.write_table(changed, path)


def set_value(table: pa.Table, column: str, row: int, value: object) -> pa.Table:
    """Return ``table`` with one cell replaced."""
    values = table[column].to_pylist()
    values[row] = value
    position = table.schema.get_field_index(column)
    field = table.schema.field(column)
    return table.set_column(position, field, pa.array(values, type=field.type))


def duplicate_row(table: pa.Table) -> pa.Table:
    return pa.concat_tables([table.slice(0, 6), table.slice(5, 1), table.slice(6)])


def drop_row(table: pa.Table) -> pa.Table:
    return pa.concat_tables([table.slice(0, 2), table.slice(3)])


def shift_char_end(table: pa.Table) -> pa.Table:
    return set_value(table, "char_end", 4, table["char_end"][4].as_py() + 1)


PLANTED: dict[str, tuple[str, Callable[[pa.Table], pa.Table], set[str]]] = {
    "duplicated paragraph row": (
        "paragraphs",
        duplicate_row,
        {"paragraphs.doc_id+paragraph_index.unique", "documents.n_paragraphs_agree"},
    ),
    "char_end off by one": (
        "paragraphs",
        shift_char_end,
        {"paragraphs.records", "paragraphs.offsets_slice_text"},
    ),
    "document row dropped": (
        "documents",
        drop_row,
        {"paragraphs.doc_id_in_documents", "sections.doc_id_in_documents"},
    ),
    "empty paragraph text": (
        "paragraphs",
        lambda t: set_value(t, "text", 3, ""),
        {"paragraphs.records", "paragraphs.text.length", "paragraphs.offsets_slice_text"},
    ),
    "role outside the label set": (
        "paragraphs",
        lambda t: set_value(t, "role", 3, 42),
        {"paragraphs.records", "paragraphs.role.in_label_set"},
    ),
    "flag outside the documented set": (
        "paragraphs",
        lambda t: set_value(t, "flags", 3, ["truncated"]),
        {"paragraphs.records", "paragraphs.flags.in_flag_set"},
    ),
    "text_sha256 that does not match": (
        "documents",
        lambda t: set_value(t, "text_sha256", 1, "0" * 64),
        {"documents.records", "documents.text_sha256_matches"},
    ),
}
"""Defects planted in the small build: (table, change, checks that must fail)."""


def _retyped(column: str, kind: pa.DataType) -> Callable[[pa.Table], pa.Table]:
    def change(table: pa.Table) -> pa.Table:
        position = table.schema.get_field_index(column)
        field = pa.field(column, kind, nullable=table.schema.field(column).nullable)
        changed = table.set_column(position, field, table[column].cast(kind))
        return changed.replace_schema_metadata(table.schema.metadata)

    return change


def _metadata(raw: bytes) -> Callable[[pa.Table], pa.Table]:
    return lambda table: table.replace_schema_metadata({b"huggingface": raw})


def _nullable(column: str) -> Callable[[pa.Table], pa.Table]:
    def change(table: pa.Table) -> pa.Table:
        position = table.schema.get_field_index(column)
        field = table.schema.field(column).with_nullable(True)
        return table.set_column(position, field, table[column])

    return change


def _renamed_labels(table: pa.Table) -> pa.Table:
    raw = table.schema.metadata[b"huggingface"].replace(b'"boilerplate"', b'"footer"')
    return table.replace_schema_metadata({b"huggingface": raw})


SCHEMA_CHANGES: dict[str, tuple[str, Callable[[pa.Table], pa.Table], dict[str, Any], int]] = {
    "a column of the wrong type": (
        "paragraphs",
        _retyped("char_start", pa.int64()),
        {"column": "char_start", "expected": "int32", "actual": "int64"},
        6,
    ),
    "an extra column": (
        "documents",
        lambda t: t.append_column("extra", pa.array(["x"] * t.num_rows)),
        {"column": "extra", "expected": "no such column", "actual": "string"},
        0,
    ),
    "a column made nullable": (
        "documents",
        _nullable("text"),
        {"column": "text", "expected": "not null", "actual": "nullable"},
        0,
    ),
    "a ClassLabel renamed in the features": (
        "sections",
        _renamed_labels,
        {"column": "label (HF feature)"},
        0,
    ),
    "features that are not JSON": (
        "documents",
        _metadata(b"{not json"),
        {"column": "(HF features)", "actual": "malformed JSON (Expecting property name"},
        0,
    ),
    "features nested 100,000 deep": (
        "documents",
        _metadata(b"[" * 100_000),
        {"column": "(HF features)", "actual": "nested too deeply (over 64 levels)"},
        0,
    ),
    "a doc_id of the wrong type": (
        "paragraphs",
        _retyped("doc_id", pa.large_string()),
        {"column": "doc_id", "expected": "string", "actual": "large_string"},
        43,
    ),
}
"""Schema damage: (table, change, the finding it gives, checks it leaves not run)."""


def plant_values(dataset: Path, table: str, cells: list[tuple[str, int, object]]) -> None:
    """Replace cells of one table's shard, ``(column, row, value)`` each.

    A null planted in a column the schema says is never null makes that column nullable:
    the table's schema check fails, and every value still reads (and is checked).
    """
    path = shard(dataset, table)
    data = pq.read_table(path)
    for column, row, value in cells:
        data = set_value(data, column, row, value)
        position = data.schema.get_field_index(column)
        if value is None and not data.schema.field(column).nullable:
            field = data.schema.field(column).with_nullable(True)
            data = data.set_column(position, field, data[column])
    pq.write_table(data, path)


VALUE_DEFECTS: dict[str, tuple[str, list[tuple[str, int, object]]]] = {
    "documents: line breaks, unicode and digits no pattern allows": (
        "documents",
        [
            ("doc_id", 0, "d000_seed\n"),
            ("doc_id", 1, "r\r"),
            ("doc_id", 2, "d\u2028"),
            ("doc_id", 3, "é"),
            ("doc_id", 4, "\u0663"),
            ("language", 0, "en\n"),
            ("language", 1, "EN"),
            ("language", 2, "xx"),
            ("text_sha256", 0, "0" * 63),
            ("text_sha256", 1, "A" * 64),
            ("text_sha256", 2, "0" * 64 + "\n"),
            ("raw_sha256", 3, "\u0663" * 64),
            ("collection", 4, ""),
        ],
    ),
    "documents: nulls, bounds and offsets": (
        "documents",
        [
            ("text", 0, None),
            ("text", 1, ""),
            ("n_chars", 2, -1),
            ("n_paragraphs", 3, 2**31 - 1),
            ("dateline_start", 4, None),
            ("dateline_end", 4, 7),
            ("dateline_start", 5, 9),
            ("dateline_end", 5, 3),
            ("flags", 6, ["single_block", None]),
            ("flags", 7, ["single_block\n"]),
            ("flags", 8, ["bogus"]),
            ("flags", 9, None),
        ],
    ),
    "paragraphs: keys, labels, offsets and flags": (
        "paragraphs",
        [
            ("paragraph_index", 1, 0),
            ("role", 2, -1),
            ("role", 3, 42),
            ("char_end", 4, 0),
            ("char_start", 5, -1),
            ("paragraph_id", 6, "x/p12"),
            ("paragraph_id", 7, "é/p0001"),
            ("flags", 8, ["starts_lowercase\n"]),
            ("flags", 9, ["starts_lowercase", "starts_lowercase"]),
            ("section_index", 10, None),
            ("doc_id", 11, None),
        ],
    ),
    "sections: keys, labels and offsets": (
        "sections",
        [
            ("section_index", 1, 0),
            ("label", 2, 99),
            ("paragraph_end", 3, 0),
            ("section_id", 4, "s/s0001\n"),
            ("char_start", 5, None),
        ],
    ),
}
"""Hostile cell values planted in the small build: (table, cells). Each value is one the
engines could read differently: a final line break (Python's ``$`` matches before it, RE2's
does not), a digit outside ``[0-9]``, a letter outside ASCII, a null in a column the
schema says is never null, a list holding a null element, a key repeated, a bound."""
