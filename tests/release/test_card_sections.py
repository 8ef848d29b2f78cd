from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from dispatch_corpus.dataset.stats import CorpusStats, compute_stats
from dispatch_corpus.models import Role, SectionLabel
from dispatch_corpus.release.card_sections import (
    ReleaseCardContext,
    citation_bibtex,
    render_citation,
    render_known_issues,
    render_label_guide,
    render_statistics,
)


@pytest.fixture
def context() -> ReleaseCardContext:
    return ReleaseCardContext("1.0.0", date(2025, 1, 1), None, "", {}, None)


@pytest.fixture
def stats(builds: dict[str, Path]) -> CorpusStats:
    return compute_stats(builds["base"])


def test_the_label_guide_lists_classes_with_their_indices() -> None:
    text = render_label_guide()
    for index, role in enumerate(Role):
        assert f"| {index} | `{role.value}` |" in text
    for index, label in enumerate(SectionLabel):
        assert f"| {index} | `{label.value}` |" in text


def test_statistics_count_documents_roles_and_lengths(
    stats: CorpusStats, context: ReleaseCardContext
) -> None:
    text = render_statistics(stats, context)
    assert "| en | news | 2 |" in text
    assert "| fr | news | 1 |" in text
    assert "| role | all | en | fr |" in text
    by_language = stats.roles_by_language
    headline = [
        stats.roles["headline"],
        by_language["en"]["headline"],
        by_language["fr"]["headline"],
    ]
    assert "| headline | " + " | ".join(map(str, headline)) + " |" in text
    assert f"| paragraph | {stats.paragraphs} |" in text


def test_known_issues_count_flags_and_quarantined_inputs(
    stats: CorpusStats, context: ReleaseCardContext
) -> None:
    flagged = replace(
        stats,
        document_flags={"language_detected": 2},
        paragraph_flags={"starts_lowercase": 1},
    )
    text = render_known_issues(flagged, replace(context, quarantined={"empty": 1}))
    assert "| `language_detected` | documents | 2 | no language in the metadata" in text
    assert "| `starts_lowercase` | paragraphs | 1 |" in text
    assert "1 raw input was quarantined by the build and is not in the data (empty 1)" in text
    text = render_known_issues(flagged, replace(context, quarantined={"empty": 1200, "binary": 3}))
    assert "1,203 raw inputs were quarantined by the build and are not in the data" in text
    assert "(binary 3, empty 1,200)" in text
    clean = replace(stats, document_flags={}, paragraph_flags={})
    text = render_known_issues(clean, context)
    assert "No row carries a quality flag." in text
    assert "No raw input was quarantined by the build." in text


def test_citation_names_the_version_and_repository() -> None:
    bibtex = citation_bibtex("2.1.0", 2026, "acme/news")
    assert bibtex.startswith("@misc{dispatch_corpus_2_1_0,\n")
    assert "version 2.1.0" in bibtex
    assert "url = {https://huggingface.co/datasets/acme/news}" in bibtex
    assert "url" not in citation_bibtex("2.1.0", 2026, None)


def test_citation_names_its_authors_whole(context: ReleaseCardContext) -> None:
    bibtex = citation_bibtex("2.1.0", 2026, None, ("Team A", "Team B"))
    assert '  author = "{Team A} and {Team B}",\n' in bibtex
    text = render_citation(replace(context, authors=("Team A",)))
    assert 'author = "{Team A}"' in text
    assert "Team A. (2025). *Dispatch corpus* (Version 1.0.0) [Data set]." in text
    assert "## Dataset Card Authors\n\nTeam A." in text


def test_citation_defaults_to_the_authors_in_pyproject(
    repo_root: Path, context: ReleaseCardContext
) -> None:
    import tomllib

    project = tomllib.loads((repo_root / "pyproject.toml").read_text(encoding="utf-8"))
    names = [author["name"] for author in project["project"]["authors"]]
    assert names
    assert context.authors == tuple(names)
    author = " and ".join(f"{{{name}}}" for name in names)
    assert f'author = "{author}"' in citation_bibtex("2.1.0", 2026, None)


def test_statistics_numbers_have_thousands_separators(
    stats: CorpusStats, context: ReleaseCardContext
) -> None:
    big = replace(
        stats, roles={**stats.roles, "body": 12345}, labels={**stats.labels, "body": 2000}
    )
    text = render_statistics(big, context)
    assert "| body | 12,345 |" in text
    assert "| body | 2,000 |" in text
