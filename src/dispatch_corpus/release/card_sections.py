"""The Markdown sections of a release's dataset card, each generated from data or models."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from dispatch_corpus.dataset.card import PRETTY_NAME
from dispatch_corpus.dataset.layout import CONFIG_ORDER, DEFAULT_CONFIG, SPLIT
from dispatch_corpus.dataset.stats import (
    UNKNOWN_LICENSE,
    CorpusStats,
    LengthSummary,
    summarize_lengths,
)
from dispatch_corpus.evaluation.score import CONFIDENT, FREQUENT_ROLE_MIN_SUPPORT, Evaluation
from dispatch_corpus.models import TABLE_MODELS
from dispatch_corpus.release.field_table import render_fields_table
from dispatch_corpus.release.guide import FLAG_GUIDE, ROLE_GUIDE, SECTION_GUIDE

HUB_PLACEHOLDER = "ORG/NAME"


@dataclass(frozen=True)
class LicenseSummary:
    """The card's license fields, summarising the per-document licenses."""

    license: str
    license_name: str | None
    counts: dict[str, int]


@dataclass(frozen=True)
class ReleaseCardContext:
    """What a release card needs beyond the data: version, date, repo and changelog."""

    version: str
    created: date
    repo_id: str | None
    changelog: str
    quarantined: Mapping[str, int]
    lengths_image: str | None
    evaluation: Evaluation | None = None
    """The labeler's cross-validated scores on hand-labeled gold (``evaluation.cv``)."""
    folds: int | None = None
    """Number of cross-validation folds behind ``evaluation``."""
    confusion_image: str | None = None


def render_summary(stats: CorpusStats, context: ReleaseCardContext, languages: list[str]) -> str:
    """Return the title and summary: what the data is and how much of it there is."""
    return f"""# {PRETTY_NAME} {context.version}

News dispatches (wire-agency style articles) in {", ".join(languages)}, decoded, normalized
and split into paragraphs. Every paragraph has a **role** (headline, dateline, lead, body,
statement, list item...) and belongs to a **section**; offsets are Python string indices into
the document text. The roles and sections are assigned by a rule-based labeler, not by hand.

This release holds {stats.documents} documents, {stats.paragraphs} paragraphs and
{stats.sections} sections. It is immutable: `MANIFEST.json` lists the sha256 and row count
of every file, and `croissant.json` describes it in MLCommons Croissant 1.1.
"""


def render_loading(context: ReleaseCardContext) -> str:
    """Return how to load the release offline and pinned to its revision on the Hub."""
    repo = context.repo_id or HUB_PLACEHOLDER
    note = (
        ""
        if context.repo_id
        else f"\nReplace `{HUB_PLACEHOLDER}` with the Hub repository the release was pushed to.\n"
    )
    return f"""## How to load

Offline, from a copy of this folder (nothing is downloaded):

```python
from datasets import load_dataset

paragraphs = load_dataset("PATH/TO/{context.version}", "{DEFAULT_CONFIG}", split="{SPLIT}")
documents = load_dataset("PATH/TO/{context.version}", "documents", split="{SPLIT}")
role_names = paragraphs.features["role"].names
```

From the Hugging Face Hub, pinned to this release (the same bytes every time):

```python
paragraphs = load_dataset(
    "{repo}", "{DEFAULT_CONFIG}", split="{SPLIT}", revision="v{context.version}"
)
```
{note}
Configs: `paragraphs` (default), `documents`, `sections`, each split by document into `train`,
`validation` and `test` (see "Splits and near-duplicates").
`role` and `label` are `ClassLabel` features: integers whose names are in the features.
"""


def render_data_fields() -> str:
    """Return one Data Fields table per config, generated from the models."""
    parts = ["## Data Fields\n"]
    for name in CONFIG_ORDER:
        parts.append(f"### {name}\n\n{render_fields_table(name, TABLE_MODELS[name])}\n")
    return "\n".join(parts)


