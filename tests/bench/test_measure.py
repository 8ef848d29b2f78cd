"""Benchmark measurements: the I/O floor writes every file; memory sampling sees the tree."""

from __future__ import annotations

import multiprocessing
import multiprocessing.synchronize
import time
from pathlib import Path

import pyarrow.parquet as pq
from faults import hold_memory

from dispatch_corpus.bench.measure import PeakTreeMemory, measure_floor


def test_floor_writes_one_row_per_dispatch(tmp_path: Path) -> None:
    for i in range(3):
        folder = tmp_path / "corpus" / "c"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"d{i}.txt").write_text(f"text {i}", encoding="utf-8")
    seconds = measure_floor(tmp_path / "corpus", tmp_path / "floor.parquet")
    assert seconds > 0
    assert pq.read_table(tmp_path / "floor.parquet").column("text").to_pylist() == [
        "text 0",
        "text 1",
        "text 2",
    ]


def test_peak_memory_includes_children() -> None:
    context = multiprocessing.get_context("spawn")
    ready, done = context.Event(), context.Event()
    with PeakTreeMemory() as alone:
        pass
    with PeakTreeMemory() as memory:
        child = context.Process(target=hold_memory, args=(200, ready, done))
        child.start()
        # A spawned child imports Python first: wait until it holds the memory (however busy
        # the machine), then long enough for the sampler to see it.
        assert ready.wait(60)
        time.sleep(1.0)
        done.set()
        child.join()
    assert memory.peak_bytes > alone.peak_bytes + 150 * 2**20
