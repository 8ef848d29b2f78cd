"""The full dataset card of a release, generated from the data.

The YAML header is a build's (``dataset.card``) with the Hub's metadata added; then come
the summary, loading, data fields, label guide, statistics, known issues, label quality,
licensing, citation and changelog sections (``card_sections``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from dispatch_corpus.dataset.card import PRETTY_NAME, ConfigSize, card_header, size_category
from dispatch_corpus.dataset.layout import (
    DEFAULT_CONFIG,
)
from dispatch_corpus.dataset.stats import UNKNOWN_LICENSE, CorpusStats
from dispatch_corpus.release.card_sections import (
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
from dispatch_corpus.release.card_splits import render_splits

# The Hub pairs ``license: other`` with a license_name and a license_link; the link is
# this card, whose Licensing section gives each document's license.
LICENSE_LINK = "README.md"


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
    # One Hub license id is true of the whole dataset only when every document has it.
    if len(known) == 1 and UNKNOWN_LICENSE not in counts:
        return LicenseSummary(known[0], None, dict(counts))
    parts = [*known, *([UNKNOWN_LICENSE] if UNKNOWN_LICENSE in counts else [])]
    name = parts[0] if len(parts) == 1 else "mixed-" + "-".join(parts)
    return LicenseSummary("other", name, dict(counts))


def render_release_card(
    sizes: Mapping[str, ConfigSize], stats: CorpusStats, context: ReleaseCardContext
) -> str:
    """Return the full dataset card of a release.

    Args:
        sizes: Split sizes per config, from ``split_sizes``.
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
        render_splits(sizes, stats),
        render_known_issues(stats, context),
        render_label_quality(context),
        render_licensing(licenses),
        render_citation(context),
        context.changelog,
    ]
    return "\n".join(section.rstrip("\n") + "\n" for section in sections if section)
