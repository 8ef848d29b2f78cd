from datetime import date

import pytest

from dispatch_corpus.dataset.profile import CollectionCounter, CollectionProfile
from dispatch_corpus.dataset.provenance import CollectionSources, SourceCounter
from dispatch_corpus.release.card_sources import (
    render_licensing,
    render_source_data,
    source_datasets,
    upstream_repository,
)


def _profile(documents: int, license: str | None = "CC-BY-4.0") -> CollectionProfile:
    counter = CollectionCounter()
    for _ in range(documents):
        counter.add(
            {
                "language": "en",
                "n_paragraphs": 2,
                "n_chars": 100,
                "flags": [],
                "published": date(2020, 1, 1),
                "agency": None,
                "title": "t",
                "url": None,
                "license": license,
            },
            50,
        )
    return counter.profile()


def _sources(**entry: object) -> CollectionSources:
    counter = SourceCounter()
    counter.add(entry)
    return counter.sources()


@pytest.mark.parametrize(
    ("repos", "expected"),
    [
        ({"a": "owner/one", "b": "owner/two"}, ["extended|owner/one", "extended|owner/two"]),
        ({"a": "owner/one", "b": None}, ["original", "extended|owner/one"]),
        ({"a": "owner/one", "b": "owner/one"}, ["extended|owner/one"]),
        ({"a": None}, ["original"]),
        # Not an owner/name: never turned into a link or a source dataset.
        ({"a": "../../etc/passwd"}, ["original"]),
        ({"a": "javascript:alert(1)"}, ["original"]),
        ({"a": "owner/name\nsecond line"}, ["original"]),
    ],
)
def test_source_datasets_name_each_upstream_once(
    repos: dict[str, str | None], expected: list[str]
) -> None:
    collections = {name: _profile(1) for name in repos}
    sources = {name: _sources(source_repo=repo) for name, repo in repos.items() if repo}
    assert source_datasets(collections, sources) == expected


def test_a_collection_without_provenance_says_so() -> None:
    text = render_source_data({"news": _profile(2)}, {})
    assert "**`news`**: 2 documents in en, published 2020-01-01 to 2020-01-01" in text
    assert "- **Upstream:** not recorded" in text
    assert upstream_repository(None) is None


def test_a_collection_with_provenance_links_its_repository_at_its_commit() -> None:
    commit = "72ce5ac14978a324c2fd18d49484e65292cbe316"
    sources = _sources(
        source="GUM | news", source_repo="amir-zeldes/gum", source_commit=commit, note="n"
    )
    text = render_source_data({"gum": _profile(1)}, {"gum": sources})
    assert "- **Source:** GUM \\| news (1 document)" in text
    assert (
        "- **Upstream repository:** [amir-zeldes/gum](https://github.com/amir-zeldes/gum) at "
        f"commit [`72ce5ac14978`](https://github.com/amir-zeldes/gum/tree/{commit})"
    ) in text
    assert "- **Documents with provenance in the sidecar:** 1 of 1 document (100%)" in text


def test_licensing_lists_each_collection_and_warns_about_unknown_licenses() -> None:
    collections = {"known": _profile(3), "unknown": _profile(1, license=None)}
    sources = {"known": _sources(license="CC BY 4.0 (see README)")}
    text = render_licensing({"CC-BY-4.0": 3, "unknown": 1}, collections, sources)
    assert "| `known` | 3 | CC-BY-4.0 (3) | CC BY 4.0 (see README) |" in text
    assert "| `unknown` | 1 | unknown (1) | not recorded |" in text
    assert "| CC-BY-4.0 | 3 |" in text
    assert "have no recorded license" in text
    clean = render_licensing({"CC-BY-4.0": 3}, {"known": _profile(3)}, sources)
    assert "no recorded license" not in clean
