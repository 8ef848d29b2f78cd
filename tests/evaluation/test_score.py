from collections.abc import Callable
from typing import Any

import pytest

from dispatch_corpus.evaluation.score import (
    MISSING,
    GoldDocument,
    evaluate_documents,
    expected_calibration_error,
    parse_gold,
    reliability_table,
)
from dispatch_corpus.models import DocumentRecord, Role, SectionLabel

PARAGRAPHS = ["Storm hits the coast", "A storm hit the coast.", "Roads closed.", "He said so."]
ROLES = [Role.HEADLINE, Role.LEAD, Role.BODY, Role.STATEMENT]
SECTIONS = [
    (SectionLabel.HEADLINE, 0, 1),
    (SectionLabel.LEAD, 1, 2),
    (SectionLabel.BODY, 2, 3),
    (SectionLabel.STATEMENT, 3, 4),
]


def _gold_from(record: DocumentRecord, roles: list[str], language: str = "en") -> GoldDocument:
    """Gold in the .expected.json format, with the record's spans and the given roles."""
    data: dict[str, Any] = {
        "doc_id": record.document.doc_id,
        "language": language,
        "text_sha256": record.document.text_sha256,
        "paragraphs": [
            {"char_start": p.char_start, "char_end": p.char_end, "role": role}
            for p, role in zip(record.paragraphs, roles, strict=True)
        ],
        "sections": [
            {"label": s.label.value, "paragraph_start": s.paragraph_start, "paragraph_end": e}
            for s, e in ((s, s.paragraph_end) for s in record.sections)
        ],
    }
    return parse_gold(data)


@pytest.fixture
def record(make_record: Callable[..., DocumentRecord]) -> DocumentRecord:
    return make_record(PARAGRAPHS, ROLES, SECTIONS, doc_id="d1")


def test_parse_gold_reads_the_expected_json_format(seed_expected: dict[str, Any]) -> None:
    gold = parse_gold(seed_expected)
    assert gold.doc_id == seed_expected["doc_id"]
    assert gold.language == "fr"
    assert gold.text_sha256 == seed_expected["text_sha256"]
    assert len(gold.paragraphs) == len(seed_expected["paragraphs"])
    first = seed_expected["paragraphs"][0]
    assert (gold.paragraphs[0].char_start, gold.paragraphs[0].char_end) == (
        first["char_start"],
        first["char_end"],
    )
    assert gold.sections[0] == (
        seed_expected["sections"][0]["label"],
        seed_expected["sections"][0]["paragraph_start"],
        seed_expected["sections"][0]["paragraph_end"],
    )


