from __future__ import annotations

import math
from datetime import date
from typing import Annotated, Any

import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import TypeAdapter, ValidationError

from dispatch_corpus.models import (
    TABLE_MODELS,
    Document,
    DocumentFlag,
    Int32,
    ParagraphFlag,
    Record,
    Role,
    SectionLabel,
    paragraph_id,
    section_id,
    sha256_hex,
)
from dispatch_corpus.schema import columns
from dispatch_corpus.validation.compiled_checks import (
    DATE_DAYS,
    field_checks,
    rejected_rows,
    slice_texts,
    untrimmed,
)
from dispatch_corpus.validation.model_checks import model_rows
from dispatch_corpus.validation.rows import PyTable

_LETTERS = st.text(
    alphabet=st.sampled_from(list("abcXYZ09 .-_/é\u0663\u2028\u00a0\u3000\t\n\u0416")),
    max_size=12,
)
_IDS = st.from_regex(r"\A[A-Za-z0-9][A-Za-z0-9_.-]{0,6}\Z")
_TEXT = st.text(alphabet=st.sampled_from(list("ab Z.é\u0416\u4e2d")), min_size=1, max_size=30)
_TRIMMED = _TEXT.map(lambda t: t.strip() or "x")

_HOSTILE: dict[str, list[Any]] = {
    "string": [
        "",
        " ",
        "x\n",
        "x ",
        " x",
        "a/p0001",
        "a/s0001",
        "ab",
        "en",
        "EN",
        "e\u0663",
        "0" * 64,
        "0" * 63,
        "a" * 129,
        "\u2028",
        "é",
        None,
    ],
    "int32": [-(2**31), -1, 0, 1, 3, 2**31 - 1, None],
    "float32": [math.nan, math.inf, -math.inf, -0.0, 0.0, 1.0, 1.5, -1e-30, 0.5, None],
    "class_label": [-1, 0, 1, 5, 8, 9, 42, None],
    # Names of the other table's classes, near misses and names of another class of this one.
    "class_name": [
        "headline",
        "body",
        "list",
        "list_item",
        "boilerplate",
        "Body",
        "BODY",
        "body ",
        "",
        "Role.BODY",
        "bogus",
        None,
    ],
    "date32": [date(2020, 1, 1), date.min, date.max, None],
    "string_list": [
        [],
        None,
        [None],
        ["bogus"],
        ["starts_lowercase"],
        ["starts_lowercase\n"],
        ["starts_lowercase", "starts_lowercase"],
        ["bom_removed", "single_block"],
        ["single_block", "single_block"],
        ["bom_removed", None],
    ],
}


@st.composite
def _document(draw: st.DrawFn) -> dict[str, Any]:
    body = "\n\n".join(draw(st.lists(_TRIMMED, min_size=1, max_size=3)))
    start = draw(st.integers(0, len(body) + 2))
    end = draw(st.integers(0, len(body) + 2))
    dated = draw(st.booleans())
    flags = draw(
        st.lists(st.sampled_from([f.value for f in DocumentFlag]), unique=True, max_size=3)
    )
    doc_id = draw(_IDS)
    # Itself, or another id: one above doc_id breaks the model's cluster_id <= doc_id rule.
    cluster_id = draw(st.sampled_from([doc_id, draw(_IDS)]))
    return {
        "doc_id": doc_id,
        "collection": draw(_TEXT),
        "language": draw(st.sampled_from(["en", "fr", "ru"])),
        "agency": draw(st.none() | _LETTERS),
        "title": draw(st.none() | _LETTERS),
        "published": draw(st.none() | st.dates()),
        "url": None,
        "license": draw(st.none() | _LETTERS),
        "dateline": body[start:end] if dated else None,
        "dateline_start": start if dated else None,
        "dateline_end": end if dated else None,
        "text": body,
        "raw_sha256": "a" * 64,
        "text_sha256": sha256_hex(body),
        "n_paragraphs": draw(st.integers(1, 5)),
        "n_sections": draw(st.integers(1, 5)),
        "n_chars": len(body),
        "flags": flags,
        "cluster_id": cluster_id,
        "split": draw(st.sampled_from(["train", "validation", "test"])),
    }


