"""The confusion-matrix figure of an evaluation (and the matrix it draws)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from dispatch_corpus.evaluation.plots import write_confusion_matrix
from dispatch_corpus.evaluation.score import (
    MISSING,
    Evaluation,
    GoldDocument,
    GoldParagraph,
    confusion_matrix,
    evaluate_documents,
)
from dispatch_corpus.models import DocumentRecord, Role

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def test_matrix_counts_every_pair_on_one_ordered_square() -> None:
    pairs = [("lead", "lead"), ("body", "statement"), ("body", "body"), ("statement", MISSING)]
    matrix = confusion_matrix(pairs)
    assert list(matrix) == ["lead", "body", "statement", MISSING]
    assert all(list(row) == list(matrix) for row in matrix.values())
    assert matrix["body"] == {"lead": 0, "body": 1, "statement": 1, MISSING: 0}
    assert matrix["statement"][MISSING] == 1
    assert sum(sum(row.values()) for row in matrix.values()) == len(pairs)


def test_evaluation_carries_the_matrix(small_record: DocumentRecord) -> None:
    gold = GoldDocument(
        doc_id="doc",
        language="en",
        text_sha256=small_record.document.text_sha256,
        paragraphs=tuple(
            GoldParagraph(p.char_start, p.char_end, role)
            for p, role in zip(
                small_record.paragraphs, ["headline", "lead", "statement"], strict=True
            )
        ),
        sections=(),
    )
    result = evaluate_documents([(gold, small_record)])
    assert result.matrix["statement"]["body"] == 1
    assert result.matrix["lead"]["lead"] == 1
    assert result.as_dict()["matrix"] == result.matrix


def test_write_confusion_matrix_writes_a_png(small_record: DocumentRecord, tmp_path: Path) -> None:
    gold = GoldDocument(
        doc_id="doc",
        language="en",
        text_sha256=small_record.document.text_sha256,
        paragraphs=tuple(
            GoldParagraph(p.char_start, p.char_end, p.role.value) for p in small_record.paragraphs
        ),
        sections=(),
    )
    target = tmp_path / "figures" / "confusion.png"
    written = write_confusion_matrix(evaluate_documents([(gold, small_record)]), target)
    assert written == target
    data = target.read_bytes()
    assert data.startswith(PNG_MAGIC) and len(data) > 2000


def test_an_empty_evaluation_cannot_be_drawn(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="no paragraph"):
        write_confusion_matrix(Evaluation(), tmp_path / "x.png")
    assert not (tmp_path / "x.png").exists()


def test_importing_plots_does_not_import_matplotlib() -> None:
    code = "import sys, dispatch_corpus.evaluation.plots; print('matplotlib' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_roles_are_ordered_as_the_class_label() -> None:
    pairs = [(r.value, r.value) for r in reversed(Role)]
    assert list(confusion_matrix(pairs)) == [r.value for r in Role]
