"""Run the benchmark: generate, measure the floor, build, validate, report figures."""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from dispatch_corpus.bench.generate import generate_corpus, load_sources
from dispatch_corpus.bench.measure import (
    PeakTreeMemory,
    measure_baseline,
    measure_floor,
    tree_cpu_seconds,
)
from dispatch_corpus.build.driver import build_dataset
from dispatch_corpus.errors import CannotRunError
from dispatch_corpus.settings import BuildSettings


@dataclass(frozen=True)
class BenchResult:
    """Figures of one benchmark run."""

    docs: int
    raw_mb: float
    paragraphs: int
    workers: int
    floor_s: float
    build_s: float
    cpu_s: float
    """CPU seconds of the build, its worker processes included."""
    baseline_cpu_s: float
    """CPU seconds of the plain baseline on the same documents (``measure_baseline``)."""
    validate_s: float | None
    peak_rss_mb: float

    def as_dict(self) -> dict[str, float | int | None]:
        """Return the figures under the names the benchmark prints."""
        docs_per_s = round(self.docs / self.build_s, 1)
        return {
            "docs/s": docs_per_s,
            "MB/s": round(self.raw_mb / self.build_s, 2),
            "paragraphs/s": round(self.paragraphs / self.build_s, 1),
            "build_s": round(self.build_s, 3),
            "floor_s": round(self.floor_s, 3),
            "cpu_s": round(self.cpu_s, 3),
            "docs_per_cpu_s": round(self.docs / self.cpu_s, 1),
            "baseline_cpu_s": round(self.baseline_cpu_s, 3),
            "cpu_s/baseline": round(self.cpu_s / self.baseline_cpu_s, 2),
            "validate_s": None if self.validate_s is None else round(self.validate_s, 3),
            "peak_rss_mb": round(self.peak_rss_mb, 1),
            # The same figure under a name without a slash, for readers of the JSON line; the
            # console does not print it twice.
            "docs_per_s": docs_per_s,
        }


def run_benchmark(
    n_docs: int,
    workers: int,
    sources: Sequence[Path],
    validate: Callable[[Path], object] | None = None,
    work_dir: Path | None = None,
) -> BenchResult:
    """Generate ``n_docs`` dispatches, then measure the floor, the baseline, the build, validation.

    Args:
        n_docs: Number of synthetic dispatches.
        workers: Build worker processes.
        sources: Corpus folders whose dispatches are recombined (missing ones are skipped).
        validate: Called with the dataset folder to time validation (skipped if None).
        work_dir: Where to put the temporary corpus and outputs (default: system temp).

    Returns:
        The measured figures.

    Raises:
        CannotRunError: When the source folders hold no dispatch of two paragraphs or more.
    """
    documents = load_sources(sources)
    if not documents:
        folders = ", ".join(str(folder) for folder in sources)
        raise CannotRunError(f"no dispatch of two paragraphs or more to recombine in {folders}")
    with tempfile.TemporaryDirectory(prefix="dispatch-bench-", dir=work_dir) as tmp:
        root = Path(tmp)
        corpus = root / "corpus"
        raw_bytes = generate_corpus(documents, n_docs, corpus)
        floor_s = measure_floor(corpus, root / "floor.parquet")
        baseline_cpu_s = measure_baseline(corpus, root / "baseline")
        # The peak of the build alone (its worker processes included), not of generation or
        # validation.
        with PeakTreeMemory() as memory:
            cpu_before = tree_cpu_seconds()
            summary = build_dataset(corpus, root / "build", BuildSettings(workers=workers))
            cpu_s = tree_cpu_seconds() - cpu_before
        # Without the sampler's own CPU: it measures the build and is no part of it.
        cpu_s -= memory.sampler_cpu_s
        validate_s = None
        if validate is not None:
            started = time.perf_counter()
            validate(root / "build")
            validate_s = time.perf_counter() - started
    return BenchResult(
        docs=n_docs,
        raw_mb=raw_bytes / 1e6,
        paragraphs=summary.paragraphs,
        workers=workers,
        floor_s=floor_s,
        build_s=summary.seconds,
        cpu_s=cpu_s,
        baseline_cpu_s=baseline_cpu_s,
        validate_s=validate_s,
        peak_rss_mb=memory.peak_bytes / 2**20,
    )
