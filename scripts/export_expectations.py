"""Regenerate schemas/expectations/*.json from the models (validation runs these files)."""

from __future__ import annotations

import sys
from pathlib import Path

from dispatch_corpus.models import TABLE_MODELS
from dispatch_corpus.validation.expectations import render_suite

SUITES_DIR = Path(__file__).resolve().parent.parent / "schemas" / "expectations"


def main() -> int:
    SUITES_DIR.mkdir(parents=True, exist_ok=True)
    for table in TABLE_MODELS:
        path = SUITES_DIR / f"{table}.json"
        path.write_text(render_suite(table), encoding="utf-8")
        print(f"wrote {path.relative_to(SUITES_DIR.parent.parent)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
