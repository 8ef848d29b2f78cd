"""Describe the fields of each table from the models: type names and descriptions."""

from __future__ import annotations

from dispatch_corpus.models import TABLE_KEYS, Record
from dispatch_corpus.schema import Column, columns

_TYPE_NAMES = {
    "string": "string",
    "int32": "int32",
    "float32": "float32",
    "date32": "date",
    "string_list": "list of string",
}


def type_name(column: Column) -> str:
    """Return a reader-facing type name, e.g. ``ClassLabel (9 classes)``."""
    if column.kind == "class_label":
        return f"ClassLabel ({len(column.class_names)} classes)"
    if column.kind == "class_name":
        return f"string (name of {column.source})"
    return _TYPE_NAMES[column.kind]


def field_description(model: type[Record], name: str) -> str:
    """Return the ``Field(description=...)`` of a model field, or an empty string."""
    return model.model_fields[name].description or ""


def render_fields_table(table: str, model: type[Record]) -> str:
    """Return the Markdown Data Fields table of one table, one row per model field.

    Args:
        table: The table (config) name.
        model: Its row model.

    Returns:
        The Markdown table, the key columns marked.
    """
    key = TABLE_KEYS[table]
    lines = ["| field | type | nullable | description |", "|---|---|---|---|"]
    for column in columns(model):
        name = f"`{column.name}` (key)" if column.name in key else f"`{column.name}`"
        # An unescaped "|" would end the Markdown table cell.
        description = field_description(model, column.name).replace("|", "\\|") or "-"
        nullable = "yes" if column.nullable else "no"
        lines.append(f"| {name} | {type_name(column)} | {nullable} | {description} |")
    return "\n".join(lines)