def render_label_guide() -> str:
    """Return the label guide: every role and section label with its class index."""
    roles = [
        f"| {i} | `{role.value}` | {text} |" for i, (role, text) in enumerate(ROLE_GUIDE.items())
    ]
    labels = [
        f"| {i} | `{label.value}` | {text} |"
        for i, (label, text) in enumerate(SECTION_GUIDE.items())
    ]
    return "\n".join(
        [
            "## Label guide\n",
            "Paragraph roles (`paragraphs.role`):\n",
            "| id | role | meaning |",
            "|---:|---|---|",
            *roles,
            "",
            "Section labels (`sections.label`), one per run of consecutive paragraphs:\n",
            "| id | label | made of |",
            "|---:|---|---|",
            *labels,
            "",
        ]
    )


def render_statistics(stats: CorpusStats, context: ReleaseCardContext) -> str:
    """Return the statistics: documents, roles, labels, lengths and the length plot."""
    lines = [
        "## Statistics\n",
        "Documents per language and collection:\n",
        "| language | collection | documents |",
        "|---|---|---:|",
        *(f"| {lang} | {coll} | {n} |" for (lang, coll), n in stats.language_collection.items()),
        "",
        "Paragraphs per role, overall and per language:\n",
        "| role | " + " | ".join(["all", *stats.roles_by_language]) + " |",
        "|---|" + "---:|" * (1 + len(stats.roles_by_language)),
    ]
    for role, count in stats.roles.items():
        per_language = [str(counts[role]) for counts in stats.roles_by_language.values()]
        lines.append(f"| {role} | " + " | ".join([str(count), *per_language]) + " |")
    lines += [
        "",
        "Sections per label:\n",
        "| label | sections |",
        "|---|---:|",
        *(f"| {label} | {n} |" for label, n in stats.labels.items()),
        "",
        "Length distribution (characters):\n",
        "| unit | count | min | p25 | median | p75 | p95 | max | mean |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
        _length_row("paragraph", summarize_lengths(stats.paragraph_chars)),
        _length_row("document", summarize_lengths(stats.document_chars)),
        "",
    ]
    if context.lengths_image is not None:
        lines += [f"![Length histograms of paragraphs and documents]({context.lengths_image})", ""]
    return "\n".join(lines)


def _length_row(unit: str, s: LengthSummary) -> str:
    return (
        f"| {unit} | {s.count} | {s.minimum} | {s.p25} | {s.median} | {s.p75} | {s.p95} | "
        f"{s.maximum} | {s.mean:.1f} |"
    )


def render_known_issues(stats: CorpusStats, context: ReleaseCardContext) -> str:
    """Return the known issues: quality flags with their counts and quarantined inputs."""
    guide = {flag.value: text for flag, text in FLAG_GUIDE.items()}
    rows = [
        f"| `{flag}` | {table} | {n} | {guide.get(flag, '-')} |"
        for table, flags in (
            ("documents", stats.document_flags),
            ("paragraphs", stats.paragraph_flags),
        )
        for flag, n in flags.items()
    ]
    lines = [
        "## Known issues\n",
        "Quality flags (`documents.flags`, `paragraphs.flags`) and how many rows carry them:\n",
    ]
    if rows:
        lines += ["| flag | table | rows | meaning |", "|---|---|---:|---|", *rows]
    else:
        lines.append("No row carries a quality flag.")
    quarantined = sum(context.quarantined.values())
    lines.append("")
    if quarantined:
        reasons = ", ".join(f"{reason} {n}" for reason, n in sorted(context.quarantined.items()))
        lines.append(
            f"{quarantined} raw inputs were quarantined by the build and are not in the data "
            f"({reasons}); `MANIFEST.json` lists them."
        )
    else:
        lines.append("No raw input was quarantined by the build.")
    lines += [
        "",
        "Roles and sections come from rules, not annotators: expect errors on close calls "
        "(statement versus body, subheadings, boilerplate).",
        "",
    ]
    return "\n".join(lines)


