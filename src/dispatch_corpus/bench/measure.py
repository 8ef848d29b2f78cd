"""Measurements: the I/O floor and the peak memory of a process tree (I/O)."""

from __future__ import annotations

import os
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
