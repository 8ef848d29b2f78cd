"""Generate a reproducible synthetic corpus by recombining real paragraphs (I/O)."""

from __future__ import annotations

import json
import random
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from dispatch_corpus.core.text.split import split_paragraphs
from dispatch_corpus.dataset.corpus import DISPATCH_SUFFIX, METADATA_FILE

BENCH_SEED = 20261125
"""Fixed random seed: the same N gives the same corpus."""
FILES_PER_COLLECTION = 10_000
MIN_BODY_PARAGRAPHS = 3
MAX_BODY_PARAGRAPHS = 12


@dataclass(frozen=True)
class SourceDocument:
    """A real document to recombine: its language and paragraphs (first one the headline)."""

    language: str
    paragraphs: tuple[str, ...]


def load_sources(folders: Iterable[Path]) -> list[SourceDocument]:
    """Read every ``<collection>/*.txt`` of the given corpus folders that exist.

    Args:
        folders: Corpus folders (missing ones are skipped).

    Returns:
        The documents with at least two paragraphs, in sorted path order.
    """
    sources = []
    for folder in folders:
        if not folder.is_dir():
            continue
        languages = _languages(folder)
        for path in sorted(folder.glob(f"*/*{DISPATCH_SUFFIX}")):
            # The sources are only recombined: a stray byte is replaced rather than stopping the
            # benchmark.
            paragraphs = split_paragraphs(path.read_text(encoding="utf-8", errors="replace"))
            # A headline to take and at least one body paragraph to give to the pool.
            if len(paragraphs) >= 2:
                # French when no sidecar says: the corpus is French first (LABELING.md).
                language = languages.get(path.stem, "fr")
                sources.append(SourceDocument(language, tuple(paragraphs)))
    return sources


def _languages(folder: Path) -> dict[str, str]:
    languages = {}
    for sidecar in folder.glob(f"*/{METADATA_FILE}"):
        for line in sidecar.read_text(encoding="utf-8").splitlines():
            try:
                entry = json.loads(line)
            # A bad sidecar line only loses its document's language.
            except json.JSONDecodeError:
                continue
            if isinstance(entry, dict) and isinstance(entry.get("language"), str):
                languages[str(entry.get("id"))] = entry["language"]
    return languages


def generate_corpus(sources: list[SourceDocument], n_docs: int, out_dir: Path) -> int:
    """Write ``n_docs`` dispatches recombined from ``sources`` into ``out_dir``.

    Each dispatch takes the headline of one source and body paragraphs drawn from sources
    of the same language, with a metadata line per dispatch. The random generator is seeded
    with ``BENCH_SEED``, so the output depends only on the sources and ``n_docs``.

    Args:
        sources: Documents to recombine (at least one).
        n_docs: Number of dispatches to write.
        out_dir: Corpus folder to create.

    Returns:
        Total raw bytes written (dispatch files only).
    """
    rng = random.Random(BENCH_SEED)
    by_language: dict[str, list[str]] = defaultdict(list)
    for source in sources:
        # Headlines stay out of the body pool: each dispatch gets one, at its top.
        by_language[source.language].extend(source.paragraphs[1:])
    total = 0
    sidecars: dict[Path, list[str]] = defaultdict(list)
    for index in range(n_docs):
        source = sources[rng.randrange(len(sources))]
        pool = by_language[source.language]
        count = rng.randint(MIN_BODY_PARAGRAPHS, MAX_BODY_PARAGRAPHS)
        body = [pool[rng.randrange(len(pool))] for _ in range(count)]
        # One paragraph per line, no blank line: the splitter reads every line as a paragraph.
        text = "\n".join([source.paragraphs[0], *body]) + "\n"
        collection = out_dir / f"bench_{index // FILES_PER_COLLECTION:03d}"
        collection.mkdir(parents=True, exist_ok=True)
        doc_id = f"bench_{index:08d}"
        data = text.encode("utf-8")
        (collection / f"{doc_id}{DISPATCH_SUFFIX}").write_bytes(data)
        total += len(data)
        entry = {"id": doc_id, "language": source.language, "license": "CC-BY-4.0"}
        sidecars[collection].append(json.dumps(entry))
    for collection, lines in sidecars.items():
        (collection / METADATA_FILE).write_text("\n".join(lines) + "\n", encoding="utf-8")
    return total