@st.composite
def _paragraph(draw: st.DrawFn) -> dict[str, Any]:
    doc_id, index, text = draw(_IDS), draw(st.integers(0, 12_000)), draw(_TRIMMED)
    start = draw(st.integers(0, 100))
    role = draw(st.integers(0, 8))
    return {
        "paragraph_id": paragraph_id(doc_id, index),
        "doc_id": doc_id,
        "paragraph_index": index,
        "section_index": draw(st.integers(0, 5)),
        "role": role,
        "role_confidence": draw(st.floats(0, 1, width=32)),
        "text": text,
        "char_start": start,
        "char_end": start + len(text),
        "flags": draw(st.sampled_from([[], *([f.value] for f in ParagraphFlag)])),
        "role_name": list(Role)[role].value,
    }


@st.composite
def _section(draw: st.DrawFn) -> dict[str, Any]:
    doc_id, index, text = draw(_IDS), draw(st.integers(0, 12_000)), draw(_TEXT)
    start, first = draw(st.integers(0, 100)), draw(st.integers(0, 5))
    label = draw(st.integers(0, 5))
    return {
        "section_id": section_id(doc_id, index),
        "doc_id": doc_id,
        "section_index": index,
        "label": label,
        "paragraph_start": first,
        "paragraph_end": first + draw(st.integers(1, 3)),
        "char_start": start,
        "char_end": start + len(text),
        "text": text,
        "label_name": list(SectionLabel)[label].value,
    }


_ROWS = {"documents": _document(), "paragraphs": _paragraph(), "sections": _section()}


@st.composite
def _rows(draw: st.DrawFn, table: str) -> list[dict[str, Any]]:
    """Valid rows, most of them then broken in one or two fields."""
    kinds = {c.name: c.kind for c in columns(TABLE_MODELS[table])}
    rows = draw(st.lists(_ROWS[table], min_size=1, max_size=12))
    for row in rows:
        for _ in range(draw(st.integers(0, 2))):
            name = draw(st.sampled_from(sorted(kinds)))
            pool = _HOSTILE[kinds[name]]
            near = (
                [min(row[name] + 1, 2**31 - 1), max(row[name] - 1, -(2**31))]
                if isinstance(row[name], int)
                else []
            )
            if isinstance(row[name], str):
                near = [row[name] + " ", row[name] + "\n", row[name][1:], "\u00a0" + row[name]]
            row[name] = draw(st.sampled_from(pool + near))
    return rows


def _table(table: str, rows: list[dict[str, Any]]) -> pa.Table:
    model = TABLE_MODELS[table]
    fields = [pa.field(c.name, c.arrow_type) for c in columns(model)]
    return pa.Table.from_pylist(rows, schema=pa.schema(fields))


def _pydantic_rejects(table: str, data: pa.Table) -> list[bool]:
    adapter: TypeAdapter[Record] = TypeAdapter(TABLE_MODELS[table])
    found = []
    for row in model_rows(PyTable(table, data), 0, data.num_rows):
        try:
            adapter.validate_python(row)
        except ValidationError:
            found.append(True)
        else:
            found.append(False)
    return found


@pytest.mark.parametrize("table", sorted(TABLE_MODELS))
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_compiled_checks_reject_exactly_the_rows_pydantic_rejects(
    table: str, data: st.DataObject
) -> None:
    rows = data.draw(_rows(table))
    arrow = _table(table, rows)
    compiled = rejected_rows(PyTable(table, arrow), TABLE_MODELS[table]).tolist()
    assert compiled == _pydantic_rejects(table, arrow), rows


def test_a_date_no_python_date_holds_is_rejected() -> None:
    text = "Paris, 3 May. Text."
    row = {
        "doc_id": "d1",
        "collection": "c",
        "language": "en",
        "agency": None,
        "title": None,
        "published": None,
        "url": None,
        "license": None,
        "dateline": "Paris, 3 May.",
        "dateline_start": 0,
        "dateline_end": 13,
        "text": text,
        "raw_sha256": "a" * 64,
        "text_sha256": sha256_hex(text),
        "n_paragraphs": 1,
        "n_sections": 1,
        "n_chars": len(text),
        "flags": [],
        "cluster_id": "d",
        "split": "train",
    }
    arrow = _table("documents", [row, row])
    days = pa.array([DATE_DAYS[1] + 1, DATE_DAYS[0]], type=pa.int32()).cast(pa.date32())
    arrow = arrow.set_column(arrow.schema.get_field_index("published"), "published", days)
    assert rejected_rows(PyTable("documents", arrow), Document).tolist() == [True, False]


