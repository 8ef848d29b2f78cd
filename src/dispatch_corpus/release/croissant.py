"""croissant.json of a release: MLCommons Croissant 1.1 metadata generated from the models.

One FileObject (with sha256) per Parquet file, one RecordSet per table keyed by the table's
primary key, references from paragraphs and sections to documents, and enumeration
RecordSets for the ClassLabel columns (role, label) that those columns reference. A table
in one shard is read from its FileObject (``mlcroissant`` then checks its sha256 on load);
a table in several shards from a FileSet over its folder.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import PurePosixPath
from typing import Any

from dispatch_corpus.dataset.layout import shard_pattern
from dispatch_corpus.models import TABLE_KEYS, TABLE_MODELS
from dispatch_corpus.release.field_table import field_description
from dispatch_corpus.release.manifest import FileEntry
from dispatch_corpus.schema import Column, columns

CONFORMS_TO = "http://mlcommons.org/croissant/1.1"
# The encodingFormat mlcroissant reads as Parquet (its EncodingFormat.PARQUET).
PARQUET_FORMAT = "application/x-parquet"
SPDX_URL = "https://spdx.org/licenses/{}.html"
HUB_URL = "https://huggingface.co/datasets/{}"
CONTEXT: dict[str, Any] = {
    "@language": "en",
    "@vocab": "https://schema.org/",
    "arrayShape": "cr:arrayShape",
    "citeAs": "cr:citeAs",
    "column": "cr:column",
    "conformsTo": "dct:conformsTo",
    "containedIn": "cr:containedIn",
    "cr": "http://mlcommons.org/croissant/",
    "rai": "http://mlcommons.org/croissant/RAI/",
    "data": {"@id": "cr:data", "@type": "@json"},
    "dataType": {"@id": "cr:dataType", "@type": "@vocab"},
    "dct": "http://purl.org/dc/terms/",
    "description": {"@container": "@language"},
    "equivalentProperty": "cr:equivalentProperty",
    "examples": {"@id": "cr:examples", "@type": "@json"},
    "extract": "cr:extract",
    "field": "cr:field",
    "fileProperty": "cr:fileProperty",
    "fileObject": "cr:fileObject",
    "fileSet": "cr:fileSet",
    "format": "cr:format",
    "includes": "cr:includes",
    "isArray": "cr:isArray",
    "isLiveDataset": "cr:isLiveDataset",
    "jsonPath": "cr:jsonPath",
    "key": "cr:key",
    "md5": "cr:md5",
    "name": {"@container": "@language"},
    "parentField": "cr:parentField",
    "path": "cr:path",
    "recordSet": "cr:recordSet",
    "references": "cr:references",
    "regex": "cr:regex",
    "repeated": "cr:repeated",
    "replace": "cr:replace",
    "samplingRate": "cr:samplingRate",
    "sc": "https://schema.org/",
    "separator": "cr:separator",
    "source": "cr:source",
    "subField": "cr:subField",
    "transform": "cr:transform",
}
"""The JSON-LD context of Croissant 1.1 (as ``mlcroissant`` writes it)."""
_DATA_TYPES = {
    "string": "sc:Text",
    "int32": "cr:Int32",
    "float32": "cr:Float32",
    "class_label": "cr:Int64",  # the stored class index (int64, as datasets' ClassLabel)
    "class_name": "sc:Text",
    "date32": "sc:Date",
    "string_list": "sc:Text",
}
_REFERENCED_TABLE = "documents"


@dataclass(frozen=True)
class CroissantInfo:
    """Dataset-level facts of the Croissant file."""

    name: str
    description: str
    version: str
    published: date
    licenses: Sequence[str]
    languages: Sequence[str]
    repo_id: str | None
    citation: str


def render_croissant(info: CroissantInfo, data_files: Sequence[FileEntry]) -> dict[str, Any]:
    """Return the Croissant JSON-LD of a release.

    Args:
        info: Dataset-level facts.
        data_files: Manifest entries of the Parquet files (``data/<table>/...``).

    Returns:
        The JSON-LD document.
    """
    shards: dict[str, list[FileEntry]] = {table: [] for table in TABLE_MODELS}
    for entry in data_files:
        shards[PurePosixPath(entry.path).parts[1]].append(entry)
    distribution: list[dict[str, Any]] = []
    sources: dict[str, dict[str, Any]] = {}
    for table, entries in shards.items():
        # Every shard is a FileObject with its sha256, even when a FileSet reads them:
        # verify compares each one with the manifest.
        distribution += [_file_object(entry) for entry in entries]
        if len(entries) == 1:
            sources[table] = {"fileObject": {"@id": entries[0].path}}
        else:
            distribution.append(_file_set(table, entries))
            sources[table] = {"fileSet": {"@id": f"{table}-files"}}
    record_sets: list[dict[str, Any]] = []
    for table, model in TABLE_MODELS.items():
        record_sets += [_enumeration(table, c) for c in columns(model) if c.class_names]
    record_sets += [_table_record_set(table, sources[table]) for table in TABLE_MODELS]
    document: dict[str, Any] = {
        "@context": CONTEXT,
        "@type": "sc:Dataset",
        "conformsTo": CONFORMS_TO,
        "name": info.name,
        "description": info.description,
        "version": info.version,
        "datePublished": info.published.isoformat(),
        "license": [SPDX_URL.format(spdx) for spdx in info.licenses],
        "inLanguage": list(info.languages),
        "citeAs": info.citation,
        "keywords": ["news", "paragraphs", "discourse roles", *info.languages],
        "distribution": distribution,
        "recordSet": record_sets,
    }
    if info.repo_id is not None:
        document["url"] = HUB_URL.format(info.repo_id)
    return document


def _file_object(entry: FileEntry) -> dict[str, Any]:
    return {
        "@type": "cr:FileObject",
        "@id": entry.path,
        "name": entry.path,
        "contentUrl": entry.path,
        "contentSize": f"{entry.bytes} B",
        "encodingFormat": PARQUET_FORMAT,
        "sha256": entry.sha256,
    }


def _file_set(table: str, entries: Sequence[FileEntry]) -> dict[str, Any]:
    return {
        "@type": "cr:FileSet",
        "@id": f"{table}-files",
        "name": f"{table}-files",
        "description": f"The {len(entries)} Parquet shard(s) of the {table} table.",
        "encodingFormat": PARQUET_FORMAT,
        "includes": shard_pattern(table),
    }


def _enumeration(table: str, column: Column) -> dict[str, Any]:
    record_set = f"{table}_{column.name}_values"
    return {
        "@type": "cr:RecordSet",
        "@id": record_set,
        "name": record_set,
        "description": f"The class names of {table}.{column.name}, by class index.",
        "dataType": "sc:Enumeration",
        "key": {"@id": f"{record_set}/index"},
        "field": [
            {
                "@type": "cr:Field",
                "@id": f"{record_set}/index",
                "name": "index",
                "description": "Class index, as stored in the data.",
                "dataType": "cr:Int64",
            },
            {
                "@type": "cr:Field",
                "@id": f"{record_set}/name",
                "name": "name",
                "description": "Class name.",
                "dataType": "sc:Text",
            },
        ],
        "data": [
            {f"{record_set}/index": index, f"{record_set}/name": name}
            for index, name in enumerate(column.class_names)
        ],
    }


def _table_record_set(table: str, source: dict[str, Any]) -> dict[str, Any]:
    model = TABLE_MODELS[table]
    fields = []
    for column in columns(model):
        field: dict[str, Any] = {
            "@type": "cr:Field",
            "@id": f"{table}/{column.name}",
            "name": column.name,
            "description": field_description(model, column.name) or column.name,
            "dataType": _DATA_TYPES[column.kind],
            "source": {**source, "extract": {"column": column.name}},
        }
        if column.kind == "string_list":
            field["isArray"] = True
            # -1: one dimension of any length (a row has any number of flags).
            field["arrayShape"] = "-1"
        reference = _reference(table, column)
        if reference is not None:
            field["references"] = {"field": {"@id": reference}}
        fields.append(field)
    return {
        "@type": "cr:RecordSet",
        "@id": table,
        "name": table,
        "description": f"The {table} table, one row per {model.__name__.lower()}.",
        "key": [{"@id": f"{table}/{name}"} for name in TABLE_KEYS[table]],
        "field": fields,
    }


def _reference(table: str, column: Column) -> str | None:
    if column.class_names:
        return f"{table}_{column.name}_values/index"
    if column.name == "doc_id" and table != _REFERENCED_TABLE:
        return f"{_REFERENCED_TABLE}/doc_id"
    return None


def spdx_licenses(counts: Mapping[str, int], unknown: str) -> list[str]:
    """Return the SPDX ids among per-document license counts, without the unknown marker."""
    return sorted(name for name in counts if name != unknown)
