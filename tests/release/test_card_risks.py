from dataclasses import replace
from pathlib import Path

import pytest

from dispatch_corpus.dataset.profile import profile_collections
from dispatch_corpus.dataset.stats import CorpusStats, compute_stats
from dispatch_corpus.evaluation.score import evaluate_documents
from dispatch_corpus.release.card_risks import render_limitations, render_personal_information


@pytest.fixture
def stats(builds: dict[str, Path]) -> CorpusStats:
    return compute_stats(builds["base"])


def test_limitations_without_gold_say_accuracy_was_not_measured(
    builds: dict[str, Path], stats: CorpusStats
) -> None:
    text = render_limitations(stats, profile_collections(builds["base"]), None)
    assert text.startswith("## Bias, Risks, and Limitations\n")
    assert "| `news` | 3 | 0 of 3 (0%) |" in text
    assert "- **Label accuracy:** not measured for this release" in text
    assert "Single blocks" not in text


def test_limitations_name_the_languages_without_gold(
    builds: dict[str, Path], stats: CorpusStats
) -> None:
    evaluation = evaluate_documents([])
    text = render_limitations(stats, profile_collections(builds["base"]), evaluation)
    assert "- **Not measured:** no gold document in en, fr:" in text


def test_one_single_block_is_counted_in_the_singular(
    builds: dict[str, Path], stats: CorpusStats
) -> None:
    profiles = profile_collections(builds["base"])
    one = {"news": replace(profiles["news"], single_block=1, block_chars=(2412,))}
    text = render_limitations(stats, one, None)
    assert (
        "- **Single blocks in `news`:** 1 of 3 documents (33%) is one block of text "
        "(median 2,412 characters, longest 2,412)"
    ) in text


def test_personal_information_counts_statements_and_urls(
    builds: dict[str, Path], stats: CorpusStats
) -> None:
    text = render_personal_information(stats, profile_collections(builds["base"]))
    assert f"{stats.roles['statement']} paragraph" in text
    assert "Nothing was removed" in text
    assert "0 of 3 documents (0%)" in text
