from collections.abc import Callable
from typing import Any

import pytest
from pydantic import ValidationError

from dispatch_corpus.models import (
    INT32_MAX,
    DocumentRecord,
    Paragraph,
    QuarantineReason,
    QuarantineRecord,
    Role,
    SectionLabel,
    Stage,
    paragraph_id,
    section_id,
    sha256_hex,
)

Mutation = Callable[[dict[str, Any]], None]


def _rejects(record: DocumentRecord, mutate: Mutation, match: str) -> None:
    data = record.model_dump()
    mutate(data)
    with pytest.raises(ValidationError, match=match):
        DocumentRecord.model_validate(data)


def test_valid_record_round_trips(small_record: DocumentRecord) -> None:
    data = small_record.model_dump(mode="json")
    assert DocumentRecord.model_validate(data) == small_record


def test_ids_follow_the_documented_format() -> None:
    assert paragraph_id("abc", 7) == "abc/p0007"
    assert section_id("abc", 12345) == "abc/s12345"


def test_sha256_hex_hashes_utf8() -> None:
    assert sha256_hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    assert sha256_hex("é") == sha256_hex("\u00e9")


def test_records_are_frozen(small_record: DocumentRecord) -> None:
    with pytest.raises(ValidationError):
        small_record.document.n_chars = 0  # type: ignore[misc]


def _shift_paragraph(data: dict[str, Any]) -> None:
    data["paragraphs"][2]["char_start"] += 1
    data["paragraphs"][2]["char_end"] += 1


def _skip_index(data: dict[str, Any]) -> None:
    para = data["paragraphs"][2]
    para["paragraph_index"] = 3
    para["paragraph_id"] = paragraph_id(para["doc_id"], 3)


def _rewrite_paragraph_text(data: dict[str, Any]) -> None:
    para = data["paragraphs"][2]
    para["text"] = para["text"].upper()


def _wrong_doc_of_paragraph(data: dict[str, Any]) -> None:
    para = data["paragraphs"][1]
    para["doc_id"] = "other"
    para["paragraph_id"] = paragraph_id("other", 1)


def _overlapping_sections(data: dict[str, Any]) -> None:
    section = data["sections"][2]
    section["paragraph_start"] = 1
    section["char_start"] = data["paragraphs"][1]["char_start"]
    section["text"] = data["document"]["text"][section["char_start"] : section["char_end"]]


def _gap_in_sections(data: dict[str, Any]) -> None:
    del data["sections"][1]
    section = data["sections"][1]
    section["section_index"] = 1
    section["section_id"] = section_id(section["doc_id"], 1)
    data["paragraphs"][2]["section_index"] = 1
    data["document"]["n_sections"] = 2


def _uncovered_paragraph(data: dict[str, Any]) -> None:
    del data["sections"][2]
    data["document"]["n_sections"] = 2


def _section_offsets_off(data: dict[str, Any]) -> None:
    section = data["sections"][2]
    section["char_start"] += 1
    section["text"] = section["text"][1:]


def _section_text_off(data: dict[str, Any]) -> None:
    section = data["sections"][2]
    section["text"] = section["text"][::-1]


def _wrong_section_index(data: dict[str, Any]) -> None:
    data["paragraphs"][2]["section_index"] = 1


def _section_index_out_of_order(data: dict[str, Any]) -> None:
    section = data["sections"][2]
    section["section_index"] = 5
    section["section_id"] = section_id(section["doc_id"], 5)


@pytest.mark.parametrize(
    ("mutate", "match"),
    [
        (_shift_paragraph, "offsets do not slice"),
        (_skip_index, "index out of order"),
        (_rewrite_paragraph_text, "joined do not give the document text"),
        (_wrong_doc_of_paragraph, "index out of order"),
        (lambda d: d["document"].update(n_paragraphs=4), "disagree with the rows"),
        (lambda d: d["document"].update(n_sections=2), "disagree with the rows"),
        (lambda d: d["paragraphs"].pop(), "disagree with the rows"),
        (_overlapping_sections, "do not tile"),
        (_gap_in_sections, "do not tile"),
        (_uncovered_paragraph, "do not cover every paragraph"),
        (_section_offsets_off, "offsets disagree with its paragraphs"),
        (_section_text_off, "offsets do not slice"),
        (_wrong_section_index, "wrong section_index"),
        (_section_index_out_of_order, "index out of order"),
    ],
)
def test_document_record_invariants_reject_bad_records(
    small_record: DocumentRecord, mutate: Mutation, match: str
) -> None:
    _rejects(small_record, mutate, match)


