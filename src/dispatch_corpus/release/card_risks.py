"""What a practitioner must know before use: personal information, measured limitations."""

from __future__ import annotations

from collections.abc import Mapping

from dispatch_corpus.core.text.split import SINGLE_BLOCK_MIN_CHARS, SINGLE_BLOCK_MIN_SHARE
from dispatch_corpus.dataset.profile import NULLABLE_FIELDS, CollectionProfile
from dispatch_corpus.dataset.stats import CorpusStats, summarize_lengths
from dispatch_corpus.evaluation.score import CONFIDENT, Evaluation
from dispatch_corpus.models import Role
from dispatch_corpus.release.card_text import share, verb
from dispatch_corpus.utils.numbers import count, counted


def render_personal_information(
    stats: CorpusStats, collections: Mapping[str, CollectionProfile]
) -> str:
    """Return the Personal and Sensitive Information section."""
    with_url = sum(p.documents - p.nulls["url"] for p in collections.values())
    statements = stats.roles.get(Role.STATEMENT.value, 0)
    return f"""### Personal and Sensitive Information

The documents are news as published: they name real people (officials, public figures and
private persons quoted or mentioned) and report what they said and did, sometimes with their
age, place of residence, health or legal situation. {counted(statements, "paragraph")}
{verb(statements, "is", "are")} labeled `statement`: speech attributed to a named or
described person. Nothing was removed, masked or pseudonymized and no personal-data detection
was run: the texts are kept exactly so that offsets and provenance hold. The build adds no
data about people; per document it keeps only the `agency`, `title`, `published`, `url`
(given for {share(with_url, stats.documents, "document")}) and `license` of the source.
Whoever processes the names in these texts decides whether that processing is lawful where
they work (e.g. under the GDPR).
"""


def render_limitations(
    stats: CorpusStats,
    collections: Mapping[str, CollectionProfile],
    evaluation: Evaluation | None,
) -> str:
    """Return the Bias, Risks, and Limitations section, measured on the data.

    Args:
        stats: Statistics of the released data.
        collections: Per-collection figures.
        evaluation: The labeler's cross-validated scores (``None``: not measured).

    Returns:
        The section: the per-collection table and the findings drawn from it.
    """
    lines = [
        "## Bias, Risks, and Limitations\n",
        "Measured on this release, per collection (a **single block** is a paragraph of at "
        f"least {count(SINGLE_BLOCK_MIN_CHARS)} characters holding at least "
        f"{SINGLE_BLOCK_MIN_SHARE:.0%} of its document: the text reached the corpus without "
        "its paragraph breaks):\n",
        "| collection | documents | single block | "
        + " | ".join(f"no `{name}`" for name in NULLABLE_FIELDS)
        + " |",
        "|---|---:|---:|" + "---:|" * len(NULLABLE_FIELDS),
    ]
    for name, p in collections.items():
        cells = [share(p.single_block, p.documents)] + [
            share(p.nulls[field], p.documents) for field in NULLABLE_FIELDS
        ]
        lines.append(f"| `{name}` | {count(p.documents)} | " + " | ".join(cells) + " |")
    lines.append("")
    for name, p in collections.items():
        if p.single_block:
            blocks = summarize_lengths(p.block_chars)
            lines.append(
                f"- **Single blocks in `{name}`:** "
                f"{share(p.single_block, p.documents, 'document')} "
                f"{verb(p.single_block, 'is', 'are')} one block of text "
                f"(median {count(blocks.median)} characters, "
                f"longest {count(blocks.maximum)}): their paragraph roles say little about "
                "the structure of a dispatch; they carry the `single_block` flag in "
                "`documents.flags`."
            )
    for field in ("published", "agency", "url"):
        missing = sum(p.nulls[field] for p in collections.values())
        if missing:
            worst = max(collections.items(), key=lambda item: (item[1].nulls[field], item[0]))
            lines.append(
                f"- **Missing `{field}`:** null in "
                f"{share(missing, stats.documents, 'document')}, most in `{worst[0]}`: "
                f"{share(worst[1].nulls[field], worst[1].documents)}."
            )
    lines += [*_balance(stats), *_accuracy(stats, evaluation), ""]
    return "\n".join(lines)


def _balance(stats: CorpusStats) -> list[str]:
    if len(stats.languages) < 2 and len(stats.collections) < 2:
        return []
    language, n = next(iter(stats.languages.items()))
    collection, m = next(iter(stats.collections.items()))
    return [
        f"- **Imbalance:** {language} makes up {share(n, stats.documents, 'document')} and "
        f"`{collection}` {share(m, stats.documents)}: counts and scores over the whole "
        "dataset mostly describe them."
    ]


def _accuracy(stats: CorpusStats, evaluation: Evaluation | None) -> list[str]:
    if evaluation is None:
        return [
            "- **Label accuracy:** not measured for this release (it was cut without gold "
            "documents); the roles are machine-generated."
        ]
    measured = ", ".join(
        f"{language} {scores.role_accuracy:.3f} ({counted(scores.documents, 'document')})"
        for language, scores in evaluation.per_language.items()
    )
    unmeasured = [lang for lang in stats.languages if lang not in evaluation.per_language]
    lines = [
        f"- **Label accuracy by language** (role accuracy in cross-validation on hand-labeled "
        f"gold): {measured}. The rules were written while reading this gold: expect lower "
        "accuracy on other dispatches."
    ]
    if unmeasured:
        lines.append(
            f"- **Not measured:** no gold document in {', '.join(unmeasured)}: the labels of "
            "these languages are unchecked."
        )
    return lines


def render_recommendations() -> str:
    """Return the Recommendations: how to use the data given its measured limitations."""
    return f"""### Recommendations

- Keep the labels the labeler is sure of when training:
  `paragraphs.filter(lambda row: row["role_confidence"] >= {CONFIDENT:.1f})`.
- Leave single-block documents out of anything that learns paragraph structure:
  `documents.filter(lambda row: "single_block" not in row["flags"])`.
- Split by document (better: by collection) for evaluation, never by paragraph: the
  paragraphs of one dispatch share its source and style.
- Check `documents.license` and `collection` before reusing or redistributing a text.
"""
