"""The Markdown sections of a release's dataset card, each generated from data or models."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from dispatch_corpus.dataset.card import PRETTY_NAME
from dispatch_corpus.dataset.layout import CONFIG_ORDER
from dispatch_corpus.dataset.stats import (
    CorpusStats,
    LengthSummary,
    summarize_lengths,
)
from dispatch_corpus.evaluation.score import Evaluation
from dispatch_corpus.models import TABLE_MODELS
from dispatch_corpus.release.card_text import hub_url, package_authors, verb
from dispatch_corpus.release.field_table import render_fields_table
from dispatch_corpus.release.guide import FLAG_GUIDE, ROLE_GUIDE, SECTION_GUIDE
from dispatch_corpus.utils.numbers import count, counted


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
    labeler_version: str | None = None
    """Version of the labeler that assigned the roles (the build's recorded settings)."""
    authors: tuple[str, ...] = field(default_factory=package_authors)
    """Who curates the dataset: the package's authors (pyproject.toml)."""
    local_path: str | None = None
    """Where the release lies, for offline loading (default ``releases/<version>``)."""


def render_data_fields() -> str:
    """Return one Data Fields table per config, generated from the models."""
    parts = ["### Data Fields\n"]
    for name in CONFIG_ORDER:
        parts.append(f"#### {name}\n\n{render_fields_table(name, TABLE_MODELS[name])}\n")
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
            "### Label guide\n",
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
        "### Statistics\n",
        "Documents per language and collection:\n",
        "| language | collection | documents |",
        "|---|---|---:|",
        *(
            f"| {lang} | {coll} | {count(n)} |"
            for (lang, coll), n in stats.language_collection.items()
        ),
        "",
        "Paragraphs per role, overall and per language:\n",
        "| role | " + " | ".join(["all", *stats.roles_by_language]) + " |",
        "|---|" + "---:|" * (1 + len(stats.roles_by_language)),
    ]
    for role, total in stats.roles.items():
        per_language = [count(counts[role]) for counts in stats.roles_by_language.values()]
        lines.append(f"| {role} | " + " | ".join([count(total), *per_language]) + " |")
    lines += [
        "",
        "Sections per label:\n",
        "| label | sections |",
        "|---|---:|",
        *(f"| {label} | {count(n)} |" for label, n in stats.labels.items()),
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
        f"| {unit} | {count(s.count)} | {count(s.minimum)} | {count(s.p25)} | "
        f"{count(s.median)} | {count(s.p75)} | {count(s.p95)} | {count(s.maximum)} | "
        f"{s.mean:,.1f} |"
    )


def render_known_issues(stats: CorpusStats, context: ReleaseCardContext) -> str:
    """Return the known issues: quality flags with their counts and quarantined inputs."""
    guide = {flag.value: text for flag, text in FLAG_GUIDE.items()}
    rows = [
        f"| `{flag}` | {table} | {count(n)} | {guide.get(flag, '-')} |"
        for table, flags in (
            ("documents", stats.document_flags),
            ("paragraphs", stats.paragraph_flags),
        )
        for flag, n in flags.items()
    ]
    lines = [
        "### Known issues\n",
        "Quality flags (`documents.flags`, `paragraphs.flags`) and how many rows carry them:\n",
    ]
    if rows:
        lines += ["| flag | table | rows | meaning |", "|---|---|---:|---|", *rows]
    else:
        lines.append("No row carries a quality flag.")
    quarantined = sum(context.quarantined.values())
    lines.append("")
    if quarantined:
        reasons = ", ".join(
            f"{reason} {count(n)}" for reason, n in sorted(context.quarantined.items())
        )
        lines.append(
            f"{counted(quarantined, 'raw input')} {verb(quarantined, 'was', 'were')} "
            f"quarantined by the build and {verb(quarantined, 'is', 'are')} not in the "
            f"data ({reasons}); `MANIFEST.json` lists them."
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


def citation_bibtex(
    version: str, year: int, repo_id: str | None, authors: Sequence[str] = ()
) -> str:
    """Return the BibTeX entry citing one release.

    Args:
        version: The release version.
        year: The year it was cut.
        repo_id: Its Hub repository, when known (gives the url).
        authors: Its curators (default: the package's authors).

    Returns:
        A ``@misc`` entry.
    """
    key = "dispatch_corpus_" + version.replace(".", "_")
    # Each name braced keeps a team name whole (BibTeX would split it into first and last
    # names); quotes delimit the field, so no "{{" reads as a template placeholder.
    author = " and ".join(f"{{{name}}}" for name in authors or package_authors())
    url = f"  url = {{{hub_url(repo_id)}}},\n" if repo_id else ""
    return (
        f"@misc{{{key},\n"
        f'  author = "{author}",\n'
        f"  title = {{{PRETTY_NAME}, version {version}}},\n"
        f"  year = {{{year}}},\n"
        f"{url}"
        f"  note = {{Paragraph roles and sections of news dispatches, release {version}}}\n"
        "}"
    )


def render_citation(context: ReleaseCardContext) -> str:
    """Return the citation section (BibTeX and APA) and the card's authors."""
    bibtex = citation_bibtex(
        context.version, context.created.year, context.repo_id, context.authors
    )
    where = f" {hub_url(context.repo_id)}" if context.repo_id else ""
    authors = ", ".join(context.authors)
    return f"""## Citation

**BibTeX:**

```bibtex
{bibtex}
```

**APA:**

{authors}. ({context.created.year}). *{PRETTY_NAME}* (Version {context.version}) [Data set].{where}

Cite the sources of the documents you use too (see Source Data, `documents.collection` and
`documents.url`).

## Dataset Card Authors

{authors}. The card is generated from the data of this release by dispatch-corpus.
"""
