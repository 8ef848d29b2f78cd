"""Figures for the dataset card: the role confusion matrix of an evaluation (I/O layer)."""

from __future__ import annotations

from pathlib import Path

from dispatch_corpus.evaluation.score import Evaluation

FIGURE_DPI = 120
"""Resolution of written figures."""


def write_confusion_matrix(evaluation: Evaluation, path: Path) -> Path:
    """Draw the gold-versus-predicted role matrix of an evaluation and save it as a PNG.

    Each row (gold role) is coloured by its share of that role's paragraphs, so rare and
    frequent roles read alike; each cell also prints its paragraph count.

    Args:
        evaluation: A finished evaluation (its ``matrix`` holds the counts).
        path: Where to write the PNG; missing parent folders are created.

    Returns:
        The path written.

    Raises:
        ValueError: When the evaluation scored no paragraph.
    """
    import matplotlib

    # No display needed: the figure is only written to a file (CI, servers).
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    labels = list(evaluation.matrix)
    if not labels:
        raise ValueError("the evaluation has no paragraph to plot")
    counts = [[evaluation.matrix[g][p] for p in labels] for g in labels]
    shares = [[n / max(1, sum(row)) for n in row] for row in counts]
    size = 1.2 + 0.75 * len(labels)
    figure, axes = plt.subplots(figsize=(size + 1.5, size))
    try:
        image = axes.imshow(shares, cmap="Blues", vmin=0.0, vmax=1.0)
        axes.set_xticks(range(len(labels)), labels=labels, rotation=45, ha="right")
        axes.set_yticks(range(len(labels)), labels=labels)
        axes.set_xlabel("predicted role")
        axes.set_ylabel("gold role")
        axes.set_title(
            f"Role confusion ({evaluation.paragraphs} paragraphs, "
            f"accuracy {evaluation.role_accuracy:.3f})"
        )
        for i, row in enumerate(counts):
            for j, n in enumerate(row):
                if n:
                    # Readable on the cell: white on the dark shares, black on the light ones.
                    colour = "white" if shares[i][j] > 0.6 else "black"
                    axes.text(j, i, str(n), ha="center", va="center", color=colour, fontsize=8)
        # The usual values that make the colour bar as tall as the square matrix.
        figure.colorbar(image, ax=axes, fraction=0.046, pad=0.04, label="share of gold role")
        figure.tight_layout()
        path.parent.mkdir(parents=True, exist_ok=True)
        figure.savefig(path, dpi=FIGURE_DPI, format="png")
    finally:
        plt.close(figure)
    return path
