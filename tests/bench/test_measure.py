"""Benchmark measurements: the I/O floor writes every file; memory sampling sees the tree."""

from __future__ import annotations

import multiprocessing
import multiprocessing.synchronize
import subprocess
import sys
import time
from pathlib import Path

import pyarrow.parquet as pq
from faults import hold_memory

from dispatch_corpus.bench.measure import (
    PeakTreeMemory,
    measure_baseline,
    measure_floor,
    tree_cpu_seconds,
)


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


def test_the_baseline_writes_documents_and_their_lines_as_paragraphs(tmp_path: Path) -> None:
    folder = tmp_path / "corpus" / "c"
    folder.mkdir(parents=True)
    (folder / "a.txt").write_text("Headline\n\n  First line.  \nSecond line.\n", encoding="utf-8")
    (folder / "b.txt").write_bytes(b"Only \xff line")
    cpu_s = measure_baseline(tmp_path / "corpus", tmp_path / "baseline")
    assert cpu_s > 0
    documents = pq.read_table(tmp_path / "baseline" / "documents.parquet").to_pylist()
    assert documents == [
        {"doc_id": "a", "text": "Headline\n\nFirst line.\n\nSecond line."},
        {"doc_id": "b", "text": "Only \ufffd line"},
    ]
    paragraphs = pq.read_table(tmp_path / "baseline" / "paragraphs.parquet").to_pylist()
    assert [(p["doc_id"], p["paragraph_index"], p["text"]) for p in paragraphs] == [
        ("a", 0, "Headline"),
        ("a", 1, "First line."),
        ("a", 2, "Second line."),
        ("b", 0, "Only \ufffd line"),
    ]


def test_tree_cpu_counts_a_child_once_it_has_ended() -> None:
    burn = "import time\nend = time.process_time() + 1.0\nwhile time.process_time() < end: pass"
    before = tree_cpu_seconds()
    subprocess.run([sys.executable, "-c", burn], check=True)
    # The child's second of CPU, not this process's waiting (which takes almost none).
    assert tree_cpu_seconds() - before >= 0.9


def test_the_sampler_reports_its_own_cpu() -> None:
    with PeakTreeMemory() as memory:
        time.sleep(0.2)
    assert 0 < memory.sampler_cpu_s < 0.2
