"""Build a dataset folder from a corpus folder: scan, process, write, report (I/O layer)."""

from __future__ import annotations

import importlib.metadata
import json
import shutil
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

from dispatch_corpus.build.chunks import ChunkResult
from dispatch_corpus.build.local import run_chunks
from dispatch_corpus.build.routing import CorpusSketch, StagedRows, route_tables
from dispatch_corpus.build.spark import run_spark_chunks
from dispatch_corpus.core.neardup import recorded_settings
from dispatch_corpus.dataset.atomic import Staging
from dispatch_corpus.dataset.buildrecord import write_build_record
from dispatch_corpus.dataset.card import render_build_card
from dispatch_corpus.dataset.corpus import CorpusScan, scan_corpus
from dispatch_corpus.dataset.folders import check_build_out
from dispatch_corpus.dataset.layout import CARD_FILE, QUARANTINE_REPORT, STAGE_DIR
from dispatch_corpus.dataset.pins import NO_PINS, Pins
from dispatch_corpus.dataset.writer import Shard
from dispatch_corpus.errors import CannotRunError
from dispatch_corpus.models import (
    QuarantineReason,
    QuarantineRecord,
    Stage,
)
from dispatch_corpus.settings import DEFAULT_BUILD, BuildSettings
from dispatch_corpus.utils.numbers import count, seconds


@dataclass
class BuildSummary:
    """What a build did, for the one-line summary and the reports."""

    out_dir: Path
    inputs: int = 0
    accepted: int = 0
    paragraphs: int = 0
    sections: int = 0
    seconds: float = 0.0
    quarantine_reasons: Counter[str] = field(default_factory=Counter)
    notes: list[str] = field(default_factory=list)
    shards: dict[str, list[Shard]] = field(default_factory=dict)
    clusters: Counter[int] = field(default_factory=Counter)
    """Near-duplicate clusters of 2 documents or more, by size."""

    @property
    def quarantined(self) -> int:
        """Number of inputs quarantined."""
        return sum(self.quarantine_reasons.values())

    def line(self) -> str:
        """Return the one-line summary of the build."""
        reasons = ", ".join(f"{k}={count(v)}" for k, v in sorted(self.quarantine_reasons.items()))
        detail = f" ({reasons})" if reasons else ""
        return (
            f"accepted {count(self.accepted)}, quarantined {count(self.quarantined)}{detail}, "
            f"paragraphs {count(self.paragraphs)}, sections {count(self.sections)}, "
            f"{seconds(self.seconds)}"
        )


class BuildError(CannotRunError):
    """The build broke an invariant it checks on itself (never expected)."""


def build_dataset(
    corpus_dir: Path,
    out_dir: Path,
    settings: BuildSettings = DEFAULT_BUILD,
    *,
    on_progress: Callable[[int], None] | None = None,
    on_total: Callable[[int], None] | None = None,
    pins: Pins = NO_PINS,
) -> BuildSummary:
    """Build ``out_dir`` from the dispatches of ``corpus_dir``, replacing it atomically.

    Documents stream through the pure core in bounded chunks (in ``workers`` processes) and
    their rows are written in corpus order, so the Parquet bytes do not depend on
    ``workers``. The dataset is written into a staging folder beside ``out_dir`` and swapped
    into place at the end, with a ``BUILD.json`` recording its files: a failed or
    interrupted build leaves any previous ``out_dir`` as it was and no staging folder.
    ``out_dir`` must be new, empty, or an earlier build (``folders.check_build_out``).

    Args:
        corpus_dir: Folder of ``<collection>/<doc_id>.txt`` dispatches.
        out_dir: Dataset folder to create or replace.
        settings: Size limit, labeler thresholds, engine (``local`` worker processes or Spark
            ``mapInArrow``: both write the same bytes), workers and Spark master; those that
            decide the output (``BuildSettings.recorded``) are recorded in ``BUILD.json``.
        on_progress: Called with the number of inputs done after each chunk.
        on_total: Called once with the number of inputs found.
        pins: Splits of an earlier release (``dataset.pins.read_pins``): a cluster holding a
            pinned document keeps its split.

    Returns:
        The build summary.

    Raises:
        OutputPathError: When ``out_dir`` is refused (nothing is written).
        CorpusError: When the corpus folder cannot be read.
        BuildError: When ``accepted + quarantined != inputs``.
    """
    check_build_out(out_dir, corpus_dir)
    started = time.perf_counter()
    # Scanned before any staging folder exists: a corpus without dispatches stops the build
    # with nothing written.
    scan = scan_corpus(corpus_dir)
    summary = BuildSummary(out_dir=out_dir, inputs=scan.n_inputs, notes=list(scan.notes))
    if pins.note is not None:
        summary.notes.append(pins.note)
    if on_total is not None:
        on_total(scan.n_inputs)
    chunks = (
        run_spark_chunks(scan, settings)
        if settings.engine == "spark"
        else run_chunks(scan, settings)
    )
    # Whatever ends the build (an error in a worker, a full disk, Spark failing to start,
    # Ctrl-C), leaving the block removes the staging folder.
    with Staging(out_dir) as staging:
        _write_dataset(staging.path, scan, chunks, summary, pins, on_progress)
        # Last: the record holds the sha256 of every file written before it.
        recorded = {
            **settings.recorded(),
            "neardup": {**recorded_settings(), "rensa": _version("rensa")},
            "splits_from": pins.recorded(),
        }
        write_build_record(staging.path, corpus_dir, recorded)
        # The folder may have changed during the build: check it again before replacing it.
        check_build_out(out_dir, corpus_dir)
        staging.publish(replace=True)
    summary.seconds = time.perf_counter() - started
    return summary


