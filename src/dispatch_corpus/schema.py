"""Arrow schemas, Hugging Face Features and JSON Schema, all derived from the Pydantic models."""

from __future__ import annotations

import json
import types
from dataclasses import dataclass
from datetime import date
from enum import Enum
from functools import cache
from typing import TYPE_CHECKING, Annotated, Any, Union, get_args, get_origin

import pyarrow as pa

from dispatch_corpus.models import (
    TABLE_MODELS,
    ClassLabelled,
    ClassName,
    Float32,
    Int32,
    QuarantineRecord,
    Record,
)

if TYPE_CHECKING:
    import datasets

# The schema-metadata key under which ``datasets`` writes and reads its Features.
HF_METADATA_KEY = b"huggingface"
JSON_SCHEMA_MODELS: dict[str, type[Record]] = {**TABLE_MODELS, "quarantine": QuarantineRecord}
"""Models with a checked-in ``schemas/<name>.schema.json``."""


@dataclass(frozen=True)
class Column:
    """How one model field is stored: its Arrow type, nullability and ClassLabel names.

    A ``class_label`` column stores the index of its class in ``class_names``; a
    ``class_name`` column stores the name itself and repeats the ClassLabel column ``source``.
    """

    name: str
    kind: str
    nullable: bool
    class_names: tuple[str, ...] = ()
    source: str | None = None

    @property
    def arrow_type(self) -> pa.DataType:
        """The Arrow type of the column."""
        return _ARROW_TYPES[self.kind]


_ARROW_TYPES: dict[str, pa.DataType] = {
    "string": pa.string(),
    "int32": pa.int32(),
    "float32": pa.float32(),
    "class_label": pa.int64(),  # the Arrow type of a ``datasets`` ClassLabel
    # A plain string: Parquet dictionary-encodes it (``use_dictionary``), while an Arrow
    # dictionary type would reach ``datasets`` as a type its Value features do not name.
    "class_name": pa.string(),
    "date32": pa.date32(),
    "string_list": pa.list_(pa.string()),
}


def _unwrap(annotation: Any) -> tuple[Any, list[Any], bool]:
    """Return (base type, Annotated metadata, nullable) of a field annotation."""
    nullable = False
    metadata: list[Any] = []
    if get_origin(annotation) in (Union, types.UnionType):
        args = [a for a in get_args(annotation) if a is not type(None)]
        nullable = len(args) < len(get_args(annotation))
        (annotation,) = args
    if get_origin(annotation) is Annotated:
        annotation, *metadata = get_args(annotation)
    return annotation, metadata, nullable


# Cached: called for the tables of every chunk and for every shard read.
@cache
def columns(model: type[Record]) -> tuple[Column, ...]:
    """Return the storage columns of a row model, in field order.

    Args:
        model: A row model from ``dispatch_corpus.models``.

    Returns:
        One column per field.

    Raises:
        TypeError: When a field has a type with no storage mapping.
    """
    result = []
    for name, info in model.model_fields.items():
        base, inner, nullable = _unwrap(info.annotation)
        markers = [*info.metadata, *inner]
        if base is str:
            kind = "string"
        elif base is int and any(isinstance(m, Int32) for m in markers):
            kind = "int32"
        elif base is float and any(isinstance(m, Float32) for m in markers):
            kind = "float32"
        elif base is date:
            kind = "date32"
        elif isinstance(base, type) and issubclass(base, Enum):
            names = tuple(e.value for e in base)
            named = [m for m in markers if isinstance(m, ClassName)]
            if named:
                result.append(Column(name, "class_name", nullable, names, named[0].source))
                continue
            if not any(isinstance(m, ClassLabelled) for m in markers):
                raise TypeError(f"{model.__name__}.{name}: enum without ClassLabelled marker")
            result.append(Column(name, "class_label", nullable, names))
            continue
        elif get_origin(base) is list:
            kind = "string_list"
        else:
            raise TypeError(f"{model.__name__}.{name}: no storage type for {base!r}")
        result.append(Column(name, kind, nullable))
    return tuple(result)


def hf_features_dict(model: type[Record]) -> dict[str, Any]:
    """Return the Hugging Face ``Features`` of a row model in its serialized form."""
    features: dict[str, Any] = {}
    for col in columns(model):
        if col.kind == "class_label":
            features[col.name] = {"names": list(col.class_names), "_type": "ClassLabel"}
        elif col.kind == "string_list":
            # ``List`` is the datasets 4 feature (the floor in pyproject.toml).
            features[col.name] = {"feature": {"dtype": "string", "_type": "Value"}, "_type": "List"}
        elif col.kind == "class_name":
            features[col.name] = {"dtype": "string", "_type": "Value"}
        else:
            features[col.name] = {"dtype": col.kind, "_type": "Value"}
    return features


def hf_features(model: type[Record]) -> datasets.Features:
    """Return the Hugging Face ``Features`` of a row model."""
    # Imported on use: ``datasets`` costs about 0.7 s of CPU to import, and the worker
    # processes (``arrow_schema``) need only the dict form.
    import datasets

    return datasets.Features.from_dict(hf_features_dict(model))


def arrow_schema(model: type[Record]) -> pa.Schema:
    """Return the Arrow schema of a row model, with its HF features embedded as metadata."""
    fields = [pa.field(c.name, c.arrow_type, nullable=c.nullable) for c in columns(model)]
    info = {"info": {"features": hf_features_dict(model)}}
    return pa.schema(fields, metadata={HF_METADATA_KEY: json.dumps(info, sort_keys=True)})


def json_schema(model: type[Record]) -> dict[str, Any]:
    """Return the JSON Schema of a row model (the content of ``schemas/<name>.schema.json``)."""
    schema = model.model_json_schema(mode="serialization")
    # Pydantic writes draft 2020-12 but does not name it in the schema.
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return schema


def render_json_schema(model: type[Record]) -> str:
    """Return the checked-in text of a model's JSON Schema file."""
    return json.dumps(json_schema(model), indent=2, ensure_ascii=False, sort_keys=True) + "\n"
