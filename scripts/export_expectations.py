"""Regenerate the expectation suites from the models, in both places they are kept.

``schemas/expectations/*.json`` is the checked-in contract a reader finds at the top of the
repository; ``src/dispatch_corpus/validation/expectation_suites/*.json`` is the same bytes
shipped in the wheel, which validation runs. A test fails when either drifts from the models.
"""

from __future__ import annotations

import sys
from pathlib import Path

from dispatch_corpus.models import TABLE_MODELS
from dispatch_corpus.validation.suite_export import render_suite

ROOT = Path(__file__).resolve().parent.parent
SUITES_DIRS = (
    ROOT / "schemas" / "expectations",
    ROOT / "src" / "dispatch_corpus" / "validation" / "expectation_suites",
)


def main() -> int:
    for folder in SUITES_DIRS:
        folder.mkdir(parents=True, exist_ok=True)
        for table in TABLE_MODELS:
            path = folder / f"{table}.json"
            path.write_text(render_suite(table), encoding="utf-8")
            print(f"wrote {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
