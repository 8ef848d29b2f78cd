from pathlib import Path
from typing import Any

import pytest
import yaml

from dispatch_corpus.build.driver import BuildSummary
from dispatch_corpus.dataset.card import card_header, render_build_card, size_category, split_sizes
from dispatch_corpus.models import TABLE_MODELS, Role
from dispatch_corpus.schema import columns


def _header(card: str) -> dict[str, Any]:
    assert card.startswith("---\n")
    data: dict[str, Any] = yaml.safe_load(card.split("---\n")[1])
    return data


@pytest.mark.parametrize(
    ("rows", "category"),
    [(0, "n<1K"), (999, "n<1K"), (1_000, "1K<n<10K"), (250_000, "100K<n<1M"), (10**9, "n>100M")],
)
def test_size_category(rows: int, category: str) -> None:
    assert size_category(rows) == category


def test_the_build_card_keeps_its_header_and_counts(seed_build: tuple[Path, BuildSummary]) -> None:
    _, summary = seed_build
    card = render_build_card(summary.shards, "Inputs 1.")
    header = _header(card)
    assert {c["config_name"] for c in header["configs"]} == {"documents", "paragraphs", "sections"}
    assert next(c for c in header["configs"] if c["config_name"] == "paragraphs")["default"]
    assert f"| paragraphs | {summary.paragraphs} |" in card
    assert card.rstrip().endswith("Inputs 1.")
    assert 'load_dataset(".", "paragraphs", split="train")' in card
    assert "PATH" not in card


def test_the_header_declares_features_and_split_sizes(
    seed_build: tuple[Path, BuildSummary],
) -> None:
    out, summary = seed_build
    sizes = split_sizes(out)
    assert sizes["paragraphs"].rows == summary.paragraphs
    header = _header(card_header(sizes, {"license": "cc-by-4.0"}))
    assert header["license"] == "cc-by-4.0"
    infos = {info["config_name"]: info for info in header["dataset_info"]}
    for table, model in TABLE_MODELS.items():
        # The seed's one document is in train; the empty splits are not declared.
        assert infos[table]["splits"] == [
            {
                "name": "train",
                "num_bytes": sizes[table].splits["train"].num_bytes,
                "num_examples": sizes[table].rows,
            }
        ]
        configs = {c["config_name"]: c for c in header["configs"]}
        assert configs[table]["data_files"] == [
            {"split": "train", "path": f"data/{table}/train-*.parquet"}
        ]
        assert [f["name"] for f in infos[table]["features"]] == [c.name for c in columns(model)]
    role = next(f for f in infos["paragraphs"]["features"] if f["name"] == "role")
    assert list(role["dtype"]["class_label"]["names"].values()) == [r.value for r in Role]
