"""Fit the confidence calibration on the dev gold and write the package's calibration.json.

Usage: python scripts/fit_calibration.py [GOLD_DIR] [CORPUS_DIR]
(defaults ../shared/gold and ../shared/corpus). The table counts, per rule of the labeler,
the gold paragraphs it labeled and how many correctly; ``evaluate --cv`` fits the same table
inside each fold to measure it honestly. Re-run it whenever the rules change.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from dispatch_corpus.core.label.confidence import CALIBRATION_RESOURCE, fit_calibration
from dispatch_corpus.evaluation.cv import calibration_samples
from dispatch_corpus.evaluation.gold import build_gold_labels, load_gold

ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / "src" / "dispatch_corpus" / "core" / "label" / CALIBRATION_RESOURCE


def main(argv: list[str]) -> int:
    gold_dir = Path(argv[0]) if argv else ROOT / ".." / "shared" / "gold"
    corpus_dir = Path(argv[1]) if len(argv) > 1 else ROOT / ".." / "shared" / "corpus"
    items = build_gold_labels(load_gold(gold_dir), corpus_dir)
    calibration = fit_calibration(calibration_samples(items))
    text = json.dumps(calibration.as_dict(), indent=1, sort_keys=True) + "\n"
    TARGET.write_text(text, encoding="utf-8")
    print(f"wrote {TARGET.relative_to(ROOT)}: {calibration.overall.total} paragraphs")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
