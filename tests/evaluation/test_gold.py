import json
import os
import re
from pathlib import Path
from typing import Any

import pytest

from dispatch_corpus.core.pipeline import process_dispatch
from dispatch_corpus.core.raw import RawDispatch
from dispatch_corpus.dataset.corpus import CorpusError
from dispatch_corpus.evaluation.gold import evaluate_gold, load_gold
from dispatch_corpus.models import DocumentRecord, Role

SEED = "000_260b07781369273e"


def _write_gold(folder: Path, data: dict[str, Any]) -> Path:
    folder.mkdir(exist_ok=True)
    path = folder / f"{data['doc_id']}.expected.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def _predicted_seed(project_corpus: Path) -> DocumentRecord:
    raw = (project_corpus / "seed" / f"{SEED}.txt").read_bytes()
    record = process_dispatch(RawDispatch(f"seed/{SEED}.txt", "seed", SEED, raw))
    assert isinstance(record, DocumentRecord)
    return record


def _gold_like(record: DocumentRecord) -> dict[str, Any]:
    """Gold agreeing with whatever the labeler predicts now (labeler-independent tests)."""
    return {
        "doc_id": record.document.doc_id,
        "language": "fr",
        "text_sha256": record.document.text_sha256,
        "paragraphs": [
            {"char_start": p.char_start, "char_end": p.char_end, "role": p.role.value}
            for p in record.paragraphs
        ],
        "sections": [
            {
                "label": s.label.value,
                "paragraph_start": s.paragraph_start,
                "paragraph_end": s.paragraph_end,
            }
            for s in record.sections
        ],
    }


def test_load_gold_reads_every_file_sorted(tmp_path: Path, seed_expected: dict[str, Any]) -> None:
    _write_gold(tmp_path, {**seed_expected, "doc_id": "b"})
    _write_gold(tmp_path, {**seed_expected, "doc_id": "a"})
    (tmp_path / "notes.json").write_text("{}")
    assert [g.doc_id for g in load_gold(tmp_path)] == ["a", "b"]


def test_load_gold_refuses_a_missing_or_empty_folder(tmp_path: Path) -> None:
    with pytest.raises(CorpusError, match="not found"):
        load_gold(tmp_path / "missing")
    with pytest.raises(CorpusError, match=re.escape("no *.expected.json")):
        load_gold(tmp_path)


@pytest.mark.parametrize("content", ["{broken", '{"paragraphs": []}', "[]", '{"doc_id": 1}'])
def test_load_gold_names_the_bad_file(tmp_path: Path, content: str) -> None:
    (tmp_path / "bad.expected.json").write_text(content)
    with pytest.raises(CorpusError, match=r"bad\.expected\.json: (not a gold file|malformed JSON)"):
        load_gold(tmp_path)


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"[" * 100_000, "nested too deeply (over 64 levels)"),
        (b'{"doc_id": "x", "paragraphs": [{"char_start": NaN}]}', "NaN is not a JSON number"),
        (b'{"doc_id": "\\udfff", "paragraphs": []}', "lone surrogate \\udfff"),
        (b'{"doc_id": "x", "paragraphs": "p"}', "not a gold file (paragraphs is not a list"),
        (
            b'{"doc_id": "x", "paragraphs": [{"char_start": 0, "char_end": 1, "role": "hero"}]}',
            "not a gold file (role 'hero' is not one of headline, dateline, lead, body",
        ),
        (
            b'{"doc_id": "x", "paragraphs": [{"char_start": "0", "char_end": 1, "role": "lead"}]}',
            "not a gold file (char_start '0' is not an integer)",
        ),
        (b'{"paragraphs": []}', "not a gold file (no 'doc_id')"),
    ],
)
def test_load_gold_names_the_file_and_the_value(
    tmp_path: Path, content: bytes, reason: str
) -> None:
    path = tmp_path / "bad.expected.json"
    path.write_bytes(content)
    with pytest.raises(CorpusError) as caught:
        load_gold(tmp_path)
    assert str(caught.value).startswith(f"{path}: ")
    assert reason in str(caught.value)


def test_load_gold_opens_only_regular_files(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.expected.json")
    with pytest.raises(CorpusError, match=r"pipe\.expected\.json: not a regular file"):
        load_gold(tmp_path)


def test_gold_agreeing_with_the_labeler_scores_one(tmp_path: Path, project_corpus: Path) -> None:
    _write_gold(tmp_path / "gold", _gold_like(_predicted_seed(project_corpus)))
    result = evaluate_gold(tmp_path / "gold", project_corpus)
    assert (result.documents, result.paragraphs) == (1, 10)
    assert result.role_accuracy == 1.0
    assert result.segmentation_exact == 1.0
    assert result.sections_exact == 1.0
    assert result.missing == []


def test_one_disagreeing_role_costs_one_paragraph(tmp_path: Path, project_corpus: Path) -> None:
    gold = _gold_like(_predicted_seed(project_corpus))
    predicted = gold["paragraphs"][4]["role"]
    other = next(r.value for r in Role if r.value != predicted)
    gold["paragraphs"][4]["role"] = other
    _write_gold(tmp_path / "gold", gold)
    result = evaluate_gold(tmp_path / "gold", project_corpus)
    assert result.role_accuracy == pytest.approx(9 / 10)
    assert result.confusions == [(other, predicted, 1)]


def test_seed_gold_is_segmented_exactly(
    tmp_path: Path, project_corpus: Path, seed_expected: dict[str, Any]
) -> None:
    _write_gold(tmp_path / "gold", seed_expected)
    result = evaluate_gold(tmp_path / "gold", project_corpus)
    assert result.segmentation_exact == 1.0
    assert result.paragraphs == len(seed_expected["paragraphs"])


def test_gold_documents_absent_from_the_corpus_are_missing(
    tmp_path: Path, project_corpus: Path, seed_expected: dict[str, Any]
) -> None:
    _write_gold(tmp_path / "gold", {**seed_expected, "doc_id": "not_in_corpus"})
    result = evaluate_gold(tmp_path / "gold", project_corpus)
    assert result.missing == ["not_in_corpus"]
    assert result.role_accuracy == 0.0


def test_shared_dev_gold_is_scored(shared_corpus: Path) -> None:
    gold_dir = shared_corpus.parent / "gold"
    if not gold_dir.is_dir():
        pytest.skip(f"shared gold not found at {gold_dir.resolve()}")
    n_files = len(list(gold_dir.glob("*.expected.json")))
    result = evaluate_gold(gold_dir, shared_corpus)
    assert result.documents == n_files
    assert result.missing == []
    assert 0.0 < result.role_accuracy <= 1.0
    assert result.segmentation_exact == 1.0, "the split disagrees with the dev gold paragraphs"
