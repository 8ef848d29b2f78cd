"""The opening sections of a release card: description, uses, loading and example rows."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date
from typing import Any

from dispatch_corpus.dataset.card import PRETTY_NAME
from dispatch_corpus.dataset.layout import CONFIG_ORDER, DEFAULT_CONFIG, SPLIT
from dispatch_corpus.dataset.profile import CollectionProfile
from dispatch_corpus.dataset.stats import CorpusStats
from dispatch_corpus.models import Role, SectionLabel
from dispatch_corpus.release.card_facts import CardFacts
from dispatch_corpus.release.card_sections import ReleaseCardContext
from dispatch_corpus.release.card_sources import upstream_repository
from dispatch_corpus.release.card_text import fence, hub_url, plain, verb
from dispatch_corpus.utils.numbers import count, counted

EXAMPLE_TEXT_CHARS = 240
"""Characters of a long text value shown in an example row; the rest is counted, not shown."""
FLOAT_DIGITS = 6
"""Decimals of a float in an example row: float32 holds about 7 significant digits."""
_CLASS_NAMES = {"role": [r.value for r in Role], "label": [s.value for s in SectionLabel]}


def loading_path(context: ReleaseCardContext) -> str:
    """Return the path the card's offline loading examples use."""
    return context.local_path or f"releases/{context.version}"


def render_summary(
    stats: CorpusStats, context: ReleaseCardContext, facts: CardFacts, license_text: str
) -> str:
    """Return the title, the summary and the Dataset Details section."""
    languages = ", ".join(
        f"{lang} ({counted(n, 'document')})" for lang, n in stats.languages.items()
    )
    sizes = ", ".join(
        [
            counted(stats.documents, "document"),
            counted(stats.paragraphs, "paragraph"),
            counted(stats.sections, "section"),
        ]
    )
    repository = (
        f"[{context.repo_id}]({hub_url(context.repo_id)}), tag `v{context.version}`"
        if context.repo_id
        else f"the folder `{loading_path(context)}` (no Hub repository was named when it was cut)"
    )
    upstream = [
        f"`{name}` ([{repo}](https://github.com/{repo}))"
        for name, sources in facts.sources.items()
        if (repo := upstream_repository(sources)) is not None
    ]
    collections = len(stats.collections)
    lines = [
        f"# Dataset Card for {PRETTY_NAME} {context.version}\n",
        f"News dispatches (wire-agency style articles) from "
        f"{counted(collections, 'collection')}, decoded, normalized and split into paragraphs: "
        f"{sizes}. Every paragraph has a **role** (headline, dateline, lead, body, statement, "
        "list item...) and belongs to a **section**; offsets are Python string indices into "
        "the document text. Roles and sections are assigned by a rule-based labeler, not by "
        "hand.\n",
        "## Dataset Details\n",
        "### Dataset Description\n",
        f"- **Curated by:** {', '.join(context.authors)}",
        f"- **Language(s) (NLP):** {languages}",
        f"- **License:** {plain(license_text, 200)} (each document keeps its source's license: "
        "see Licensing)",
        f"- **Size:** {sizes}",
        f"- **Released:** {context.created.isoformat()}, version {context.version}. The "
        "release is immutable: `MANIFEST.json` lists the sha256 and row count of every file "
        "and `croissant.json` describes it in MLCommons Croissant 1.1.",
        "",
        "### Dataset Sources\n",
        f"- **Repository:** {repository}",
    ]
    if upstream:
        lines.append(f"- **Upstream corpora:** {', '.join(upstream)} (see Source Data)")
    lines.append("")
    return "\n".join(lines)


