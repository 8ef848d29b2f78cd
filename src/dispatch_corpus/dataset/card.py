"""The card of a dataset folder: the YAML header ``load_dataset`` reads, and a build's short card.

The header declares one config per table, each with one ``data_files`` entry per split
(``layout.shard_pattern``), its features (derived from the model) and split sizes; a
release's full card (``release.card``) opens with the same header and adds its sections.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dispatch_corpus.dataset.layout import (
    CONFIG_ORDER,
    DEFAULT_CONFIG,
    SPLIT,
    SPLITS,
    shard_pattern,
    shard_split,
)
from dispatch_corpus.dataset.reader import arrow_bytes, count_rows, table_files
from dispatch_corpus.dataset.writer import Shard
from dispatch_corpus.models import TABLE_MODELS
from dispatch_corpus.schema import hf_features
from dispatch_corpus.utils.numbers import count

PRETTY_NAME = "Dispatch corpus"
SIZE_CATEGORIES = (
    (1_000, "n<1K"),
    (10_000, "1K<n<10K"),
    (100_000, "10K<n<100K"),
    (1_000_000, "100K<n<1M"),
    (10_000_000, "1M<n<10M"),
    (100_000_000, "10M<n<100M"),
)
"""Upper bounds (exclusive) of the Hub's size categories, by rows of the default config."""


@dataclass(frozen=True)
class SplitSize:
    """Rows and Arrow bytes of one split of one config."""

    rows: int
    num_bytes: int


@dataclass(frozen=True)
class ConfigSize:
    """The size of each split of one config."""

    splits: dict[str, SplitSize]
    """By split name, in ``layout.SPLITS`` order: the splits that have files."""

    @property
    def rows(self) -> int:
        """Rows of the config, every split together."""
        return sum(size.rows for size in self.splits.values())


def split_sizes(dataset_dir: Path) -> dict[str, ConfigSize]:
    """Return the split sizes of every config of a dataset folder, read from its Parquet files."""
    found: dict[str, ConfigSize] = {}
    for table, paths in table_files(dataset_dir).items():
        rows: dict[str, int] = {}
        num_bytes: dict[str, int] = {}
        for path in paths:
            split = shard_split(path.name)
            rows[split] = rows.get(split, 0) + count_rows(path)
            num_bytes[split] = num_bytes.get(split, 0) + arrow_bytes(path)
        found[table] = ConfigSize(
            {s: SplitSize(rows[s], num_bytes[s]) for s in SPLITS if s in rows}
        )
    return found


def size_category(rows: int) -> str:
    """Return the Hub size category of a number of rows."""
    for bound, name in SIZE_CATEGORIES:
        if rows < bound:
            return name
    return "n>100M"


def card_header(sizes: Mapping[str, ConfigSize], metadata: Mapping[str, Any] | None = None) -> str:
    """Return the YAML header declaring the configs, their ``dataset_info`` and metadata.

    Args:
        sizes: Split sizes per config.
        metadata: Further card fields (license, language, size_categories, ...).

    Returns:
        The YAML front matter, between ``---`` lines.
    """
    from datasets.info import DatasetInfo, DatasetInfosDict
    from datasets.splits import SplitDict, SplitInfo
    from datasets.utils.metadata import MetadataConfigs
    from huggingface_hub import DatasetCardData

    card_data = DatasetCardData(**(metadata or {}))
    configs = MetadataConfigs(
        {
            name: {
                "data_files": [
                    {"split": split, "path": shard_pattern(name, split)}
                    for split in sizes[name].splits
                ],
                # load_dataset(path) without a config name loads the default one.
                **({"default": True} if name == DEFAULT_CONFIG else {}),
            }
            for name in CONFIG_ORDER
        }
    )
    configs.to_dataset_card_data(card_data)
    infos = DatasetInfosDict()
    for name in CONFIG_ORDER:
        splits = SplitDict()
        for split, size in sizes[name].splits.items():
            splits.add(SplitInfo(name=split, num_bytes=size.num_bytes, num_examples=size.rows))
        # load_dataset takes the features from here: it ignores those embedded in the shards
        # for non-nullable columns, so without them role and label load as plain int64.
        infos[name] = DatasetInfo(
            features=hf_features(TABLE_MODELS[name]), splits=splits, config_name=name
        )
    infos.to_dataset_card_data(card_data)
    return f"---\n{card_data.to_yaml()}\n---\n"


def render_build_card(shards: Mapping[str, Sequence[Shard]], summary: str) -> str:
    """Return the README.md of a build folder: YAML header plus a short description.

    Args:
        shards: The shards written, per table.
        summary: One line on the build's inputs.
    """
    # From the writer's own counts: the shards are not read back, as split_sizes would.
    sizes = {
        name: ConfigSize(
            {
                split: SplitSize(
                    sum(s.rows for s in shards[name] if shard_split(s.path) == split),
                    sum(s.arrow_bytes for s in shards[name] if shard_split(s.path) == split),
                )
                for split in SPLITS
                if any(shard_split(s.path) == split for s in shards[name])
            }
        )
        for name in CONFIG_ORDER
    }
    lines = [
        card_header(sizes),
        f"# {PRETTY_NAME} (build)\n",
        "News dispatches split into paragraphs, each labeled with its role and section.\n",
        # The folder's own path is left out: a build's files do not depend on where it lies.
        "From this folder:\n",
        "```python",
        "from datasets import load_dataset",
        f'paragraphs = load_dataset(".", "{DEFAULT_CONFIG}", split="{SPLIT}")',
        "```\n",
        f"| config | {' | '.join(SPLITS)} |",
        "|---|" + "---|" * len(SPLITS),
        *(
            f"| {name} | "
            + " | ".join(count(sizes[name].splits.get(s, SplitSize(0, 0)).rows) for s in SPLITS)
            + " |"
            for name in CONFIG_ORDER
        ),
        "",
        summary,
        "",
    ]
    return "\n".join(lines)
