"""Benchmark validation end to end on a synthetic dataset of about 1M paragraph rows.

The dataset repeats the documents of a real build (by default a fresh build of
../shared/corpus) under new doc_ids, written with ``TableWriter`` so shards, row groups and
schemas are those of a real build. Validation runs as ``scripts/validate.py`` in a child
process; the parent samples the RSS and PSS of the whole process tree and reads the peak
RSS of the largest process from ``getrusage(RUSAGE_CHILDREN)``.

    uv run --frozen --extra dev python scripts/bench_validate.py [--rows N] [--workers N]
        [--engine local|ge|spark]
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path

import pyarrow.parquet as pq

from dispatch_corpus.build.driver import build_dataset
from dispatch_corpus.dataset.writer import TableWriter
from dispatch_corpus.models import (
    TABLE_MODELS,
    Document,
    Paragraph,
    Role,
    Section,
    SectionLabel,
    paragraph_id,
    section_id,
)
from dispatch_corpus.settings import VALIDATION_ENGINES

REPO = Path(__file__).resolve().parent.parent
SHARED_CORPUS = REPO / ".." / "shared" / "corpus"


def load_source(dataset: Path) -> list[tuple[Document, list[Paragraph], list[Section]]]:
    data = {t: pq.read_table(dataset / "data" / t).to_pylist() for t in TABLE_MODELS}
    roles, labels = list(Role), list(SectionLabel)
    paragraphs: dict[str, list[Paragraph]] = defaultdict(list)
    for row in data["paragraphs"]:
        paragraphs[row["doc_id"]].append(Paragraph(**{**row, "role": roles[row["role"]]}))
    sections: dict[str, list[Section]] = defaultdict(list)
    for row in data["sections"]:
        sections[row["doc_id"]].append(Section(**{**row, "label": labels[row["label"]]}))
    return [
        (Document(**row), paragraphs[row["doc_id"]], sections[row["doc_id"]])
        for row in data["documents"]
    ]


def write_synthetic(source: Path, out: Path, target: int) -> int:
    """Write at least ``target`` paragraph rows by repeating ``source`` under new doc_ids."""
    records = load_source(source)
    writers = {t: TableWriter(out, t) for t in TABLE_MODELS}
    written, copy = 0, 0
    while written < target:
        for doc, paras, secs in records:
            new = f"r{copy:04d}.{doc.doc_id}"
            writers["documents"].write([doc.model_copy(update={"doc_id": new})])
            writers["paragraphs"].write(
                [
                    p.model_copy(
                        update={"doc_id": new, "paragraph_id": paragraph_id(new, p.paragraph_index)}
                    )
                    for p in paras
                ]
            )
            writers["sections"].write(
                [
                    s.model_copy(
                        update={"doc_id": new, "section_id": section_id(new, s.section_index)}
                    )
                    for s in secs
                ]
            )
            written += len(paras)
            if written >= target:
                break
        copy += 1
    for writer in writers.values():
        writer.close()
    return written


def _tree(pid: int) -> list[int]:
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        try:
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except OSError:
            continue
        todo += [int(c) for c in children]
    return found


def _memory_kb(pid: int) -> tuple[int, int]:
    rss = pss = 0
    for member in _tree(pid):
        try:
            for line in Path(f"/proc/{member}/smaps_rollup").read_text().splitlines():
                if line.startswith("Rss:"):
                    rss += int(line.split()[1])
                elif line.startswith("Pss:"):
                    pss += int(line.split()[1])
        except OSError:
            continue
    return rss, pss


def run_validation(
    dataset: Path, report_dir: Path, workers: int | None, engine: str
) -> dict[str, float]:
    command = [sys.executable, str(REPO / "scripts" / "validate.py"), str(dataset)]
    command += ["--report-dir", str(report_dir), "--engine", engine]
    if workers:
        command += ["--workers", str(workers)]
    peak = {"rss": 0, "pss": 0}
    started = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            rss, pss = _memory_kb(child.pid)
            peak["rss"], peak["pss"] = max(peak["rss"], rss), max(peak["pss"], pss)
            time.sleep(0.05)

    sampler = threading.Thread(target=sample)
    sampler.start()
    output, _ = child.communicate()
    seconds = time.perf_counter() - started
    done.set()
    sampler.join()
    print(output)
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {
        "exit": float(child.returncode),
        "seconds": seconds,
        "tree_rss_mb": peak["rss"] / 1024,
        "tree_pss_mb": peak["pss"] / 1024,
        "largest_process_rss_mb": usage.ru_maxrss / 1024,
        "cpu_seconds": usage.ru_utime + usage.ru_stime,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="paragraph rows")
    parser.add_argument("--source", type=Path, help="dataset to repeat (default: build shared)")
    parser.add_argument("--dataset", type=Path, help="synthetic dataset folder (kept; reused)")
    parser.add_argument("--workers", type=int, help="validation workers (default: cores)")
    parser.add_argument("--engine", choices=VALIDATION_ENGINES, default="local")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-validate-") as tmp:
        work = Path(tmp)
        dataset = args.dataset
        if dataset is None or not dataset.is_dir():
            source = args.source
            if source is None:
                source = work / "source"
                build_dataset(SHARED_CORPUS, source)
            dataset = args.dataset or work / "synthetic"
            started = time.perf_counter()
            written = write_synthetic(source, dataset, args.rows)
            print(f"wrote {written:,} paragraph rows in {time.perf_counter() - started:.0f} s")
        rows = {
            t: sum(pq.ParquetFile(f).metadata.num_rows for f in (dataset / "data" / t).iterdir())
            for t in TABLE_MODELS
        }
        shards = {t: len(list((dataset / "data" / t).glob("*.parquet"))) for t in TABLE_MODELS}
        result = run_validation(dataset, work / "report", args.workers, args.engine)
    total = sum(rows.values())
    print(f"rows: {rows} (shards: {shards}), cores: {os.cpu_count()}")
    print(f"exit {result['exit']:.0f}, {result['seconds']:.1f} s end to end")
    print(f"CPU time of the validation processes: {result['cpu_seconds']:.1f} s")
    print(f"paragraph rows/s: {rows['paragraphs'] / result['seconds']:,.0f}")
    print(f"all rows/s:       {total / result['seconds']:,.0f}")
    print(
        f"peak memory: tree RSS {result['tree_rss_mb']:,.0f} MB, "
        f"tree PSS {result['tree_pss_mb']:,.0f} MB, "
        f"largest process RSS {result['largest_process_rss_mb']:,.0f} MB"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