@pytest.mark.parametrize(
    ("paragraph", "error", "message"),
    [
        ({"char_start": 0, "char_end": 4, "role": "villain"}, ValueError, "role 'villain' is not"),
        ({"char_start": 0, "char_end": 4, "role": 3}, ValueError, "role 3 is not one of"),
        ({"char_start": 0.5, "char_end": 4, "role": "lead"}, ValueError, "char_start 0.5 is not"),
        ({"char_start": True, "char_end": 4, "role": "lead"}, ValueError, "char_start True is"),
        ({"char_start": 0, "char_end": "4", "role": "lead"}, ValueError, "char_end '4' is not"),
    ],
)
def test_parse_gold_names_a_value_of_the_wrong_kind(
    paragraph: dict[str, Any], error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        parse_gold({"doc_id": "x", "paragraphs": [paragraph]})


def test_parse_gold_wants_lists_of_objects() -> None:
    with pytest.raises(TypeError, match="paragraphs is not a list of objects"):
        parse_gold({"doc_id": "x", "paragraphs": "abc"})
    with pytest.raises(TypeError, match="sections is not a list of objects"):
        parse_gold({"doc_id": "x", "paragraphs": [], "sections": [1]})
    section = {"label": "chorus", "paragraph_start": 0, "paragraph_end": 1}
    with pytest.raises(ValueError, match="label 'chorus' is not one of"):
        parse_gold({"doc_id": "x", "paragraphs": [], "sections": [section]})


def test_parse_gold_requires_doc_id_and_paragraphs() -> None:
    with pytest.raises(KeyError):
        parse_gold({"paragraphs": []})
    with pytest.raises(KeyError):
        parse_gold({"doc_id": "x"})
    assert parse_gold({"doc_id": "x", "paragraphs": []}).language == "und"


def test_perfect_prediction_scores_one(record: DocumentRecord) -> None:
    gold = _gold_from(record, [r.value for r in ROLES])
    result = evaluate_documents([(gold, record)])
    assert (result.documents, result.paragraphs) == (1, 4)
    assert result.role_accuracy == 1.0
    assert result.macro_f1 == 1.0
    assert result.segmentation_exact == 1.0
    assert result.sections_exact == 1.0
    assert result.confusions == []
    assert list(result.per_role) == ["headline", "lead", "body", "statement"]
    assert all(s.support == 1 for s in result.per_role.values())


def test_one_wrong_role_is_scored_per_role(record: DocumentRecord) -> None:
    gold = _gold_from(record, ["headline", "lead", "body", "body"])
    result = evaluate_documents([(gold, record)])
    assert result.role_accuracy == pytest.approx(3 / 4)
    body = result.per_role["body"]
    assert (body.precision, body.recall, body.support) == (1.0, 0.5, 2)
    assert body.f1 == pytest.approx(2 / 3)
    statement = result.per_role["statement"]
    assert (statement.precision, statement.recall, statement.f1, statement.support) == (
        0.0,
        0.0,
        0.0,
        0,
    )
    assert result.macro_f1 == pytest.approx((1 + 1 + 2 / 3 + 0) / 4)
    assert result.confusions == [("body", "statement", 1)]
    assert result.segmentation_exact == 1.0


def test_spans_that_differ_count_as_missing_paragraphs(record: DocumentRecord) -> None:
    data = {
        "doc_id": "d1",
        "language": "en",
        "text_sha256": record.document.text_sha256,
        "paragraphs": [
            {"char_start": 0, "char_end": 20, "role": "headline"},
            {"char_start": 22, "char_end": 60, "role": "lead"},
        ],
    }
    result = evaluate_documents([(parse_gold(data), record)])
    assert result.role_accuracy == 0.5
    assert result.segmentation_exact == 0.0
    assert result.confusions == [("lead", MISSING, 1)]


def test_documents_not_built_are_listed_as_missing(record: DocumentRecord) -> None:
    gold = _gold_from(record, [r.value for r in ROLES])
    absent = parse_gold(
        {
            "doc_id": "gone",
            "language": "fr",
            "paragraphs": [{"char_start": 0, "char_end": 3, "role": "lead"}],
        }
    )
    result = evaluate_documents([(gold, record), (absent, None)])
    assert result.missing == ["gone"]
    assert result.documents == 2
    assert result.paragraphs == 5
    assert result.role_accuracy == pytest.approx(4 / 5)
    assert result.segmentation_exact == 0.5
    assert result.per_language["en"].role_accuracy == 1.0
    assert result.per_language["fr"].role_accuracy == 0.0
    assert result.per_language["fr"].missing == ["gone"]
    assert result.per_language["fr"].per_language == {}


def test_section_mismatch_is_not_exact(record: DocumentRecord) -> None:
    gold = _gold_from(record, [r.value for r in ROLES])
    merged = GoldDocument(
        doc_id=gold.doc_id,
        language=gold.language,
        text_sha256=gold.text_sha256,
        paragraphs=gold.paragraphs,
        sections=(("headline", 0, 1), ("lead", 1, 2), ("body", 2, 4)),
    )
    result = evaluate_documents([(merged, record)])
    assert result.sections_exact == 0.0
    assert result.role_accuracy == 1.0


def test_no_documents_score_zero() -> None:
    result = evaluate_documents([])
    assert (result.documents, result.paragraphs, result.role_accuracy) == (0, 0, 0.0)
    assert result.per_role == {}


def test_as_dict_is_json_ready_and_rounded(record: DocumentRecord) -> None:
    import json

    gold = _gold_from(record, ["headline", "lead", "body", "body"])
    data = evaluate_documents([(gold, record)]).as_dict()
    assert json.loads(json.dumps(data)) == data
    assert data["role_accuracy"] == 0.75
    assert data["per_role"]["body"]["f1"] == round(2 / 3, 4)
    assert data["confusions"] == [{"gold": "body", "predicted": "statement", "count": 1}]
    assert set(data["per_language"]) == {"en"}


# --- reliability and calibration (issue 13) -------------------------------------------------


def test_reliability_table_bins_by_confidence_and_reports_accuracy() -> None:
    scored = [(0.95, True), (0.97, True), (0.91, False), (0.55, True), (0.5, False), (1.0, True)]
    table = reliability_table(scored)
    assert len(table) == 10
    assert [b.count for b in table] == [0, 0, 0, 0, 0, 2, 0, 0, 0, 4]
    top = table[-1]
    assert (top.low, top.high) == (0.9, 1.0)
    assert top.mean_confidence == pytest.approx((0.95 + 0.97 + 0.91 + 1.0) / 4)
    assert top.accuracy == 0.75
    assert table[5].accuracy == 0.5


def test_calibration_error_weighs_each_bin_by_its_paragraphs() -> None:
    table = reliability_table([(0.95, True)] * 9 + [(0.95, False)] + [(0.15, False)] * 10)
    assert expected_calibration_error(table) == pytest.approx(0.5 * 0.05 + 0.5 * 0.15)
    assert expected_calibration_error(reliability_table([])) == 0.0


def test_evaluation_reports_calibration_and_confident_coverage(record: DocumentRecord) -> None:
    built = record
    roles = [p.role.value for p in built.paragraphs]
    paragraphs = [
        p.model_copy(update={"role_confidence": 0.95 if i else 0.5})
        for i, p in enumerate(built.paragraphs)
    ]
    scored = built.model_copy(update={"paragraphs": paragraphs})
    result = evaluate_documents([(_gold_from(scored, roles), scored)])
    n = len(paragraphs)
    assert result.confident_coverage == pytest.approx((n - 1) / n)
    assert result.confident_accuracy == 1.0
    assert result.calibration_error == pytest.approx((0.5 + 0.05 * (n - 1)) / n)
    data = result.as_dict()
    assert data["confident_threshold"] == 0.9
    assert sum(b["count"] for b in data["reliability"]) == n