def render_label_quality(context: ReleaseCardContext) -> str:
    """Return the labeler's cross-validated scores, reliability table and confident subset."""
    result = context.evaluation
    if result is None:
        return ""
    confident = f"{CONFIDENT:.1f}"
    lines = [
        "## Label quality\n",
        f"Measured when this release was cut by {context.folds}-fold cross-validation by "
        f"document (folds stratified by collection) on {result.documents} hand-labeled "
        f"documents ({result.paragraphs} paragraphs, fr/en/ru): role accuracy "
        f"{result.role_accuracy:.3f}, macro-F1 over roles with at least "
        f"{FREQUENT_ROLE_MIN_SUPPORT} paragraphs {result.macro_f1_frequent:.3f}, sections "
        f"exact {result.sections_exact:.3f}, segmentation exact "
        f"{result.segmentation_exact:.3f}. Only the confidence calibration is fitted, inside "
        "the folds; the role rules themselves were written while reading this gold, so these "
        "are development figures: expect lower accuracy on dispatches unlike it.\n",
        "| language | documents | role accuracy | macro-F1 | sections exact |",
        "|---|---:|---:|---:|---:|",
        *(
            f"| {lang} | {sub.documents} | {sub.role_accuracy:.3f} | "
            f"{sub.macro_f1_frequent:.3f} | {sub.sections_exact:.3f} |"
            for lang, sub in result.per_language.items()
        ),
        "",
        "| role | precision | recall | F1 | paragraphs |",
        "|---|---:|---:|---:|---:|",
        *(
            f"| {role} | {s.precision:.3f} | {s.recall:.3f} | {s.f1:.3f} | {s.support:,} |"
            for role, s in result.per_role.items()
            if s.support
        ),
        "",
        "### Confidence",
        "",
        "Every paragraph has `role_confidence`: the measured accuracy of the rule that chose "
        "its role. Reliability in cross-validation (a calibrated confidence has accuracy close "
        f"to its mean confidence; expected calibration error {result.calibration_error:.3f}):\n",
        "| confidence | paragraphs | mean confidence | accuracy |",
        "|---|---:|---:|---:|",
        *(
            f"| {b.low:.1f}-{b.high:.1f} | {b.count:,} | {b.mean_confidence:.3f} | "
            f"{b.accuracy:.3f} |"
            for b in result.reliability
            if b.count
        ),
        "",
        f"Paragraphs with `role_confidence >= {confident}` are "
        f"{result.confident_coverage:.1%} of the gold, at role accuracy "
        f"{result.confident_accuracy:.3f}. To keep only confident labels:\n",
        "```python",
        f'confident = paragraphs.filter(lambda row: row["role_confidence"] >= {confident})',
        "```",
        "",
    ]
    if context.confusion_image is not None:
        lines += [f"![Confusion matrix of paragraph roles]({context.confusion_image})", ""]
    return "\n".join(lines)


def render_licensing(licenses: LicenseSummary) -> str:
    """Return the licensing section: documents per license."""
    lines = [
        "## Licensing\n",
        "Each document keeps the license of its source (`documents.license`, an SPDX id where "
        "one exists); reuse a document under its own license.\n",
        "| license | documents |",
        "|---|---:|",
        *(f"| {name} | {n} |" for name, n in licenses.counts.items()),
        "",
    ]
    if UNKNOWN_LICENSE in licenses.counts:
        lines += [
            f"Documents counted as `{UNKNOWN_LICENSE}` have no recorded license: check their "
            "source (`documents.url`, `collection`) before reuse.",
            "",
        ]
    return "\n".join(lines)


def citation_bibtex(version: str, year: int, repo_id: str | None) -> str:
    """Return the BibTeX entry citing one release."""
    key = "dispatch_corpus_" + version.replace(".", "_")
    url = f"  url = {{https://huggingface.co/datasets/{repo_id}}},\n" if repo_id else ""
    return (
        f"@misc{{{key},\n"
        f"  title = {{{PRETTY_NAME}, version {version}}},\n"
        f"  year = {{{year}}},\n"
        f"{url}"
        f"  note = {{Paragraph roles and sections of news dispatches, release {version}}}\n"
        "}"
    )


def render_citation(context: ReleaseCardContext) -> str:
    """Return the citation section (BibTeX)."""
    bibtex = citation_bibtex(context.version, context.created.year, context.repo_id)
    return f"""## Citation

```bibtex
{bibtex}
```

Cite the sources of the documents you use too (see `documents.collection` and `documents.url`).
"""
