"""K-fold cross-validation of the labeler by document (pure functions).

The roles come from rules with no fitted parameter; what is fitted on gold is the
confidence calibration (``dispatch_corpus.core.label.confidence``). Each fold's confidences come
from a calibration fitted on the other folds only, so no paragraph is scored by a table that
saw it. Folds are stratified by collection and assigned deterministically.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from dispatch_corpus.core.label.confidence import Calibration, fit_calibration, role_confidences
from dispatch_corpus.core.label.roles import Labeled
from dispatch_corpus.evaluation.score import Evaluation, GoldDocument, evaluate_documents
from dispatch_corpus.models import DocumentRecord
from dispatch_corpus.settings import DEFAULT_CV_FOLDS

FITTED_PARTS = "confidence calibration (per-rule accuracy counts)"
"""What ``cross_validate`` fits inside each fold; the role rules have no fitted parameter."""


@dataclass(frozen=True)
class GoldLabels:
    """A gold document, the record built for it, and the labeled roles of its paragraphs."""

    gold: GoldDocument
    record: DocumentRecord
    labeled: tuple[Labeled, ...]


@dataclass
class CrossValidation:
    """Scores of every gold document, each predicted with a calibration fitted without it."""

    folds: int
    evaluation: Evaluation
    fold_of: dict[str, int] = field(default_factory=dict)
    fold_accuracy: list[float] = field(default_factory=list)
    held_out: list[tuple[GoldDocument, DocumentRecord | None]] = field(default_factory=list)
    """Each document with its record as scored: confidences from the other folds' table."""

    def as_dict(self) -> dict[str, Any]:
        """Return the scores as plain JSON-ready data."""
        return {
            "folds": self.folds,
            "fitted_in_folds": FITTED_PARTS,
            "fold_role_accuracy": [round(a, 4) for a in self.fold_accuracy],
            "fold_of": dict(sorted(self.fold_of.items())),
            **self.evaluation.as_dict(),
        }


def assign_folds(documents: Sequence[tuple[str, str]], folds: int) -> dict[str, int]:
    """Assign each document to a fold, stratified by collection, deterministically.

    Within each collection (in name order) documents are ordered by the sha256 of their id
    and dealt round-robin; the deal goes on from one collection to the next, so fold sizes
    differ by at most one.

    Args:
        documents: ``(doc_id, collection)`` pairs.
        folds: Number of folds, at least 2.

    Returns:
        ``doc_id -> fold`` (0-based).

    Raises:
        ValueError: When ``folds`` is below 2 or above the number of documents.
    """
    if folds < 2 or folds > len(documents):
        raise ValueError(f"cannot split {len(documents)} documents into {folds} folds")
    by_collection: dict[str, list[str]] = {}
    for doc_id, collection in documents:
        by_collection.setdefault(collection, []).append(doc_id)
    fold_of: dict[str, int] = {}
    dealt = 0
    for collection in sorted(by_collection):
        # A fixed shuffle: the sha256 order does not follow how ids are named or numbered, and the
        # id breaks ties.
        ids = sorted(by_collection[collection], key=lambda d: (_digest(d), d))
        for doc_id in ids:
            fold_of[doc_id] = dealt % folds
            dealt += 1
    return fold_of


def _digest(doc_id: str) -> str:
    return hashlib.sha256(doc_id.encode("utf-8")).hexdigest()


def calibration_samples(items: Sequence[GoldLabels]) -> list[tuple[Labeled, bool]]:
    """Pair each gold paragraph's labeled role with whether it matches the gold role.

    Paragraphs are matched by span; a gold paragraph the build did not produce gives none.
    """
    samples: list[tuple[Labeled, bool]] = []
    for item in items:
        by_span = {
            (p.char_start, p.char_end): labeled
            for p, labeled in zip(item.record.paragraphs, item.labeled, strict=True)
        }
        for para in item.gold.paragraphs:
            labeled = by_span.get((para.char_start, para.char_end))
            if labeled is not None:
                samples.append((labeled, labeled.role.value == para.role))
    return samples


def with_confidences(item: GoldLabels, calibration: Calibration) -> DocumentRecord:
    """Return the item's record with its confidences recomputed from ``calibration``."""
    values = role_confidences(item.labeled, calibration)
    paragraphs = [
        p.model_copy(update={"role_confidence": c})
        for p, c in zip(item.record.paragraphs, values, strict=True)
    ]
    return item.record.model_copy(update={"paragraphs": paragraphs})


def cross_validate(items: Sequence[GoldLabels], folds: int = DEFAULT_CV_FOLDS) -> CrossValidation:
    """Score every gold document with a calibration fitted on the other folds.

    Args:
        items: The built gold documents with their labeled roles.
        folds: Number of folds.

    Returns:
        The pooled scores of the held-out predictions, and each fold's role accuracy.

    Raises:
        ValueError: When the documents cannot be split into ``folds`` folds.
    """
    fold_of = assign_folds([(i.gold.doc_id, i.record.document.collection) for i in items], folds)
    held_out: list[tuple[GoldDocument, DocumentRecord | None]] = []
    fold_accuracy: list[float] = []
    for fold in range(folds):
        train = [i for i in items if fold_of[i.gold.doc_id] != fold]
        test = [i for i in items if fold_of[i.gold.doc_id] == fold]
        calibration = fit_calibration(calibration_samples(train))
        scored = [(i.gold, with_confidences(i, calibration)) for i in test]
        # Per fold only the accuracy is kept; the full scores, per language too, are pooled over the
        # folds below.
        fold_accuracy.append(evaluate_documents(scored, by_language=False).role_accuracy)
        held_out.extend(scored)
    order = {i.gold.doc_id: k for k, i in enumerate(items)}
    # Back in the gold's order, so the pooled report lists documents as a plain evaluation does.
    held_out.sort(key=lambda pair: order[pair[0].doc_id])
    return CrossValidation(
        folds=folds,
        evaluation=evaluate_documents(held_out),
        fold_of=fold_of,
        fold_accuracy=fold_accuracy,
        held_out=held_out,
    )
