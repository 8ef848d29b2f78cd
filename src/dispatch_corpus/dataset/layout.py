"""The one owner of a dataset folder's layout: every file and folder name a build or release has.

A build and a release share one layout, the one ``datasets.load_dataset(path, config)`` reads:

```
README.md                            the card (its YAML header declares the configs)
data/<table>/<split>-0000i-of-0000N.parquet     split: train, validation, test
reports/quarantine.jsonl             inputs refused, with a reason code
BUILD.json                           a build's record (settings, checksums)
MANIFEST.json, croissant.json, CHANGELOG.md     a release's
```

Every other module asks this one for a name or a path, so the layout is changed in one place.
"""

from __future__ import annotations

from pathlib import Path

DATA_DIR = "data"
SPLITS = ("train", "validation", "test")
"""The splits a table is published in (``models.Split``), in the order their shards are read;
a split's name starts each of its shard file names. A split without rows gets no file (the
card does not declare it: ``datasets`` cannot load an empty split), except ``train`` of a table
without any row, so that every table has a file."""
SPLIT = SPLITS[0]
"""The default split, shown in loading examples."""
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
STAGE_DIR = ".rows"
"""Inside a build's staging folder: the rows of every chunk, kept until their split is known
(removed before the build is published)."""
STAGING_MARKER = "STAGING.json"
"""Marks a staging folder as the tool's, so a later run may remove it."""


def table_dir(root: Path, table: str) -> Path:
    """Return the folder of one table's shards."""
    return root / DATA_DIR / table


def shard_name(split: str, index: int, total: int) -> str:
    """Return the Hugging Face shard file name ``<split>-0000i-of-0000N.parquet``."""
    return f"{split}-{index:05d}-of-{total:05d}.parquet"


def shard_pattern(table: str, split: str | None = None) -> str:
    """Return the glob, relative to the dataset root, naming the shards of ``table``.

    Args:
        table: A published table.
        split: One split's shards, or None for the shards of every split.

    Returns:
        ``data/<table>/<split>-*.parquet``, or ``data/<table>/*.parquet`` for all.
    """
    return f"{DATA_DIR}/{table}/{split}-*.parquet" if split else f"{DATA_DIR}/{table}/*.parquet"


def shard_split(name: str) -> str:
    """Return the split a shard file name (or a path ending in one) belongs to.

    Raises:
        ValueError: When the name does not start with a split of ``SPLITS``.
    """
    split = name.rsplit("/", 1)[-1].split("-", 1)[0]
    if split not in SPLITS:
        raise ValueError(f"{name}: not a shard of a split ({', '.join(SPLITS)})")
    return split