def test_every_field_of_every_model_is_compiled() -> None:
    for model in TABLE_MODELS.values():
        checks = {c.column.name: c for c in field_checks(model)}
        assert list(checks) == list(model.model_fields)
    paragraph = {c.column.name: c for c in field_checks(TABLE_MODELS["paragraphs"])}
    assert paragraph["paragraph_id"].pattern is not None
    assert paragraph["role_confidence"].finite
    assert dict(paragraph["char_start"].bounds) == {"ge": 0, "le": 2**31 - 1}
    assert paragraph["flags"].members == ("starts_lowercase", "repeated_text")


def test_a_constraint_without_a_compiled_form_stops_the_compilation() -> None:
    from pydantic import Field

    class Odd(Record):
        value: Annotated[int, Field(multiple_of=2), Int32()]

    with pytest.raises(TypeError, match=r"Odd\.value: no compiled form"):
        field_checks(Odd)


def test_a_model_validator_without_a_twin_stops_the_compilation() -> None:
    from pydantic import model_validator

    class Ruled(Record):
        value: int

        @model_validator(mode="after")
        def _rule(self) -> Ruled:
            return self

    with pytest.raises(TypeError, match="model validator without a compiled twin"):
        field_checks(Ruled)


@given(
    text=st.text(alphabet=st.sampled_from(list("ab\u0416\u4e2d\U0001f600")), max_size=12),
    start=st.integers(-3, 15),
    end=st.integers(-3, 15),
)
def test_slices_are_pythons(text: str, start: int, end: int) -> None:
    texts = pa.array([text, None, text])
    starts = pa.array([start, 0, None], type=pa.int32())
    ends = pa.array([end, 1, 2], type=pa.int32())
    assert slice_texts(texts, starts, ends).to_pylist() == [
        text[max(start, 0) : max(end, 0)],
        None,
        None,
    ]


def test_a_class_name_that_disagrees_with_its_index_is_rejected_by_both() -> None:
    text = "Roads were closed."
    row = {
        "paragraph_id": "d/p0000",
        "doc_id": "d",
        "paragraph_index": 0,
        "section_index": 0,
        "role": 3,
        "role_confidence": 0.5,
        "text": text,
        "char_start": 0,
        "char_end": len(text),
        "flags": [],
        "role_name": "body",
    }
    names = ["body", "lead", "BODY", "list", None]
    arrow = _table("paragraphs", [row] + [{**row, "role_name": name} for name in names])
    compiled = rejected_rows(PyTable("paragraphs", arrow), TABLE_MODELS["paragraphs"]).tolist()
    assert compiled == [False, False, True, True, True, True]
    assert compiled == _pydantic_rejects("paragraphs", arrow)


_SPACES = [chr(c) for c in range(0x110000) if chr(c).isspace()]


@given(
    texts=st.lists(
        st.one_of(
            st.none(),
            st.text(
                alphabet=st.one_of(
                    st.sampled_from(_SPACES),
                    st.sampled_from(list("a\u0416\u4e2d\U0001f600\u200b\u00a1\u2027\u202a")),
                    st.characters(exclude_categories=("Cs",)),
                ),
                max_size=6,
            ),
        ),
        max_size=8,
    )
)
def test_untrimmed_is_strip_or_a_line_break(texts: list[str | None]) -> None:
    # The rule of Paragraph._check_consistency, read on the UTF-8 bytes of a slice with nulls.
    array = pa.array([None, "x", *texts], type=pa.string()).slice(1)
    expected = [t is not None and (t != t.strip() or "\n" in t) for t in ["x", *texts]]
    assert untrimmed(array).tolist() == expected
