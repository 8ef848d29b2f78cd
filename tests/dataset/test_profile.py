from datetime import date
from pathlib import Path
from typing import Any

import pytest

from dispatch_corpus.build.driver import BuildSummary
from dispatch_corpus.dataset.profile import NULLABLE_FIELDS, CollectionCounter, profile_collections


def _document(**fields: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "language": "en",
        "n_paragraphs": 3,
        "n_chars": 3000,
        "flags": [],
        **dict.fromkeys(NULLABLE_FIELDS),
    }
    return {**row, **fields}


def test_a_collection_counts_nulls_blocks_dates_and_licenses() -> None:
    counter = CollectionCounter()
    counter.add(_document(published=date(2020, 1, 2), license="CC-BY-4.0"), longest_paragraph=2900)
    counter.add(_document(agency="AFP", url="https://x", flags=["single_block"]), 100)
    # Long, but not most of its document: a long paragraph, not a block.
    counter.add(_document(n_chars=10_000, published=date(2019, 5, 1)), 2500)
    profile = counter.profile()
    assert profile.documents == 3
    assert profile.paragraphs == 9
    assert profile.nulls == {"published": 1, "agency": 2, "title": 3, "url": 2, "license": 2}
    assert profile.single_block == 1
    assert profile.block_chars == (2900,)
    assert (profile.first_published, profile.last_published) == (date(2019, 5, 1), date(2020, 1, 2))
    assert profile.licenses == {"CC-BY-4.0": 1}
    assert profile.agencies == {"AFP": 1}
    assert profile.flags == {"single_block": 1}


@pytest.mark.parametrize(
    ("longest", "n_chars", "block"), [(1999, 1999, False), (2000, 2500, True), (2000, 2501, False)]
)
def test_a_single_block_is_long_and_most_of_its_document(
    longest: int, n_chars: int, block: bool
) -> None:
    counter = CollectionCounter()
    counter.add(_document(n_chars=n_chars), longest)
    assert counter.profile().single_block == int(block)


def test_an_empty_collection_has_no_dates() -> None:
    profile = CollectionCounter().profile()
    assert profile.documents == 0
    assert profile.first_published is None and profile.last_published is None


def test_the_shared_corpus_profile_matches_its_parquet(
    shared_build: tuple[Path, BuildSummary], read_rows: Any
) -> None:
    out, _ = shared_build
    profiles = profile_collections(out)
    documents = read_rows(out, "documents")
    longest: dict[str, int] = {}
    for row in read_rows(out, "paragraphs"):
        longest[row["doc_id"]] = max(longest.get(row["doc_id"], 0), len(row["text"]))
    assert list(profiles) == sorted({row["collection"] for row in documents})
    for name, profile in profiles.items():
        rows = [row for row in documents if row["collection"] == name]
        assert profile.documents == len(rows)
        for field in NULLABLE_FIELDS:
            assert profile.nulls[field] == sum(row[field] is None for row in rows)
        blocks = [
            longest[row["doc_id"]]
            for row in rows
            if longest[row["doc_id"]] >= 2000 and longest[row["doc_id"]] >= 0.8 * len(row["text"])
        ]
        assert profile.single_block == len(blocks)
        assert profile.block_chars == tuple(sorted(blocks))
        # The flag the build set agrees with the measure taken from the rows.
        assert profile.single_block == sum("single_block" in row["flags"] for row in rows)
    # The figures the issue quotes: 79 of the 81 Meduza articles are one long block, and
    # `published` is null in 552 of the 854 documents.
    assert (
        profiles["meduza_golunov_ru"].single_block,
        profiles["meduza_golunov_ru"].documents,
    ) == (79, 81)
    assert sum(p.nulls["published"] for p in profiles.values()) == 552
