"""Statistics of a dataset folder for its card: counts, distributions, lengths, and a plot."""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pyarrow.parquet as pq

from dispatch_corpus.core.cues.common import ANY_LANGUAGE
from dispatch_corpus.dataset.reader import iter_rows, parquet_errors, table_files
from dispatch_corpus.models import Role, SectionLabel

UNKNOWN_LICENSE = "unknown"
"""How a document without a license is counted."""
PLOT_DPI = 100


@dataclass(frozen=True)
class LengthSummary:
    """Distribution of a length (characters): quantiles by the nearest-rank method."""

    count: int
    minimum: int
    p25: int
    median: int
    p75: int
    p95: int
    maximum: int
    mean: float


@dataclass(frozen=True)
class CorpusStats:
    """Counts and distributions of one dataset folder."""

    documents: int
    paragraphs: int
    sections: int
    languages: dict[str, int]
    collections: dict[str, int]
    language_collection: dict[tuple[str, str], int]
    licenses: dict[str, int]
    roles: dict[str, int]
    roles_by_language: dict[str, dict[str, int]]
    labels: dict[str, int]
    document_flags: dict[str, int]
    paragraph_flags: dict[str, int]
    paragraph_chars: tuple[int, ...]
    document_chars: tuple[int, ...]
    cluster_sizes: dict[int, int] | None = None
    """Near-duplicate clusters of 2 documents or more, by size (None: data without cluster_id,
    as releases before splits)."""


def compute_stats(dataset_dir: Path) -> CorpusStats:
    """Read the columns the card needs from a dataset folder and count them.

    Args:
        dataset_dir: A build or release folder.

    Returns:
        The statistics; role and label counts list every class, zeros included.

    Raises:
        DatasetError: When a table's Parquet files are missing or unreadable, lack a
            column, or hold a value the model forbids (see ``reader.iter_rows``).
    """
    files = table_files(dataset_dir)
    language_of: dict[str, str] = {}
    collections: Counter[str] = Counter()
    pairs: Counter[tuple[str, str]] = Counter()
    licenses: Counter[str] = Counter()
    document_flags: Counter[str] = Counter()
    document_chars: list[int] = []
    for row in iter_rows(
        files["documents"], ["doc_id", "language", "collection", "license", "flags", "n_chars"]
    ):
        language_of[row["doc_id"]] = row["language"]
        collections[row["collection"]] += 1
        pairs[(row["language"], row["collection"])] += 1
        licenses[row["license"] or UNKNOWN_LICENSE] += 1
        document_flags.update(row["flags"])
        document_chars.append(row["n_chars"])
    roles: Counter[str] = Counter({role.value: 0 for role in Role})
    roles_by_language: dict[str, Counter[str]] = {}
    paragraph_flags: Counter[str] = Counter()
    paragraph_chars: list[int] = []
    for row in iter_rows(
        files["paragraphs"], ["doc_id", "role", "flags", "char_start", "char_end"]
    ):
        roles[row["role"]] += 1
        language = language_of.get(row["doc_id"], ANY_LANGUAGE)
        roles_by_language.setdefault(language, Counter())[row["role"]] += 1
        paragraph_flags.update(row["flags"])
        paragraph_chars.append(row["char_end"] - row["char_start"])
    labels: Counter[str] = Counter({label.value: 0 for label in SectionLabel})
    for row in iter_rows(files["sections"], ["label"]):
        labels[row["label"]] += 1
    cluster_sizes = None
    if _all_have(files["documents"], "cluster_id"):
        members = Counter(
            row["cluster_id"] for row in iter_rows(files["documents"], ["cluster_id"])
        )
        cluster_sizes = dict(sorted(Counter(n for n in members.values() if n >= 2).items()))
    return CorpusStats(
        documents=len(document_chars),
        paragraphs=len(paragraph_chars),
        sections=sum(labels.values()),
        languages=_by_count(Counter(language_of.values())),
        collections=_by_count(collections),
        language_collection=dict(sorted(pairs.items())),
        licenses=_by_count(licenses),
        roles=dict(roles),
        roles_by_language={
            language: {role: counts[role] for role in roles}
            for language, counts in sorted(roles_by_language.items())
        },
        labels=dict(labels),
        document_flags=_by_count(document_flags),
        paragraph_flags=_by_count(paragraph_flags),
        paragraph_chars=tuple(paragraph_chars),
        document_chars=tuple(document_chars),
        cluster_sizes=cluster_sizes,
    )


def _all_have(paths: list[Path], column: str) -> bool:
    """Whether every shard's schema has ``column``."""
    found = True
    for path in paths:
        with parquet_errors(path):
            found &= column in pq.read_schema(path).names
    return found


def summarize_lengths(values: tuple[int, ...]) -> LengthSummary:
    """Return the quantiles of a list of lengths (all zeros when it is empty)."""
    ordered = sorted(values)
    if not ordered:
        return LengthSummary(0, 0, 0, 0, 0, 0, 0, 0.0)

    def rank(share: float) -> int:
        return ordered[max(0, math.ceil(share * len(ordered)) - 1)]

    return LengthSummary(
        count=len(ordered),
        minimum=ordered[0],
        p25=rank(0.25),
        median=rank(0.5),
        p75=rank(0.75),
        p95=rank(0.95),
        maximum=ordered[-1],
        mean=sum(ordered) / len(ordered),
    )


def plot_lengths(stats: CorpusStats, path: Path) -> None:
    """Write a PNG with the length histograms of paragraphs and documents.

    The figure is drawn with the Agg canvas and saved without a timestamp or software
    version, so the same statistics give the same bytes.

    Args:
        stats: The statistics to plot.
        path: Where to write the PNG (its folder is created).
    """
    # Imported on use: the stats command never plots.
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    # No pyplot: a Figure on its own Agg canvas needs no display and leaves no global state.
    figure = Figure(figsize=(10, 3.6), dpi=PLOT_DPI, layout="constrained")
    FigureCanvasAgg(figure)
    panels = (
        ("Paragraph length", stats.paragraph_chars),
        ("Document length", stats.document_chars),
    )
    for axes, (title, values) in zip(figure.subplots(1, 2), panels, strict=True):
        positive = [v for v in values if v > 0]
        if positive:
            low, high = math.log10(min(positive)), math.log10(max(positive))
            # 1e-9 lifts the last edge above the longest length: 10 ** log10(x) can round
            # below x, and the histogram would drop it.
            edges = [10 ** (low + (high - low + 1e-9) * i / 30) for i in range(31)]
            axes.hist(positive, bins=edges, color="#4C72B0")
            axes.set_xscale("log")
        axes.set_title(f"{title} ({len(values)})")
        axes.set_xlabel("characters (log scale)")
        axes.set_ylabel("count")
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, format="png", metadata={"Software": None})


def _by_count(counts: Counter[str]) -> dict[str, int]:
    return dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))
