"""The one owner of a dataset folder's layout: every file and folder name a build or release has.

A build and a release share one layout, the one ``datasets.load_dataset(path, config)`` reads:

```
README.md                            the card (its YAML header declares the configs)
data/<table>/train-0000i-of-0000N.parquet
reports/quarantine.jsonl             inputs refused, with a reason code
BUILD.json                           a build's record (settings, checksums)
MANIFEST.json, croissant.json, CHANGELOG.md     a release's
```

Every other module asks this one for a name or a path, so the layout is changed in one place.
"""

from __future__ import annotations

from pathlib import Path

DATA_DIR = "data"
SPLIT = "train"
"""The one split every table is published in; its name starts every shard file name."""
CONFIG_ORDER = ("paragraphs", "documents", "sections")
"""The ``datasets`` configs, one per table, in the card's order (the first is the default)."""
DEFAULT_CONFIG = CONFIG_ORDER[0]
CARD_FILE = "README.md"
BUILD_RECORD = "BUILD.json"
RELEASE_MANIFEST = "MANIFEST.json"
CROISSANT_FILE = "croissant.json"
CHANGELOG_FILE = "CHANGELOG.md"
REPORTS_DIR = "reports"
QUARANTINE_REPORT = f"{REPORTS_DIR}/quarantine.jsonl"
REPORT_MARKER = "REPORT.json"
"""Marks a validation report folder as the tool's, so a later run may replace it."""
STAGING_MARKER = "STAGING.json"
"""Marks a staging folder as the tool's, so a later run may remove it."""


def table_dir(root: Path, table: str) -> Path:
    """Return the folder of one table's shards."""
    return root / DATA_DIR / table


def shard_name(index: int, total: int) -> str:
    """Return the Hugging Face shard file name ``train-0000i-of-0000N.parquet``."""
    return f"{SPLIT}-{index:05d}-of-{total:05d}.parquet"


def split_of_shard(path: Path) -> str:
    """Return the split a shard belongs to: its file name up to the first ``-``."""
    return path.name.partition("-")[0]


def shard_pattern(table: str) -> str:
    """Return the glob, relative to the dataset root, naming every shard of ``table``."""
    return f"{DATA_DIR}/{table}/{SPLIT}-*.parquet"
