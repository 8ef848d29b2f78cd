"""Measurements: the I/O floor, the plain baseline, CPU and peak memory of a process tree (I/O)."""

from __future__ import annotations

import os
import resource
import threading
import time
from pathlib import Path
from types import TracebackType

import pyarrow as pa
import pyarrow.parquet as pq

from dispatch_corpus.dataset.corpus import DISPATCH_SUFFIX
from dispatch_corpus.dataset.writer import ROW_GROUP_ROWS, WRITER_OPTIONS

SAMPLE_SECONDS = 0.05


def measure_floor(corpus_dir: Path, out_file: Path) -> float:
    """Time the I/O floor: read every raw file and write its bytes as one Parquet column.

    Uses the build's writer options and row-group size, so the only difference from a build
    is everything the build does in between.

    Args:
        corpus_dir: Corpus folder of ``<collection>/<doc_id>.txt`` files.
        out_file: Parquet file to write.

    Returns:
        Seconds taken.
    """
    started = time.perf_counter()
    schema = pa.schema([pa.field("text", pa.string())])
    with pq.ParquetWriter(out_file, schema, **WRITER_OPTIONS) as writer:
        batch: list[str] = []
        for path in sorted(corpus_dir.glob(f"*/*{DISPATCH_SUFFIX}")):
            batch.append(path.read_bytes().decode("utf-8", errors="replace"))
            if len(batch) == ROW_GROUP_ROWS:
                writer.write_table(pa.table({"text": batch}, schema=schema))
                batch = []
        if batch:
            writer.write_table(pa.table({"text": batch}, schema=schema))
    return time.perf_counter() - started


def tree_cpu_seconds() -> float:
    """Return the CPU seconds (user and system) of this process and its waited-for children.

    A child's CPU is counted once it has ended and been waited for, as a worker pool's are
    when the pool shuts down: the difference of two readings around a build is the CPU of
    the whole build, its worker processes included.
    """
    total = 0.0
    for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN):
        usage = resource.getrusage(who)
        total += usage.ru_utime + usage.ru_stime
    return total


def measure_baseline(corpus_dir: Path, out_dir: Path) -> float:
    """Run the plain baseline and return the CPU seconds it took.

    The baseline does what any corpus-to-Parquet script does, and nothing of what the build
    adds: read every raw file, decode it, split it on lines, and write a ``documents`` table
    (id, text) and a ``paragraphs`` table (id, index, text), with the build's writer options
    and row-group size. The build's CPU over this one's is the price of everything else.

    Args:
        corpus_dir: Corpus folder of ``<collection>/<doc_id>.txt`` files.
        out_dir: Folder to write ``documents.parquet`` and ``paragraphs.parquet`` into.

    Returns:
        CPU seconds of this process (the baseline runs in it alone).
    """
    started = time.process_time()
    out_dir.mkdir(parents=True, exist_ok=True)
    documents = pa.schema([pa.field("doc_id", pa.string()), pa.field("text", pa.string())])
    paragraphs = pa.schema(
        [
            pa.field("doc_id", pa.string()),
            pa.field("paragraph_index", pa.int32()),
            pa.field("text", pa.string()),
        ]
    )
    with (
        pq.ParquetWriter(out_dir / "documents.parquet", documents, **WRITER_OPTIONS) as docs,
        pq.ParquetWriter(out_dir / "paragraphs.parquet", paragraphs, **WRITER_OPTIONS) as paras,
    ):
        doc_rows = _Rows(docs, documents)
        para_rows = _Rows(paras, paragraphs)
        for path in sorted(corpus_dir.glob(f"*/*{DISPATCH_SUFFIX}")):
            text = path.read_bytes().decode("utf-8", errors="replace")
            lines = [line.strip() for line in text.splitlines()]
            kept = [line for line in lines if line]
            doc_rows.add(path.stem, "\n\n".join(kept))
            for index, line in enumerate(kept):
                para_rows.add(path.stem, index, line)
        doc_rows.flush()
        para_rows.flush()
    return time.process_time() - started


class _Rows:
    """Rows of one baseline table, written a row group at a time."""

    def __init__(self, writer: pq.ParquetWriter, schema: pa.Schema) -> None:
        self._writer = writer
        self._schema = schema
        self._rows: list[tuple[object, ...]] = []

    def add(self, *row: object) -> None:
        self._rows.append(row)
        if len(self._rows) == ROW_GROUP_ROWS:
            self.flush()

    def flush(self) -> None:
        if not self._rows:
            return
        columns = [list(column) for column in zip(*self._rows, strict=True)]
        self._writer.write_table(pa.Table.from_arrays(columns, schema=self._schema))
        self._rows = []


def _tree_rss_bytes(pid: int) -> int:
    total = 0
    stack = [pid]
    while stack:
        current = stack.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text()
            # Children are listed per thread: a child started by any thread (a pool's) is found.
            for task in Path(f"/proc/{current}/task").iterdir():
                children = (task / "children").read_text().split()
                stack.extend(int(child) for child in children)
        # The process may have ended between the listing and the read.
        except OSError:
            continue
        for line in status.splitlines():
            # VmRSS is given in kB.
            if line.startswith("VmRSS:"):
                total += int(line.split()[1]) * 1024
                break
    return total


class PeakTreeMemory:
    """Context manager sampling the summed RSS of this process and its descendants."""

    def __init__(self) -> None:
        self.peak_bytes = 0
        self.sampler_cpu_s = 0.0
        """CPU seconds of the sampling thread itself, to take out of a CPU reading."""
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def __enter__(self) -> PeakTreeMemory:
        self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._stop.set()
        self._thread.join()

    def _sample(self) -> None:
        pid = os.getpid()
        while not self._stop.is_set():
            self.peak_bytes = max(self.peak_bytes, _tree_rss_bytes(pid))
            self._stop.wait(SAMPLE_SECONDS)
        # One last sample after the stop: a run shorter than one period is measured too.
        self.peak_bytes = max(self.peak_bytes, _tree_rss_bytes(pid))
        self.sampler_cpu_s = time.thread_time()
