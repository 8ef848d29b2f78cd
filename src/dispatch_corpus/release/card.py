"""Dataset card (README.md with a Hugging Face YAML header), generated from the data (I/O layer).

``render_build_card`` writes the short card of a build folder; ``render_release_card`` the
full card of a release: header, summary, loading, data fields, label guide, statistics,
known issues, licensing, citation and changelog.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dispatch_corpus.dataset.reader import arrow_bytes, count_rows, table_files
from dispatch_corpus.dataset.stats import UNKNOWN_LICENSE, CorpusStats
from dispatch_corpus.dataset.writer import SPLIT, Shard
from dispatch_corpus.models import TABLE_MODELS
from dispatch_corpus.release.card_sections import (
    CONFIG_ORDER,
    DEFAULT_CONFIG,
    PRETTY_NAME,
    LicenseSummary,
    ReleaseCardContext,
    render_citation,
    render_data_fields,
    render_known_issues,
    render_label_guide,
    render_label_quality,
    render_licensing,
    render_loading,
    render_statistics,
    render_summary,
)
from dispatch_corpus.schema import hf_features

LICENSE_LINK = "README.md"
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
    """Rows and Arrow bytes of the ``train`` split of one config."""

    rows: int
    num_bytes: int


def split_sizes(dataset_dir: Path) -> dict[str, SplitSize]:
    """Return the split size of every config of a dataset folder, read from its Parquet files."""
    return {
        table: SplitSize(
            rows=sum(count_rows(path) for path in paths),
            num_bytes=sum(arrow_bytes(path) for path in paths),
        )
        for table, paths in table_files(dataset_dir).items()
    }


def summarize_licenses(counts: Mapping[str, int]) -> LicenseSummary:
    """Summarise per-document licenses (SPDX ids) as the card's ``license`` fields.

    One known license becomes its Hub id (the lowercased SPDX id); several, or any unknown,
    become ``other`` with a ``license_name`` listing them.

    Args:
        counts: Documents per license id, ``unknown`` for documents without one.

    Returns:
        The summary.
    """
    known = sorted(name.lower() for name in counts if name != UNKNOWN_LICENSE)
    if len(known) == 1 and UNKNOWN_LICENSE not in counts:
        return LicenseSummary(known[0], None, dict(counts))
    parts = [*known, *([UNKNOWN_LICENSE] if UNKNOWN_LICENSE in counts else [])]
    name = parts[0] if len(parts) == 1 else "mixed-" + "-".join(parts)
    return LicenseSummary("other", name, dict(counts))


def size_category(rows: int) -> str:
    """Return the Hub size category of a number of rows."""
    for bound, name in SIZE_CATEGORIES:
        if rows < bound:
            return name
    return "n>100M"


def card_header(sizes: Mapping[str, SplitSize], metadata: Mapping[str, Any] | None = None) -> str:
    """Return the YAML header declaring the configs, their ``dataset_info`` and metadata.

    Args:
        sizes: Split size per config.
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
                "data_files": [{"split": SPLIT, "path": f"data/{name}/{SPLIT}-*.parquet"}],
                **({"default": True} if name == DEFAULT_CONFIG else {}),
            }
            for name in CONFIG_ORDER
        }
    )
    configs.to_dataset_card_data(card_data)
    infos = DatasetInfosDict()
    for name in CONFIG_ORDER:
        splits = SplitDict()
        splits.add(
            SplitInfo(name=SPLIT, num_bytes=sizes[name].num_bytes, num_examples=sizes[name].rows)
        )
        infos[name] = DatasetInfo(
            features=hf_features(TABLE_MODELS[name]), splits=splits, config_name=name
        )
    infos.to_dataset_card_data(card_data)
    return f"---\n{card_data.to_yaml()}\n---\n"


def render_build_card(shards: Mapping[str, Sequence[Shard]], summary: str) -> str:
    """Return the README.md of a build folder: YAML header plus a short description."""
    sizes = {
        name: SplitSize(sum(s.rows for s in shards[name]), sum(s.arrow_bytes for s in shards[name]))
        for name in CONFIG_ORDER
    }
    lines = [
        card_header(sizes),
        f"# {PRETTY_NAME} (build)\n",
        "News dispatches split into paragraphs, each labeled with its role and section.\n",
        "```python",
        "from datasets import load_dataset",
        f'paragraphs = load_dataset("PATH_TO_THIS_FOLDER", "{DEFAULT_CONFIG}", split="{SPLIT}")',
        "```\n",
        "| config | rows |",
        "|---|---|",
        *(f"| {name} | {sizes[name].rows} |" for name in CONFIG_ORDER),
        "",
        summary,
        "",
    ]
    return "\n".join(lines)


def render_release_card(
    sizes: Mapping[str, SplitSize], stats: CorpusStats, context: ReleaseCardContext
) -> str:
    """Return the full dataset card of a release.

    Args:
        sizes: Split size per config, from ``split_sizes``.
        stats: Statistics of the released data.
        context: Version, date, Hub repository, changelog and build facts.

    Returns:
        The README.md text.
    """
    licenses = summarize_licenses(stats.licenses)
    languages = sorted(stats.languages)
    metadata: dict[str, Any] = {
        "pretty_name": PRETTY_NAME,
        "language": languages,
        "license": licenses.license,
        "annotations_creators": ["machine-generated"],
        "language_creators": ["found"],
        "multilinguality": ["multilingual" if len(languages) > 1 else "monolingual"],
        "size_categories": [size_category(sizes[DEFAULT_CONFIG].rows)],
        "source_datasets": ["original"],
        "task_categories": ["text-classification"],
        "task_ids": ["multi-class-classification"],
    }
    if licenses.license_name is not None:
        metadata["license_name"] = licenses.license_name
        metadata["license_link"] = LICENSE_LINK
    sections = [
        card_header(sizes, metadata),
        render_summary(stats, context, languages),
        render_loading(context),
        render_data_fields(),
        render_label_guide(),
        render_statistics(stats, context),
        render_known_issues(stats, context),
        render_label_quality(context),
        render_licensing(licenses),
        render_citation(context),
        context.changelog,
    ]
    return "\n".join(section.rstrip("\n") + "\n" for section in sections if section)