def _write_dataset(
    root: Path,
    scan: CorpusScan,
    chunks: Iterator[ChunkResult],
    summary: BuildSummary,
    pins: Pins,
    on_progress: Callable[[int], None] | None,
) -> None:
    """Write the tables, the quarantine report and the card of a build into ``root``.

    Two passes over the rows: the chunks are staged (Arrow IPC, in corpus order) while their
    signatures and paragraph keys are collected; then clusters, splits and repeated paragraphs
    are settled and the staged rows are routed to each split's shards.
    """
    quarantine: list[QuarantineRecord] = list(scan.refused)
    first_with_text: dict[str, str] = {}
    # The scan's refusals are inputs too (on_total counted them): they are done already.
    if on_progress is not None and scan.refused:
        on_progress(len(scan.refused))
    stage_dir = root / STAGE_DIR
    stage_dir.mkdir()
    corpus = CorpusSketch()
    with StagedRows(stage_dir) as stage:
        for chunk in chunks:
            quarantine.extend(chunk.quarantine)
            # Here, not in the workers: a text's first copy may sit in another chunk, and only
            # this loop sees every chunk, in order.
            duplicates = _take_duplicates(chunk, first_with_text, quarantine)
            tables = chunk.tables
            # Filtered by doc_id in every table: a duplicate's paragraphs and sections go too.
            if duplicates:
                keep = {
                    table: pc.invert(pc.is_in(rows["doc_id"], value_set=pa.array(duplicates)))
                    for table, rows in tables.items()
                }
                tables = {table: rows.filter(keep[table]) for table, rows in tables.items()}
            dropped = set(duplicates)
            kept = [doc for doc in chunk.accepted if doc.doc_id not in dropped]
            corpus.add(kept)
            stage.write(tables, kept)
            if on_progress is not None:
                on_progress(chunk.inputs)
    settled = corpus.settle(pins)
    summary.clusters = settled.cluster_sizes
    summary.shards = route_tables(root, stage_dir, settled)
    shutil.rmtree(stage_dir)
    summary.accepted = len(corpus.doc_ids)
    summary.paragraphs = sum(s.rows for s in summary.shards["paragraphs"])
    summary.sections = sum(s.rows for s in summary.shards["sections"])
    summary.quarantine_reasons.update(q.reason_code.value for q in quarantine)
    if summary.accepted + summary.quarantined != summary.inputs:
        raise BuildError(
            f"accepted {summary.accepted} + quarantined {summary.quarantined} "
            f"!= inputs {summary.inputs}"
        )
    _write_quarantine(root / QUARANTINE_REPORT, quarantine)
    counts = (
        f"Inputs {count(summary.inputs)}: accepted {count(summary.accepted)}, "
        f"quarantined {count(summary.quarantined)}."
    )
    card = render_build_card(summary.shards, counts)
    (root / CARD_FILE).write_text(card, encoding="utf-8")


def _take_duplicates(
    chunk: ChunkResult, first_with_text: dict[str, str], quarantine: list[QuarantineRecord]
) -> list[str]:
    """Quarantine documents whose text repeats an earlier document's; return their ids."""
    duplicates = []
    # Chunks come in corpus order (by doc_id): the first id seen with a text is the earliest,
    # whichever engine or number of workers ran.
    for doc in chunk.accepted:
        kept = first_with_text.setdefault(doc.text_sha256, doc.doc_id)
        if kept == doc.doc_id:
            continue
        duplicates.append(doc.doc_id)
        quarantine.append(
            QuarantineRecord(
                source_path=doc.source_path,
                doc_id=doc.doc_id,
                stage=Stage.DEDUPLICATE,
                reason_code=QuarantineReason.DUPLICATE_TEXT,
                message=f"same text as {kept!r}",
                raw_sha256=doc.raw_sha256,
            )
        )
    return duplicates


def _write_quarantine(path: Path, rows: list[QuarantineRecord]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as handle:
        for row in sorted(rows, key=lambda q: q.source_path):
            handle.write(json.dumps(row.model_dump(mode="json"), ensure_ascii=False) + "\n")


def _version(package: str) -> str:
    return importlib.metadata.version(package)
