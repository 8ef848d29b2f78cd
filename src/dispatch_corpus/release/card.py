"""The full dataset card of a release, generated from the data.

The YAML header is a build's (``dataset.card``) with the Hub's metadata added; the sections
follow the Hub's dataset card template (details, uses, structure, creation, bias, risks and
limitations, citation), each filled from the data: ``card_overview``, ``card_sections``,
``card_sources``, ``card_annotations`` and ``card_risks``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from dispatch_corpus.core.metadata import LICENSE_SPDX_PATTERNS
from dispatch_corpus.dataset.card import PRETTY_NAME, ConfigSize, card_header, size_category
from dispatch_corpus.dataset.layout import CONFIG_ORDER, DEFAULT_CONFIG
from dispatch_corpus.dataset.stats import UNKNOWN_LICENSE, CorpusStats
from dispatch_corpus.release.card_annotations import render_annotations
from dispatch_corpus.release.card_clients import render_other_clients
from dispatch_corpus.release.card_facts import CardFacts
from dispatch_corpus.release.card_overview import (
    render_examples,
    render_loading,
    render_summary,
    render_uses,
)
from dispatch_corpus.release.card_risks import (
    render_limitations,
    render_personal_information,
    render_recommendations,
)
from dispatch_corpus.release.card_sections import (
    LicenseSummary,
    ReleaseCardContext,
    render_citation,
    render_data_fields,
    render_known_issues,
    render_label_guide,
    render_statistics,
)
from dispatch_corpus.release.card_sources import (
    render_licensing,
    render_source_data,
    source_datasets,
)
from dispatch_corpus.release.card_splits import render_splits
from dispatch_corpus.utils.numbers import counted

# The Hub pairs ``license: other`` with a license_name and a license_link; the link is
# this card, whose Licensing section gives each document's license.
LICENSE_LINK = "README.md"
HUB_LICENSES = frozenset(spdx.lower() for spdx in LICENSE_SPDX_PATTERNS.values())
"""The SPDX ids the build maps licenses to, lowercased: each is a Hub license id too."""
MAX_LICENSE_NAME = 100


def summarize_licenses(counts: Mapping[str, int]) -> LicenseSummary:
    """Summarise per-document licenses (SPDX ids) as the card's ``license`` fields.

    One known license becomes its Hub id (the lowercased SPDX id); several, or any unknown,
    become ``other`` with a ``license_name`` listing them.

    Args:
        counts: Documents per license id, ``unknown`` for documents without one.

    Returns:
        The summary.
    """
    known = sorted({_slug(name) for name in counts if name != UNKNOWN_LICENSE} - {""})
    # One Hub license id is true of the whole dataset only when every document has it, and
    # only an SPDX id the build maps to is one: a license the build kept as free text is not.
    if len(counts) == 1 and known and known[0] in HUB_LICENSES:
        return LicenseSummary(known[0], None, dict(counts))
    parts = [*known, *([UNKNOWN_LICENSE] if UNKNOWN_LICENSE in counts else [])]
    name = parts[0] if len(parts) == 1 else "mixed-" + "-".join(parts)
    return LicenseSummary("other", name[:MAX_LICENSE_NAME], dict(counts))


def _slug(text: str) -> str:
    """Return a license as a Hub ``license_name``: lowercase letters, digits, dots, dashes."""
    return re.sub(r"[^a-z0-9.]+", "-", text.lower()).strip("-.")


def render_release_card(
    sizes: Mapping[str, ConfigSize],
    stats: CorpusStats,
    context: ReleaseCardContext,
    facts: CardFacts,
) -> str:
    """Return the full dataset card of a release, in the order of the Hub's card template.

    Args:
        sizes: Split sizes per config, from ``split_sizes``.
        stats: Statistics of the released data.
        context: Version, date, Hub repository, changelog and build facts.
        facts: Per-collection figures, provenance and example rows (``gather_card_facts``).

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
        "source_datasets": source_datasets(facts.collections, facts.sources),
        "task_categories": ["text-classification"],
        "task_ids": ["multi-class-classification"],
    }
    if licenses.license_name is not None:
        metadata["license_name"] = licenses.license_name
        metadata["license_link"] = LICENSE_LINK
    license_text = licenses.license_name or licenses.license
    sections = [
        card_header(sizes, metadata),
        render_summary(stats, context, facts, license_text),
        render_uses(stats, facts.collections, context),
        render_loading(context),
        render_other_clients(),
        _render_structure(sizes),
        render_examples(facts.examples),
        render_data_fields(),
        render_label_guide(),
        render_statistics(stats, context),
        render_splits(sizes, stats),
        render_source_data(facts.collections, facts.sources),
        render_annotations(context),
        render_personal_information(stats, facts.collections),
        render_limitations(stats, facts.collections, context.evaluation),
        render_known_issues(stats, context),
        render_recommendations(),
        render_licensing(licenses.counts, facts.collections, facts.sources),
        render_citation(context),
        context.changelog,
    ]
    return "\n".join(section.rstrip("\n") + "\n" for section in sections if section)


def _render_structure(sizes: Mapping[str, ConfigSize]) -> str:
    tables = ", ".join(
        f"`{name}` ({counted(sizes[name].rows, 'row')}"
        + (", the default)" if name == DEFAULT_CONFIG else ")")
        for name in CONFIG_ORDER
    )
    return (
        "## Dataset Structure\n\n"
        f"One config per table, joined by `doc_id`: {tables}. A document is one dispatch, a "
        "paragraph one block of its text, a section a run of consecutive paragraphs; "
        "`char_start` and `char_end` index `documents.text` in code points.\n"
    )
