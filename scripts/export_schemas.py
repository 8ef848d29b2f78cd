"""Regenerate schemas/*.schema.json from the Pydantic models (the single source of truth)."""

from __future__ import annotations

import sys
from pathlib import Path

from dispatch_corpus.schema import JSON_SCHEMA_MODELS, render_json_schema

SCHEMAS_DIR = Path(__file__).resolve().parent.parent / "schemas"


def main() -> int:
    SCHEMAS_DIR.mkdir(exist_ok=True)
    for name, model in JSON_SCHEMA_MODELS.items():
        path = SCHEMAS_DIR / f"{name}.schema.json"
        path.write_text(render_json_schema(model), encoding="utf-8")
        print(f"wrote {path.relative_to(SCHEMAS_DIR.parent)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
