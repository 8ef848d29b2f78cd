import json
from datetime import date
from pathlib import Path
from typing import Any

from dispatch_corpus.models import TABLE_KEYS, TABLE_MODELS, Role, SectionLabel
from dispatch_corpus.release.croissant import (
    CONFORMS_TO,
    CroissantInfo,
    render_croissant,
    spdx_licenses,
)
from dispatch_corpus.release.manifest import FileEntry, read_manifest
from dispatch_corpus.schema import columns


def _by_id(nodes: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {node["@id"]: node for node in nodes}


def _load(release: Path) -> dict[str, Any]:
    document: dict[str, Any] = json.loads((release / "croissant.json").read_text("utf-8"))
    return document


def test_every_parquet_file_is_a_file_object_with_its_sha256(released: Path) -> None:
    croissant = _load(released)
    assert croissant["conformsTo"] == CONFORMS_TO
    files = _by_id([d for d in croissant["distribution"] if d["@type"] == "cr:FileObject"])
    parquet = [f for f in read_manifest(released)["files"] if f["path"].endswith(".parquet")]
    assert files.keys() == {f["path"] for f in parquet}
    for entry in parquet:
        node = files[entry["path"]]
        assert node["sha256"] == entry["sha256"]
        assert node["contentUrl"] == entry["path"]
        assert node["encodingFormat"] == "application/x-parquet"


def test_one_record_set_per_table_with_its_key_and_every_column(released: Path) -> None:
    record_sets = _by_id(_load(released)["recordSet"])
    for table, model in TABLE_MODELS.items():
        record_set = record_sets[table]
        assert record_set["key"] == [{"@id": f"{table}/{k}"} for k in TABLE_KEYS[table]]
        names = [field["name"] for field in record_set["field"]]
        assert names == [column.name for column in columns(model)]


def test_paragraphs_and_sections_reference_documents(released: Path) -> None:
    record_sets = _by_id(_load(released)["recordSet"])
    for table in ("paragraphs", "sections"):
        fields = _by_id(record_sets[table]["field"])
        assert fields[f"{table}/doc_id"]["references"] == {"field": {"@id": "documents/doc_id"}}
    assert "references" not in _by_id(record_sets["documents"]["field"])["documents/doc_id"]


def test_role_and_label_reference_their_enumerations(released: Path) -> None:
    record_sets = _by_id(_load(released)["recordSet"])
    for table, column, enum in (("paragraphs", "role", Role), ("sections", "label", SectionLabel)):
        values = record_sets[f"{table}_{column}_values"]
        assert values["dataType"] == "sc:Enumeration"
        assert [row[f"{table}_{column}_values/name"] for row in values["data"]] == [
            member.value for member in enum
        ]
        assert [row[f"{table}_{column}_values/index"] for row in values["data"]] == list(
            range(len(enum))
        )
        field = _by_id(record_sets[table]["field"])[f"{table}/{column}"]
        assert field["references"] == {"field": {"@id": f"{table}_{column}_values/index"}}


def test_dataset_facts_and_licenses_come_from_the_info(released: Path) -> None:
    croissant = _load(released)
    assert croissant["version"] == "1.0.0"
    assert croissant["license"] == [
        "https://spdx.org/licenses/CC-BY-2.5.html",
        "https://spdx.org/licenses/CC-BY-4.0.html",
    ]
    assert croissant["inLanguage"] == ["en", "fr"]
    assert croissant["url"] == "https://huggingface.co/datasets/acme/dispatch-news"
    assert croissant["citeAs"].startswith("@misc{dispatch_corpus_1_0_0,")


def test_a_table_in_several_shards_reads_from_a_file_set() -> None:
    shards = {"documents": 1, "paragraphs": 2, "sections": 1}
    entries = [
        FileEntry(f"data/{table}/train-0000{i}-of-0000{n}.parquet", "0" * 64, 10, 5)
        for table, n in shards.items()
        for i in range(n)
    ]
    info = CroissantInfo("n", "d", "1.0.0", date(2025, 1, 1), [], ["en"], None, "c")
    croissant = render_croissant(info, entries)
    file_sets = [d for d in croissant["distribution"] if d["@type"] == "cr:FileSet"]
    # Every split of the table: a FileSet reads all its shards.
    assert [d["includes"] for d in file_sets] == ["data/paragraphs/*.parquet"]
    record_sets = _by_id(croissant["recordSet"])
    assert record_sets["paragraphs"]["field"][0]["source"]["fileSet"] == {"@id": "paragraphs-files"}
    assert record_sets["documents"]["field"][0]["source"]["fileObject"] == {
        "@id": "data/documents/train-00000-of-00001.parquet"
    }
    assert "url" not in croissant


def test_spdx_licenses_drop_the_unknown_marker() -> None:
    assert spdx_licenses({"CC-BY-4.0": 3, "unknown": 1, "MIT": 2}, "unknown") == [
        "CC-BY-4.0",
        "MIT",
    ]
