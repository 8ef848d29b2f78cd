"""Recall of near-duplicate detection on planted near-duplicates of real documents.

Every document of the corpus gets one planted copy per edit kind (re-wrapped lines, a changed
headline, 10% of words replaced, paragraphs reordered, a sentence added), built by the pure
core as a dispatch would be. The originals and copies are clustered together as a build does;
the script prints, per edit kind, the recall among planted pairs whose true word-shingle
Jaccard similarity reaches the threshold, then the verified pairs among the originals whose
true Jaccard is below it (false positives). Exit 1 when a recall is under ``--goal``.

    uv run --frozen python scripts/bench_neardup.py [--corpus ../shared/corpus] [--limit N]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from dispatch_corpus.bench.neardup import measure_recall
from dispatch_corpus.core.neardup import JACCARD_THRESHOLD
from dispatch_corpus.core.pipeline import process_dispatch
from dispatch_corpus.core.raw import RawDispatch
from dispatch_corpus.models import DocumentRecord

REPO = Path(__file__).resolve().parent.parent


def canonical_texts(corpus: Path) -> dict[str, str]:
    texts = {}
    for path in sorted(corpus.glob("*/*.txt")):
        source = RawDispatch(path.as_posix(), path.parent.name, path.stem, path.read_bytes())
        outcome = process_dispatch(source)
        if isinstance(outcome, DocumentRecord):
            texts[path.stem] = outcome.document.text
    return texts


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=REPO / ".." / "shared" / "corpus")
    parser.add_argument("--limit", type=int, default=None, help="plant copies of N documents")
    parser.add_argument("--goal", type=float, default=0.95)
    args = parser.parse_args()
    texts = canonical_texts(args.corpus)
    if not texts:
        print(f"no documents in {args.corpus}", file=sys.stderr)
        return 2
    report = measure_recall(texts, args.limit)
    print(f"documents {report.documents}, threshold {JACCARD_THRESHOLD}")
    print("edit | planted | true J >= threshold | found | recall | found below | median true J")
    missed = False
    for kind, score in report.by_edit.items():
        values = sorted(score.true_jaccard)
        median = values[len(values) // 2] if values else float("nan")
        print(
            f"{kind} | {score.planted} | {score.eligible} | {score.found} | "
            f"{score.recall:.3f} | {score.found_below} | {median:.3f}"
        )
        missed |= score.recall < args.goal
    print(f"verified pairs among the originals: {report.real_pairs}")
    for pair in report.false_pairs:
        print(
            f"false positive {pair.left} {pair.right} est {pair.estimated:.3f} true {pair.true:.3f}"
        )
    print(f"false positives {len(report.false_pairs)}")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