def render_uses(
    stats: CorpusStats, collections: Mapping[str, CollectionProfile], context: ReleaseCardContext
) -> str:
    """Return the Uses section: what the data is fit for and what it is not."""
    languages = ", ".join(stats.languages)
    firsts = [p.first_published for p in collections.values() if p.first_published]
    lasts = [p.last_published for p in collections.values() if p.last_published]
    undated = sum(p.nulls["published"] for p in collections.values())
    boilerplate = stats.roles.get(Role.BOILERPLATE.value, 0)
    period = (
        f"dated {min(firsts).isoformat()} to {max(lasts).isoformat()}"
        if firsts and lasts
        else "without a publication date"
    )
    accuracy = (
        f" (role accuracy {context.evaluation.role_accuracy:.3f} in cross-validation on "
        f"{counted(context.evaluation.documents, 'hand-labeled document')})"
        if context.evaluation is not None
        else ""
    )
    return f"""## Uses

### Direct Use

- Training and evaluating paragraph role classifiers for news in {languages}: the
  `paragraphs` config pairs each paragraph's `text` with its `role`
  ({counted(len(Role), "class", "classes")}) and `role_confidence`.
- Segmenting news articles into sections (`sections`: {counted(len(SectionLabel), "label")}) and
  telling the story from its headline, dateline and boilerplate, e.g. to clean news text
  before other processing ({counted(boilerplate, "paragraph")}
  {verb(boilerplate, "is", "are")} labeled `boilerplate`).
- Studying how dispatches are built (leads, quotes, lists) across languages and sources.

### Out-of-Scope Use

- Using the roles as hand-checked gold labels: they are machine-generated{accuracy}; to
  measure a model, label a sample by hand.
- Learning or checking facts: the texts are news as published,
  {period} ({counted(undated, "document")} {verb(undated, "has", "have")} no date), never
  updated or verified.
- Profiling, identifying or tracking the people named in the news (see Personal and
  Sensitive Information).
- Reusing a document without its license: each keeps its source's (see Licensing).
"""


def render_loading(context: ReleaseCardContext) -> str:
    """Return how to load the release: from the Hub when its repository is known, and offline."""
    path = loading_path(context)
    parts = [
        "## How to load\n",
        f"Offline, from a copy of this release (`{path}`; nothing is downloaded):\n",
        fence(
            "from datasets import load_dataset\n\n"
            f'paragraphs = load_dataset("{path}", "{DEFAULT_CONFIG}", split="{SPLIT}")\n'
            f'documents = load_dataset("{path}", "documents", split="{SPLIT}")\n'
            'role_names = paragraphs.features["role"].names',
            "python",
        ),
        "",
    ]
    if context.repo_id:
        parts += [
            "From the Hugging Face Hub, pinned to this release (the same bytes every time):\n",
            fence(
                "paragraphs = load_dataset(\n"
                f'    "{context.repo_id}", "{DEFAULT_CONFIG}", split="{SPLIT}", '
                f'revision="v{context.version}"\n)',
                "python",
            ),
            "",
        ]
    parts += [
        f"Configs: `{DEFAULT_CONFIG}` (default), "
        + ", ".join(f"`{name}`" for name in CONFIG_ORDER if name != DEFAULT_CONFIG)
        + ', each split by document into `train`, `validation` and `test` (see "Splits and '
        'near-duplicates"; a split without documents is not declared). `role` and `label` are '
        "`ClassLabel` features: integers whose names are in the features.",
        "",
    ]
    return "\n".join(parts)


def render_examples(examples: Mapping[str, Mapping[str, Any]]) -> str:
    """Return the Data Instances section: one real row per config, long texts clipped."""
    if not examples:
        return ""
    lines = [
        "### Data Instances\n",
        "One row of each config as `load_dataset` returns it: the document of median length, "
        "its first paragraph after the headline and the section holding that paragraph. Texts "
        f"longer than {count(EXAMPLE_TEXT_CHARS)} characters are cut, the rest counted; "
        f"floats are rounded to {FLOAT_DIGITS} decimals.\n",
    ]
    for name in CONFIG_ORDER:
        row = examples.get(name)
        if row is None:
            continue
        shown = {key: _shown_value(key, value) for key, value in row.items()}
        # Not "#### {name}": the Data Fields tables hold those headings (and their anchors).
        lines += [
            f"#### An example of {name}\n",
            fence(_json(shown), "json"),
        ]
        for key, names in _CLASS_NAMES.items():
            if key in row:
                lines.append(f"\n`{key}` {names.index(row[key])} is `{row[key]}`.")
        lines.append("")
    return "\n".join(lines)


def _json(row: Mapping[str, Any]) -> str:
    # A row is flat, so "{{" and "}}" only occur inside its strings, where an escaped brace
    # is the same JSON value: no text of the data reads as a template placeholder.
    text = json.dumps(row, ensure_ascii=False, indent=2)
    return text.replace("{{", "{\\u007b").replace("}}", "}\\u007d")


def _shown_value(key: str, value: Any) -> Any:
    if key in _CLASS_NAMES:
        return _CLASS_NAMES[key].index(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        # A float32 read back as a Python float shows noise digits past its precision.
        return round(value, FLOAT_DIGITS)
    if isinstance(value, str) and len(value) > EXAMPLE_TEXT_CHARS:
        rest = len(value) - EXAMPLE_TEXT_CHARS
        return f"{value[:EXAMPLE_TEXT_CHARS]}... [{counted(rest, 'more character')}]"
    return value
