"""Recall of near-duplicate detection on planted near-duplicates of real documents.

Each source document gets one planted copy per edit kind (``EDITS``); the copy is built by the
pure core as a dispatch would be, its true word-shingle Jaccard similarity with the original
is computed exactly, and the originals and copies are clustered together as a build clusters
them. Recall is measured among planted pairs whose true Jaccard reaches the threshold; the
clusters among the originals alone are the false-positive candidates.
"""

from __future__ import annotations

import random
import re
import textwrap
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from dispatch_corpus.core.neardup import (
    JACCARD_THRESHOLD,
    find_clusters,
    shingles,
    sketch_documents,
)
from dispatch_corpus.core.pipeline import process_dispatch
from dispatch_corpus.core.raw import RawDispatch
from dispatch_corpus.models import PARAGRAPH_SEPARATOR, DocumentRecord

NEARDUP_SEED = 20261128
"""Fixed random seed of the edits: the same sources give the same planted copies."""
_WORD = re.compile(r"\w+")


def _rewrap(paragraphs: list[str], rng: random.Random, pool: Sequence[str]) -> list[str]:
    """Re-wrap every paragraph's lines at a random width (the lines of one paragraph)."""
    width = rng.randint(40, 72)
    return ["\n".join(textwrap.wrap(p, width)) or p for p in paragraphs]


def _headline(paragraphs: list[str], rng: random.Random, pool: Sequence[str]) -> list[str]:
    """Replace the first paragraph (the headline) with another document's."""
    return [rng.choice(pool), *paragraphs[1:]]


def _words10(paragraphs: list[str], rng: random.Random, pool: Sequence[str]) -> list[str]:
    """Replace 10% of the words, chosen at random, with words of other documents."""
    vocabulary = _WORD.findall(" ".join(pool))

    def swap(match: re.Match[str]) -> str:
        return rng.choice(vocabulary) if rng.random() < 0.1 else match.group(0)

    return [_WORD.sub(swap, p) for p in paragraphs]


def _reorder(paragraphs: list[str], rng: random.Random, pool: Sequence[str]) -> list[str]:
    """Shuffle the paragraphs after the headline."""
    rest = paragraphs[1:]
    rng.shuffle(rest)
    return [paragraphs[0], *rest]


def _sentence(paragraphs: list[str], rng: random.Random, pool: Sequence[str]) -> list[str]:
    """Add a sentence (a paragraph of another document) at a random place after the headline."""
    where = rng.randint(1, len(paragraphs))
    return [*paragraphs[:where], rng.choice(pool), *paragraphs[where:]]


EDITS: dict[str, Callable[[list[str], random.Random, Sequence[str]], list[str]]] = {
    "rewrap": _rewrap,
    "headline": _headline,
    "words10": _words10,
    "reorder": _reorder,
    "sentence": _sentence,
}
"""Edit kinds: each takes a document's paragraphs, a random source and a pool of other
paragraphs, and returns the planted copy's paragraphs."""


def jaccard(left: set[str], right: set[str]) -> float:
    """Return the exact Jaccard similarity of two sets (1.0 for two empty sets)."""
    union = len(left | right)
    return len(left & right) / union if union else 1.0


@dataclass
class EditRecall:
    """Recall of one edit kind."""

    planted: int = 0
    eligible: int = 0
    """Planted pairs with a true Jaccard at or above the threshold."""
    found: int = 0
    """Eligible pairs clustered together."""
    found_below: int = 0
    """Pairs below the threshold clustered together anyway."""
    true_jaccard: list[float] = field(default_factory=list)

    @property
    def recall(self) -> float:
        """Share of eligible pairs found (1.0 without eligible pairs)."""
        return self.found / self.eligible if self.eligible else 1.0


@dataclass(frozen=True)
class FalsePair:
    """A verified pair among the original documents whose true Jaccard is under threshold."""

    left: str
    right: str
    estimated: float
    true: float


@dataclass
class RecallReport:
    """What ``measure_recall`` found."""

    documents: int
    by_edit: dict[str, EditRecall]
    real_pairs: int
    """Verified pairs among the original documents alone."""
    false_pairs: list[FalsePair]


def _canonical(doc_id: str, raw: str) -> DocumentRecord | None:
    outcome = process_dispatch(RawDispatch(f"plant/{doc_id}.txt", "plant", doc_id, raw.encode()))
    return outcome if isinstance(outcome, DocumentRecord) else None


def measure_recall(texts: dict[str, str], limit: int | None = None) -> RecallReport:
    """Plant one copy per edit kind of each document, cluster everything, and score recall.

    Args:
        texts: Canonical texts of real documents, by doc_id.
        limit: Plant copies of the first ``limit`` documents only (all when None).

    Returns:
        Recall per edit kind and the false positives among the originals.
    """
    rng = random.Random(NEARDUP_SEED)
    ids = sorted(texts)
    originals = {doc_id: shingles(texts[doc_id]) for doc_id in ids}
    pool = [p for doc_id in ids for p in texts[doc_id].split(PARAGRAPH_SEPARATOR)]
    doc_ids, sets = list(ids), [originals[doc_id] for doc_id in ids]
    paragraphs_of = [texts[doc_id].split(PARAGRAPH_SEPARATOR) for doc_id in ids]
    planted: list[tuple[str, str, str, float]] = []
    for doc_id in ids[:limit]:
        paragraphs = texts[doc_id].split(PARAGRAPH_SEPARATOR)
        for kind, edit in EDITS.items():
            copy_id = f"{doc_id}.{kind}"
            record = _canonical(copy_id, "\n\n".join(edit(list(paragraphs), rng, pool)))
            if record is None:
                continue
            copy = shingles(record.document.text)
            planted.append((doc_id, copy_id, kind, jaccard(originals[doc_id], copy)))
            doc_ids.append(copy_id)
            sets.append(copy)
            paragraphs_of.append([p.text for p in record.paragraphs])
    sketch = sketch_documents(paragraphs_of)
    clusters = find_clusters(doc_ids, sketch.signatures, sketch.usable)
    cluster_of = dict(zip(doc_ids, clusters.cluster_ids, strict=True))
    by_edit = {kind: EditRecall() for kind in EDITS}
    for doc_id, copy_id, kind, true in planted:
        score = by_edit[kind]
        score.planted += 1
        score.true_jaccard.append(true)
        together = cluster_of[doc_id] == cluster_of[copy_id]
        if true >= JACCARD_THRESHOLD:
            score.eligible += 1
            score.found += together
        else:
            score.found_below += together
    real = [(a, b, s) for a, b, s in clusters.pairs if b < len(ids)]
    false_pairs = [
        FalsePair(ids[a], ids[b], s, jaccard(originals[ids[a]], originals[ids[b]]))
        for a, b, s in real
    ]
    return RecallReport(
        documents=len(ids),
        by_edit=by_edit,
        real_pairs=len(real),
        false_pairs=[p for p in false_pairs if p.true < JACCARD_THRESHOLD],
    )
