"""The figures of a release card read from the data and the corpus beyond ``CorpusStats``."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dispatch_corpus.dataset.examples import pick_examples
from dispatch_corpus.dataset.profile import CollectionProfile, profile_collections
from dispatch_corpus.dataset.provenance import CollectionSources, read_sources
from dispatch_corpus.dataset.reader import iter_rows, table_files


@dataclass(frozen=True)
class CardFacts:
    """Per-collection figures, upstream provenance and one example row per config."""

    collections: dict[str, CollectionProfile]
    sources: dict[str, CollectionSources]
    """Provenance from the corpus's sidecars; empty when the corpus is unknown or gone."""
    examples: dict[str, dict[str, Any]]


def gather_card_facts(dataset_dir: Path, corpus: Path | None) -> CardFacts:
    """Read what the card shows beyond the statistics.

    Args:
        dataset_dir: The dataset folder the card describes.
        corpus: The corpus it was built from (``BuildRecord.corpus``), whose sidecars give
            each collection's provenance; ``None`` when unknown.

    Returns:
        The facts.

    Raises:
        DatasetError: When a table cannot be read.
    """
    doc_ids: dict[str, list[str]] = {}
    for row in iter_rows(table_files(dataset_dir)["documents"], ["doc_id", "collection"]):
        doc_ids.setdefault(row["collection"], []).append(row["doc_id"])
    return CardFacts(
        collections=profile_collections(dataset_dir),
        sources=read_sources(corpus, doc_ids),
        examples=pick_examples(dataset_dir),
    )
