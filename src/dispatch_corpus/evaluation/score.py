"""Score labeled documents against hand-labeled gold (pure functions)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from dispatch_corpus.models import DocumentRecord, Role, SectionLabel

MISSING = "(no paragraph)"
"""Prediction recorded for a gold paragraph whose span the build did not produce."""
FREQUENT_ROLE_MIN_SUPPORT = 5
"""Roles with at least this many gold paragraphs enter ``macro_f1_frequent``: the F1 of a
role seen once or twice says nothing."""
CONFIDENT = 0.9
"""The confidence from which a label counts as confident (coverage and accuracy reported)."""
RELIABILITY_BINS = 10
"""Equal-width confidence bins of the reliability table and of the calibration error."""


@dataclass(frozen=True)
class GoldParagraph:
    """One gold paragraph: its span and role."""

    char_start: int
    char_end: int
    role: str


@dataclass(frozen=True)
class GoldDocument:
    """A hand-labeled document in the ``.expected.json`` format."""

    doc_id: str
    language: str
    text_sha256: str
    paragraphs: tuple[GoldParagraph, ...]
    sections: tuple[tuple[str, int, int], ...]


def parse_gold(data: Mapping[str, Any]) -> GoldDocument:
    """Read one parsed ``.expected.json`` object.

    Args:
        data: The JSON object.

    Returns:
        The gold document.

    Raises:
        KeyError: When a required key is missing.
        TypeError: When ``paragraphs`` or ``sections`` is not a list of objects.
        ValueError: When an offset or index is not an integer, or a role or section label
            is not one of the model's (the message names the value).
    """
    paragraphs, sections = data["paragraphs"], data.get("sections", [])
    for name, items in (("paragraphs", paragraphs), ("sections", sections)):
        if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
            raise TypeError(f"{name} is not a list of objects")
    return GoldDocument(
        doc_id=str(data["doc_id"]),
        language=str(data.get("language") or "und"),
        text_sha256=str(data.get("text_sha256", "")),
        paragraphs=tuple(
            GoldParagraph(
                _integer(p["char_start"], "char_start"),
                _integer(p["char_end"], "char_end"),
                _choice(p["role"], _ROLES, "role"),
            )
            for p in paragraphs
        ),
        sections=tuple(
            (
                _choice(s["label"], _LABELS, "label"),
                _integer(s["paragraph_start"], "paragraph_start"),
                _integer(s["paragraph_end"], "paragraph_end"),
            )
            for s in sections
        ),
    )


_ROLES = tuple(role.value for role in Role)
_LABELS = tuple(label.value for label in SectionLabel)


def _integer(value: object, name: str) -> int:
    # bool is an int in Python: true is no offset.
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{name} {value!r:.60} is not an integer")
    return value


def _choice(value: object, allowed: tuple[str, ...], name: str) -> str:
    if not isinstance(value, str) or value not in allowed:
        raise ValueError(f"{name} {value!r:.60} is not one of {', '.join(allowed)}")
    return value


@dataclass(frozen=True)
class RoleScore:
    """Precision, recall and F1 of one role."""

    precision: float
    recall: float
    f1: float
    support: int


@dataclass(frozen=True)
class ReliabilityBin:
    """Paragraphs whose confidence falls in ``[low, high)`` (the last bin includes 1.0)."""

    low: float
    high: float
    count: int
    mean_confidence: float
    accuracy: float


def reliability_table(
    scored: Sequence[tuple[float, bool]], bins: int = RELIABILITY_BINS
) -> list[ReliabilityBin]:
    """Group scored paragraphs by confidence: per bin, their mean confidence and accuracy.

    Args:
        scored: ``(confidence, correct)`` per paragraph.
        bins: Number of equal-width bins over [0, 1].

    Returns:
        One entry per bin, empty bins included (count 0, mean and accuracy 0).
    """
    groups: list[list[tuple[float, bool]]] = [[] for _ in range(bins)]
    for confidence, correct in scored:
        # Confidence 1.0 goes in the last bin, and a value outside [0, 1] in the nearest one.
        groups[min(bins - 1, max(0, int(confidence * bins)))].append((confidence, correct))
    return [
        ReliabilityBin(
            low=k / bins,
            high=(k + 1) / bins,
            count=len(group),
            mean_confidence=sum(c for c, _ in group) / len(group) if group else 0.0,
            accuracy=sum(ok for _, ok in group) / len(group) if group else 0.0,
        )
        for k, group in enumerate(groups)
    ]


def expected_calibration_error(table: Sequence[ReliabilityBin]) -> float:
    """Return the count-weighted mean gap between confidence and accuracy over the bins."""
    total = sum(b.count for b in table)
    if not total:
        return 0.0
    return sum(b.count * abs(b.accuracy - b.mean_confidence) for b in table) / total


@dataclass
class Evaluation:
    """Scores of a set of predicted documents against gold."""

    documents: int = 0
    paragraphs: int = 0
    segmentation_exact: float = 0.0
    role_accuracy: float = 0.0
    macro_f1: float = 0.0
    macro_f1_frequent: float = 0.0
    sections_exact: float = 0.0
    calibration_error: float = 0.0
    confident_coverage: float = 0.0
    confident_accuracy: float = 0.0
    reliability: list[ReliabilityBin] = field(default_factory=list)
    per_role: dict[str, RoleScore] = field(default_factory=dict)
    confusions: list[tuple[str, str, int]] = field(default_factory=list)
    matrix: dict[str, dict[str, int]] = field(default_factory=dict)
    per_language: dict[str, Evaluation] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        """Return the scores as plain JSON-ready data."""
        return {
            "documents": self.documents,
            "paragraphs": self.paragraphs,
            "segmentation_exact": round(self.segmentation_exact, 4),
            "role_accuracy": round(self.role_accuracy, 4),
            "macro_f1": round(self.macro_f1, 4),
            "macro_f1_frequent": round(self.macro_f1_frequent, 4),
            "frequent_role_min_support": FREQUENT_ROLE_MIN_SUPPORT,
            "sections_exact": round(self.sections_exact, 4),
            "calibration_error": round(self.calibration_error, 4),
            "confident_threshold": CONFIDENT,
            "confident_coverage": round(self.confident_coverage, 4),
            "confident_accuracy": round(self.confident_accuracy, 4),
            "reliability": [
                {
                    "low": round(b.low, 4),
                    "high": round(b.high, 4),
                    "count": b.count,
                    "mean_confidence": round(b.mean_confidence, 4),
                    "accuracy": round(b.accuracy, 4),
                }
                for b in self.reliability
            ],
            "per_role": {
                role: {
                    "precision": round(s.precision, 4),
                    "recall": round(s.recall, 4),
                    "f1": round(s.f1, 4),
                    "support": s.support,
                }
                for role, s in self.per_role.items()
            },
            "confusions": [{"gold": g, "predicted": p, "count": n} for g, p, n in self.confusions],
            "matrix": self.matrix,
            "per_language": {k: v.as_dict() for k, v in self.per_language.items()},
            "missing": self.missing,
        }


def evaluate_documents(
    pairs: Sequence[tuple[GoldDocument, DocumentRecord | None]], *, by_language: bool = True
) -> Evaluation:
    """Score predictions against gold.

    A gold paragraph counts as correctly labeled when the prediction has a paragraph with
    the same span and the same role. A document is exactly segmented when its canonical
    text and every paragraph span match, and exactly sectioned when every section matches.

    Args:
        pairs: Each gold document with the record built for it (None if not built).
        by_language: Also score each language separately.

    Returns:
        The evaluation.
    """
    result = Evaluation(documents=len(pairs))
    pairs_scored: list[tuple[str, str]] = []
    confidences: list[float] = []
    segmented = sectioned = 0
    for gold, record in pairs:
        predicted: dict[tuple[int, int], str] = {}
        confidence: dict[tuple[int, int], float] = {}
        if record is None:
            result.missing.append(gold.doc_id)
        else:
            predicted = {(p.char_start, p.char_end): p.role.value for p in record.paragraphs}
            confidence = {(p.char_start, p.char_end): p.role_confidence for p in record.paragraphs}
            spans = [(p.char_start, p.char_end) for p in gold.paragraphs]
            # A dict keeps the record's paragraph order: equal lists are the same spans in the same
            # order.
            if record.document.text_sha256 == gold.text_sha256 and list(predicted) == spans:
                segmented += 1
            sections = [
                (s.label.value, s.paragraph_start, s.paragraph_end) for s in record.sections
            ]
            if sections == list(gold.sections):
                sectioned += 1
        for para in gold.paragraphs:
            span = (para.char_start, para.char_end)
            pairs_scored.append((para.role, predicted.get(span, MISSING)))
            # A paragraph the build did not produce is wrong with confidence 0: it weighs on
            # calibration and confident coverage as an error.
            confidences.append(confidence.get(span, 0.0))
    n = len(pairs_scored)
    result.paragraphs = n
    result.segmentation_exact = segmented / len(pairs) if pairs else 0.0
    result.sections_exact = sectioned / len(pairs) if pairs else 0.0
    result.role_accuracy = sum(g == p for g, p in pairs_scored) / n if n else 0.0
    result.per_role = _per_role(pairs_scored)
    scores = list(result.per_role.values())
    result.macro_f1 = sum(s.f1 for s in scores) / len(scores) if scores else 0.0
    frequent = [s for s in scores if s.support >= FREQUENT_ROLE_MIN_SUPPORT]
    result.macro_f1_frequent = sum(s.f1 for s in frequent) / len(frequent) if frequent else 0.0
    scored = [(c, g == p) for c, (g, p) in zip(confidences, pairs_scored, strict=True)]
    result.reliability = reliability_table(scored)
    result.calibration_error = expected_calibration_error(result.reliability)
    confident = [ok for c, ok in scored if c >= CONFIDENT]
    result.confident_coverage = len(confident) / n if n else 0.0
    result.confident_accuracy = sum(confident) / len(confident) if confident else 0.0
    errors = Counter((g, p) for g, p in pairs_scored if g != p)
    result.confusions = [(g, p, k) for (g, p), k in errors.most_common()]
    result.matrix = confusion_matrix(pairs_scored)
    if by_language:
        languages = sorted({gold.language for gold, _ in pairs})
        result.per_language = {
            lang: evaluate_documents(
                [pr for pr in pairs if pr[0].language == lang], by_language=False
            )
            for lang in languages
        }
    return result


def confusion_matrix(pairs: Sequence[tuple[str, str]]) -> dict[str, dict[str, int]]:
    """Count gold -> predicted role pairs, every role of either side on both axes.

    Args:
        pairs: ``(gold role, predicted role)`` per gold paragraph; the prediction may be
            ``MISSING``.

    Returns:
        ``matrix[gold][predicted]`` counts over the same ordered labels (roles in their
        ClassLabel order, then ``MISSING`` if any prediction is missing), zeros included.
    """
    present = {g for g, _ in pairs} | {p for _, p in pairs}
    labels: list[str] = [r.value for r in Role if r.value in present]
    labels += sorted(present.difference(labels))
    counts = Counter(pairs)
    return {g: {p: counts[(g, p)] for p in labels} for g in labels}


def _per_role(pairs: Sequence[tuple[str, str]]) -> dict[str, RoleScore]:
    # MISSING is no role and gets no score; it still counts against the recall of the gold role.
    labels = {g for g, _ in pairs} | {p for _, p in pairs if p != MISSING}
    ordered = [r.value for r in Role if r.value in labels]
    scores: dict[str, RoleScore] = {}
    for role in ordered:
        tp = sum(1 for g, p in pairs if g == role and p == role)
        predicted = sum(1 for _, p in pairs if p == role)
        support = sum(1 for g, _ in pairs if g == role)
        precision = tp / predicted if predicted else 0.0
        recall = tp / support if support else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        scores[role] = RoleScore(precision, recall, f1, support)
    return scores