@pytest.mark.parametrize(
    ("field", "value", "match"),
    [
        ("n_chars", 1, "n_chars"),
        ("text_sha256", "0" * 64, "text_sha256 does not match"),
        ("text_sha256", "ABC", "text_sha256"),
        ("raw_sha256", "g" * 64, "raw_sha256"),
        ("doc_id", "-starts-with-dash", "doc_id"),
        ("doc_id", "has space", "doc_id"),
        ("doc_id", "x" * 129, "doc_id"),
        ("language", "fra", "language"),
        ("language", "FR", "language"),
        ("n_paragraphs", 0, "at least one paragraph"),
        ("n_chars", INT32_MAX + 1, "n_chars"),
        ("flags", ["bom_removed", "bom_removed"], "duplicate document flags"),
        ("flags", ["not_a_flag"], "flags"),
        ("dateline", "Storm", "dateline offsets"),
        ("dateline_start", 0, "without dateline text"),
        ("unexpected", "x", "unexpected"),
    ],
)
def test_document_rejects_bad_fields(
    small_record: DocumentRecord, field: str, value: Any, match: str
) -> None:
    data = small_record.document.model_dump()
    data[field] = value
    with pytest.raises(ValidationError, match=match):
        type(small_record.document).model_validate(data)


def test_document_accepts_a_dateline_that_slices_the_text(small_record: DocumentRecord) -> None:
    data = small_record.document.model_dump()
    data.update(dateline="Storm", dateline_start=0, dateline_end=5)
    assert type(small_record.document).model_validate(data).dateline == "Storm"
    data.update(dateline_start=1, dateline_end=6)
    with pytest.raises(ValidationError, match="dateline offsets do not slice"):
        type(small_record.document).model_validate(data)


@pytest.mark.parametrize(
    ("field", "value", "match"),
    [
        ("paragraph_id", "doc/p0009", "does not match doc_id/index"),
        ("paragraph_id", "doc/p1", "paragraph_id"),
        ("text", " Roads were closed", "not trimmed"),
        ("text", "Roads were\nclosed.", "not trimmed or spans lines"),
        ("text", "", "text"),
        ("char_end", 10_000, "char_end - char_start"),
        ("paragraph_index", -1, "paragraph_index"),
        ("role", "caption", "role"),
        ("flags", ["bom_removed"], "flags"),
        ("role", Role.LEAD, "role_name 'body' is not role 'lead'"),
        ("role_name", "lead", "role_name 'lead' is not role 'body'"),
        ("role_name", "Body", "role_name"),
        ("role_name", "body ", "role_name"),
        ("role_name", 3, "role_name"),
        ("role_name", None, "role_name"),
    ],
)
def test_paragraph_rejects_bad_fields(
    small_record: DocumentRecord, field: str, value: Any, match: str
) -> None:
    data = small_record.paragraphs[2].model_dump()
    data[field] = value
    with pytest.raises(ValidationError, match=match):
        Paragraph.model_validate(data)


def test_paragraph_role_accepts_its_string_value(small_record: DocumentRecord) -> None:
    data = small_record.paragraphs[2].model_dump(mode="json")
    assert Paragraph.model_validate(data).role is Role.BODY


def test_a_row_without_its_class_name_is_rejected(small_record: DocumentRecord) -> None:
    paragraph = small_record.paragraphs[2].model_dump()
    del paragraph["role_name"]
    with pytest.raises(ValidationError, match="role_name"):
        Paragraph.model_validate(paragraph)
    section = small_record.sections[2].model_dump()
    del section["label_name"]
    with pytest.raises(ValidationError, match="label_name"):
        type(small_record.sections[2]).model_validate(section)


@pytest.mark.parametrize(
    ("field", "value", "match"),
    [
        ("section_id", "doc/s0000", "does not match doc_id/index"),
        ("paragraph_end", 2, "paragraph_end must be above"),
        ("char_end", 10_000, "char_end - char_start"),
        ("label", "headline_list", "label"),
        ("label", SectionLabel.LEAD, "label_name 'body' is not label 'lead'"),
        ("label_name", "list", "label_name 'list' is not label 'body'"),
        ("label_name", "list_item", "label_name"),
        ("label_name", None, "label_name"),
    ],
)
def test_section_rejects_bad_fields(
    small_record: DocumentRecord, field: str, value: Any, match: str
) -> None:
    section = small_record.sections[2]
    data = section.model_dump()
    data[field] = value
    with pytest.raises(ValidationError, match=match):
        type(section).model_validate(data)


def test_quarantine_record_requires_a_known_reason_and_stage() -> None:
    good = {
        "source_path": "c/x.txt",
        "doc_id": "x",
        "stage": "read",
        "reason_code": "empty",
        "message": "file is empty",
        "raw_sha256": None,
    }
    record = QuarantineRecord.model_validate(good)
    assert (record.stage, record.reason_code) == (Stage.READ, QuarantineReason.EMPTY)
    for key, value in [
        ("reason_code", "gone"),
        ("stage", "later"),
        ("message", ""),
        ("raw_sha256", "x"),
    ]:
        with pytest.raises(ValidationError, match=key):
            QuarantineRecord.model_validate({**good, key: value})


def test_factory_builds_the_sections_it_is_given(
    make_record: Callable[..., DocumentRecord],
) -> None:
    record = make_record(
        ["Intro:", "1. one", "2. two"],
        [Role.LIST_INTRO, Role.LIST_ITEM, Role.LIST_ITEM],
        [(SectionLabel.LIST, 0, 3)],
        doc_id="list-doc",
    )
    assert record.sections[0].text == record.document.text
    assert [p.section_index for p in record.paragraphs] == [0, 0, 0]
