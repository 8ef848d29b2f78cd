"""The card's "Splits and near-duplicates" section: split ratios and sizes, clusters, dedup."""

from __future__ import annotations

from collections.abc import Mapping

from dispatch_corpus.core.neardup import (
    JACCARD_THRESHOLD,
    REPEATED_TEXT_CLUSTERS,
    SHINGLE_WORDS,
    SPLIT_RATIOS,
)
from dispatch_corpus.dataset.card import ConfigSize
from dispatch_corpus.dataset.layout import SPLITS
from dispatch_corpus.dataset.stats import CorpusStats
from dispatch_corpus.utils.numbers import count, counted


def render_splits(sizes: Mapping[str, ConfigSize], stats: CorpusStats) -> str:
    """Return the section on splits and near-duplicates (empty for data without clusters).

    Args:
        sizes: Split sizes per config, from ``split_sizes``.
        stats: Statistics of the released data (its ``cluster_sizes``).

    Returns:
        The Markdown section.
    """
    if stats.cluster_sizes is None:
        return ""
    # One word per shingle is a document's set of words.
    shingles = "word sets" if SHINGLE_WORDS == 1 else f"{SHINGLE_WORDS}-word shingles"
    ratios = "/".join(str(share) for _, share in SPLIT_RATIOS)
    clustered = sum(size * n for size, n in stats.cluster_sizes.items())
    clusters = sum(stats.cluster_sizes.values())
    largest = max(stats.cluster_sizes, default=0)

    def rows(config: str, split: str) -> int:
        found = sizes[config].splits.get(split)
        return found.rows if found is not None else 0

    lines = [
        "### Splits and near-duplicates\n",
        f"Documents are split {ratios} into {', '.join(SPLITS)} by a salted hash of their "
        "`cluster_id`, so near-duplicates never straddle splits, and a document keeps the "
        "split an earlier release gave it. Paragraphs and sections follow their document.\n",
        "| config | " + " | ".join(SPLITS) + " |",
        "|---|" + "---:|" * len(SPLITS),
        *(
            f"| {config} | " + " | ".join(count(rows(config, s)) for s in SPLITS) + " |"
            for config in ("documents", "paragraphs", "sections")
        ),
        "",
        f"Near-duplicates (MinHash over {shingles}, Jaccard similarity at least "
        f"{JACCARD_THRESHOLD}) are kept: "
        + (
            f"{count(clustered)} documents are in {counted(clusters, 'cluster')} of 2 or more "
            f"(the largest has {count(largest)})."
            if clusters
            else "no two documents of this release are near-duplicates."
        )
        + " `cluster_id` is the smallest doc_id of a document's cluster; to keep one document "
        "per cluster:\n",
        "```python",
        'documents = documents.filter(lambda d: d["cluster_id"] == d["doc_id"])',
        "```\n",
        "A paragraph whose words occur in documents of at least "
        f"{REPEATED_TEXT_CLUSTERS} clusters is flagged `repeated_text` (boilerplate).",
        "",
    ]
    return "\n".join(lines)
