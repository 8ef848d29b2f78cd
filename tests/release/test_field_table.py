from pydantic import Field

from dispatch_corpus.models import TABLE_MODELS, Record
from dispatch_corpus.release.field_table import field_description, render_fields_table, type_name
from dispatch_corpus.schema import columns


class _Described(Record):
    doc_id: str = Field(description="Id of the document | unique")
    note: str | None = None


def test_type_names_read_like_the_features() -> None:
    names = {c.name: type_name(c) for c in columns(TABLE_MODELS["paragraphs"])}
    assert names["role"] == "ClassLabel (9 classes)"
    assert names["paragraph_index"] == "int32"
    assert names["flags"] == "list of string"
    assert (
        type_name(next(c for c in columns(TABLE_MODELS["documents"]) if c.name == "published"))
        == "date"
    )


def test_the_table_has_one_row_per_model_field() -> None:
    for table, model in TABLE_MODELS.items():
        text = render_fields_table(table, model)
        rows = text.splitlines()[2:]
        assert [row.split("`")[1] for row in rows] == [c.name for c in columns(model)]
    assert "| `doc_id` (key) | string | no |" in render_fields_table(
        "paragraphs", TABLE_MODELS["paragraphs"]
    )


def test_descriptions_come_from_the_model_fields() -> None:
    assert field_description(_Described, "doc_id") == "Id of the document | unique"
    assert field_description(_Described, "note") == ""
    text = render_fields_table("documents", _Described)
    assert "| `doc_id` (key) | string | no | Id of the document \\| unique |" in text
