"""Build a dataset folder from a corpus folder: scan, process, write, report (I/O layer)."""

from __future__ import annotations

import json
import os
import shutil
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from dispatch_corpus.card import render_build_card
from dispatch_corpus.corpus import DEFAULT_MAX_BYTES, read_dispatches, scan_corpus
from dispatch_corpus.models import TABLE_MODELS, DocumentRecord, QuarantineRecord
from dispatch_corpus.pipeline import process_dispatch
from dispatch_corpus.tables import Shard, TableWriter

QUARANTINE_REPORT = "reports/quarantine.jsonl"


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

    @property
    def quarantined(self) -> int:
        """Number of inputs quarantined."""
        return sum(self.quarantine_reasons.values())

    def line(self) -> str:
        """Return the one-line summary of the build."""
        reasons = ", ".join(f"{k}={v}" for k, v in sorted(self.quarantine_reasons.items()))
        detail = f" ({reasons})" if reasons else ""
        return (
            f"accepted {self.accepted}, quarantined {self.quarantined}{detail}, "
            f"paragraphs {self.paragraphs}, sections {self.sections}, "
            f"{self.seconds:.1f} s"
        )


class BuildError(RuntimeError):
    """The build broke an invariant it checks on itself (never expected)."""


def build_dataset(
    corpus_dir: Path,
    out_dir: Path,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    on_progress: Callable[[int], None] | None = None,
    on_total: Callable[[int], None] | None = None,
) -> BuildSummary:
    """Build ``out_dir`` from the dispatches of ``corpus_dir``, replacing it atomically.

    The dataset is written into a temporary sibling folder and renamed into place at the
    end, so an interrupted build leaves any previous ``out_dir`` as it was.

    Args:
        corpus_dir: Folder of ``<collection>/<doc_id>.txt`` dispatches.
        out_dir: Dataset folder to create or replace.
        max_bytes: Inputs above this size are quarantined unread.
        on_progress: Called with 1 after each input is processed.
        on_total: Called once with the number of inputs found.

    Returns:
        The build summary.

    Raises:
        CorpusError: When the corpus folder cannot be read.
        BuildError: When ``accepted + quarantined != inputs``.
    """
    started = time.perf_counter()
    scan = scan_corpus(corpus_dir)
    summary = BuildSummary(out_dir=out_dir, inputs=scan.n_inputs, notes=list(scan.notes))
    if on_total is not None:
        on_total(scan.n_inputs)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = out_dir.parent / f".{out_dir.name}.tmp-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    writers = {table: TableWriter(staging, table) for table in TABLE_MODELS}
    quarantine: list[QuarantineRecord] = list(scan.refused)
    for item in read_dispatches(scan, max_bytes):
        result = item if isinstance(item, QuarantineRecord) else process_dispatch(item)
        if isinstance(result, DocumentRecord):
            writers["documents"].write([result.document])
            writers["paragraphs"].write(result.paragraphs)
            writers["sections"].write(result.sections)
            summary.accepted += 1
            summary.paragraphs += len(result.paragraphs)
            summary.sections += len(result.sections)
        else:
            quarantine.append(result)
        if on_progress is not None:
            on_progress(1)
    summary.shards = {table: writer.close() for table, writer in writers.items()}
    summary.quarantine_reasons.update(q.reason_code.value for q in quarantine)
    if summary.accepted + summary.quarantined != summary.inputs:
        raise BuildError(
            f"accepted {summary.accepted} + quarantined {summary.quarantined} "
            f"!= inputs {summary.inputs}"
        )
    _write_quarantine(staging / QUARANTINE_REPORT, quarantine)
    summary.seconds = time.perf_counter() - started
    counts = (
        f"Inputs {summary.inputs}: accepted {summary.accepted}, quarantined {summary.quarantined}."
    )
    card = render_build_card(summary.shards, counts)
    (staging / "README.md").write_text(card, encoding="utf-8")
    replace_atomically(staging, out_dir)
    return summary


def _write_quarantine(path: Path, rows: list[QuarantineRecord]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as handle:
        for row in sorted(rows, key=lambda q: q.source_path):
            handle.write(json.dumps(row.model_dump(mode="json"), ensure_ascii=False) + "\n")


def replace_atomically(staging: Path, target: Path) -> None:
    """Move a finished ``staging`` folder to ``target``, replacing any previous one.

    Args:
        staging: A complete folder, sibling of ``target``.
        target: The final location.
    """
    previous = target.parent / f".{target.name}.old-{os.getpid()}"
    if target.exists():
        target.rename(previous)
    staging.rename(target)
    shutil.rmtree(previous, ignore_errors=True)
