import json
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import yaml

from dispatch_corpus.build.driver import BuildSummary
from dispatch_corpus.models import (
    TABLE_MODELS,
    ClassLabelled,
    DocumentRecord,
    Record,
    Role,
    SectionLabel,
)
from dispatch_corpus.schema import (
    HF_METADATA_KEY,
    JSON_SCHEMA_MODELS,
    arrow_schema,
    columns,
    hf_features,
    hf_features_dict,
    render_json_schema,
)


def test_json_schema_files_on_disk_match_the_models(repo_root: Path) -> None:
    schemas_dir = repo_root / "schemas"
    on_disk = {p.name.removesuffix(".schema.json") for p in schemas_dir.glob("*.schema.json")}
    assert on_disk == set(JSON_SCHEMA_MODELS), (
        "schemas/*.schema.json and JSON_SCHEMA_MODELS differ: run scripts/export_schemas.py"
    )
    for name, model in JSON_SCHEMA_MODELS.items():
        path = schemas_dir / f"{name}.schema.json"
        assert path.read_text(encoding="utf-8") == render_json_schema(model), (
            f"{path.relative_to(repo_root)} drifted from models.{model.__name__}: "
            "run scripts/export_schemas.py"
        )


def test_json_schema_accepts_real_rows_and_rejects_a_bad_one(
    small_record: DocumentRecord,
) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    rows: dict[str, Record] = {
        "documents": small_record.document,
        "paragraphs": small_record.paragraphs[0],
        "sections": small_record.sections[0],
    }
    for name, row in rows.items():
        schema = json.loads(render_json_schema(JSON_SCHEMA_MODELS[name]))
        jsonschema.validate(row.model_dump(mode="json"), schema)
    bad = {**small_record.paragraphs[0].model_dump(mode="json"), "role": "caption"}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, json.loads(render_json_schema(JSON_SCHEMA_MODELS["paragraphs"])))


@pytest.mark.parametrize("model", list(TABLE_MODELS.values()), ids=list(TABLE_MODELS))
def test_arrow_schema_matches_hf_features_field_by_field(model: type[Record]) -> None:
    schema = arrow_schema(model)
    features_schema = hf_features(model).arrow_schema
    assert schema.names == features_schema.names == list(model.model_fields)
    for name in schema.names:
        assert schema.field(name).type == features_schema.field(name).type, name


@pytest.mark.parametrize("model", list(TABLE_MODELS.values()), ids=list(TABLE_MODELS))
def test_arrow_schema_embeds_the_hf_features(model: type[Record]) -> None:
    metadata = arrow_schema(model).metadata
    assert json.loads(metadata[HF_METADATA_KEY]) == {"info": {"features": hf_features_dict(model)}}


def test_storage_types_follow_the_model_annotations() -> None:
    paragraphs = {c.name: c for c in columns(TABLE_MODELS["paragraphs"])}
    assert paragraphs["role"].class_names == tuple(r.value for r in Role)
    assert paragraphs["role"].arrow_type == pa.int64()
    assert paragraphs["char_start"].arrow_type == pa.int32()
    assert paragraphs["flags"].arrow_type == pa.list_(pa.string())
    assert not paragraphs["text"].nullable
    sections = {c.name: c for c in columns(TABLE_MODELS["sections"])}
    assert sections["label"].class_names == tuple(s.value for s in SectionLabel)
    documents = {c.name: c for c in columns(TABLE_MODELS["documents"])}
    assert documents["published"].arrow_type == pa.date32()
    assert documents["agency"].nullable
    assert documents["dateline_start"].arrow_type == pa.int32()
    assert documents["dateline_start"].nullable
    assert not documents["doc_id"].nullable


class _Colour(StrEnum):
    RED = "red"


class _FloatRow(Record):
    score: float


class _UnmarkedEnumRow(Record):
    colour: _Colour


class _MarkedEnumRow(Record):
    colour: Annotated[_Colour, ClassLabelled()]
    day: date | None = None


def test_unmapped_field_types_are_refused() -> None:
    with pytest.raises(TypeError, match="no storage type"):
        columns(_FloatRow)
    with pytest.raises(TypeError, match="without ClassLabelled"):
        columns(_UnmarkedEnumRow)
    marked = {c.name: c for c in columns(_MarkedEnumRow)}
    assert marked["colour"].class_names == ("red",)
    assert marked["day"].nullable


def _front_matter(readme: Path) -> dict[str, Any]:
    text = readme.read_text(encoding="utf-8")
    assert text.startswith("---\n")
    header, _, _ = text[4:].partition("\n---\n")
    data: dict[str, Any] = yaml.safe_load(header)
    return data


def test_parquet_files_store_exactly_the_model_schema(
    seed_build: tuple[Path, BuildSummary],
) -> None:
    out, _ = seed_build
    for table, model in TABLE_MODELS.items():
        shards = sorted((out / "data" / table).glob("*.parquet"))
        assert shards, table
        for shard in shards:
            stored = pq.read_schema(shard)
            expected = arrow_schema(model)
            # Parquet names list items "element" where Arrow says "item"; Arrow equality
            # ignores that name, and so does this check (types, nullability, metadata).
            assert stored.equals(expected), (table, stored, expected)
            assert stored.metadata == expected.metadata
            assert stored.metadata[HF_METADATA_KEY] == expected.metadata[HF_METADATA_KEY]
            for got, want in zip(stored, expected, strict=True):
                assert (got.name, got.type, got.nullable) == (want.name, want.type, want.nullable)


def test_card_yaml_declares_the_model_features(seed_build: tuple[Path, BuildSummary]) -> None:
    import datasets

    out, summary = seed_build
    header = _front_matter(out / "README.md")
    infos = {info["config_name"]: info for info in header["dataset_info"]}
    assert set(infos) == set(TABLE_MODELS)
    rows = {
        "documents": summary.accepted,
        "paragraphs": summary.paragraphs,
        "sections": summary.sections,
    }
    for table, model in TABLE_MODELS.items():
        features = datasets.Features._from_yaml_list(infos[table]["features"])
        assert features == hf_features(model), table
        (split,) = infos[table]["splits"]
        assert split["name"] == "train"
        assert split["num_examples"] == rows[table]
    configs = {c["config_name"]: c for c in header["configs"]}
    assert set(configs) == set(TABLE_MODELS)
    for table, config in configs.items():
        assert config["data_files"] == [{"split": "train", "path": f"data/{table}/train-*.parquet"}]
    assert [name for name, c in configs.items() if c.get("default")] == ["paragraphs"]


def test_card_yaml_reads_back_as_dataset_infos(seed_build: tuple[Path, BuildSummary]) -> None:
    from datasets.info import DatasetInfosDict
    from huggingface_hub import DatasetCardData

    out, _ = seed_build
    card_data = DatasetCardData(**_front_matter(out / "README.md"))
    infos = DatasetInfosDict.from_dataset_card_data(card_data)
    for table, model in TABLE_MODELS.items():
        assert infos[table].features == hf_features(model)
