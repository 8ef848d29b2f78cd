from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from dispatch_corpus.build.driver import BuildSummary
from dispatch_corpus.dataset.card import split_sizes
from dispatch_corpus.dataset.stats import compute_stats
from dispatch_corpus.models import TABLE_MODELS
from dispatch_corpus.release.card import render_release_card, summarize_licenses
from dispatch_corpus.release.card_sections import ReleaseCardContext
from dispatch_corpus.release.card_splits import render_splits
from dispatch_corpus.schema import columns


def _header(card: str) -> dict[str, Any]:
    assert card.startswith("---\n")
    data: dict[str, Any] = yaml.safe_load(card.split("---\n")[1])
    return data


@pytest.fixture
def context() -> ReleaseCardContext:
    return ReleaseCardContext(
        version="1.2.0",
        created=date(2025, 6, 1),
        repo_id="acme/dispatch-news",
        changelog="## Changelog\n\nCompared with 1.1.0.\n",
        quarantined={"empty": 2, "binary": 1},
        lengths_image="images/lengths.png",
    )


@pytest.mark.parametrize(
    ("counts", "license_id", "name"),
    [
        ({"CC-BY-4.0": 5}, "cc-by-4.0", None),
        ({"CC-BY-4.0": 5, "CC-BY-2.5": 1}, "other", "mixed-cc-by-2.5-cc-by-4.0"),
        ({"unknown": 1}, "other", "unknown"),
        ({"CC-BY-4.0": 5, "unknown": 1}, "other", "mixed-cc-by-4.0-unknown"),
    ],
)
def test_licenses_are_summarised(counts: dict[str, int], license_id: str, name: str | None) -> None:
    summary = summarize_licenses(counts)
    assert (summary.license, summary.license_name) == (license_id, name)
    assert summary.counts == counts


def test_the_release_card_is_generated_from_the_data(
    seed_build: tuple[Path, BuildSummary], context: ReleaseCardContext
) -> None:
    out, summary = seed_build
    stats = compute_stats(out)
    card = render_release_card(split_sizes(out), stats, context)
    header = _header(card)
    assert header["pretty_name"] == "Dispatch corpus"
    assert header["language"] == sorted(stats.languages)
    assert header["size_categories"] == ["n<1K"]
    assert header["task_categories"] == ["text-classification"]
    expected = summarize_licenses(stats.licenses)
    assert header["license"] == expected.license
    assert header.get("license_name") == expected.license_name
    sections = [line for line in card.splitlines() if line.startswith("## ")]
    assert sections == [
        "## How to load",
        "## Data Fields",
        "## Label guide",
        "## Statistics",
        "## Splits and near-duplicates",
        "## Known issues",
        "## Licensing",
        "## Citation",
        "## Changelog",
    ]
    assert 'revision="v1.2.0"' in card
    assert "| documents | 1 | 0 | 0 |" in card
    assert "0 documents are in 0 clusters of 2 or more (the largest has 0)" in card
    assert 'filter(lambda d: d["cluster_id"] == d["doc_id"])' in card
    assert f"This release holds {summary.accepted} documents" in card
    assert "![Length histograms of paragraphs and documents](images/lengths.png)" in card
    assert "3 raw inputs were quarantined by the build" in card
    assert "(binary 1, empty 2)" in card
    for table, model in TABLE_MODELS.items():
        assert f"### {table}" in card
        for column in columns(model):
            assert f"| `{column.name}`" in card
    assert card.endswith("Compared with 1.1.0.\n")


def test_without_a_repo_the_card_says_what_to_replace(
    seed_build: tuple[Path, BuildSummary], context: ReleaseCardContext
) -> None:
    out, _ = seed_build
    bare = ReleaseCardContext(**{**context.__dict__, "repo_id": None, "lengths_image": None})
    card = render_release_card(split_sizes(out), compute_stats(out), bare)
    assert '"ORG/NAME", "paragraphs"' in card
    assert "Replace `ORG/NAME`" in card
    assert "url = " not in card
    assert "images/lengths.png" not in card


def test_the_splits_section_counts_splits_and_clusters(
    seed_build: tuple[Path, BuildSummary], context: ReleaseCardContext
) -> None:
    out, _ = seed_build
    stats = replace(compute_stats(out), cluster_sizes={2: 3, 5: 1})
    section = render_splits(split_sizes(out), stats)
    assert section.startswith("## Splits and near-duplicates\n")
    assert "split 80/10/10 into train, validation, test" in section
    assert "11 documents are in 4 clusters of 2 or more (the largest has 5)" in section
    assert "at least 2 clusters is flagged `repeated_text`" in section
    assert render_splits(split_sizes(out), replace(stats, cluster_sizes=None)) == ""
