"""Benchmark validation end to end on a synthetic dataset of about 1M paragraph rows.

The dataset repeats the documents of a real build (by default a fresh build of
../shared/corpus) under new doc_ids, written with ``TableWriter`` so shards, row groups and
schemas are those of a real build. Validation runs as ``scripts/validate.py`` in a child
process; the parent samples the RSS and PSS of the whole process tree and reads the peak
RSS of the largest process from ``getrusage(RUSAGE_CHILDREN)``.

With ``--plant`` (the default) it then plants one defect of each kind (model constraint,
expectation suite, cross-table, share, duplicated key, schema) at first, middle and last rows
of a copy of the dataset (untouched shards are hard links, touched shards are rewritten),
validates the copy, timed as well, and checks that each defect is reported by the check it
should trip, under its key. It exits 1 if one is missed.

    uv run --frozen --extra dev python scripts/bench_validate.py [--rows N] [--workers N]
        [--engine local|ge|spark] [--no-plant]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from dispatch_corpus.build.driver import build_dataset
from dispatch_corpus.dataset.writer import ROW_GROUP_ROWS, WRITER_OPTIONS, TableWriter
from dispatch_corpus.models import (
    TABLE_MODELS,
    Document,
    Paragraph,
    ParagraphFlag,
    Role,
    Section,
    SectionLabel,
    paragraph_id,
    section_id,
)
from dispatch_corpus.settings import VALIDATION_ENGINES

TABLE_KEY = {"documents": "doc_id", "paragraphs": "paragraph_id", "sections": "section_id"}

REPO = Path(__file__).resolve().parent.parent
SHARED_CORPUS = REPO / ".." / "shared" / "corpus"
SHARE_DOCUMENTS = 0.03
"""Share of documents whose paragraphs are all flagged starts_lowercase: the suite allows 2%."""


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
            # Every copy alone in its cluster and in train: the synthetic shards are train's.
            update = {"doc_id": new, "cluster_id": new, "split": "train"}
            writers["documents"].write([doc.model_copy(update=update)])
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


@dataclass(frozen=True)
class Defect:
    """A defect planted in the synthetic dataset, and the check that must report it."""

    name: str
    check: str
    keys: frozenset[str]
    """Keys the check may report it under; one suffices (a check keeps only a few samples)."""


Edit = Callable[[pa.Table], pa.Table]


class Planter:
    """Plants defects into a copy of a dataset whose untouched shards are hard links."""

    def __init__(self, clean: Path, planted: Path) -> None:
        self.shards: dict[str, list[tuple[Path, int]]] = {}
        for table in TABLE_MODELS:
            (planted / "data" / table).mkdir(parents=True)
            self.shards[table] = []
            for source in sorted((clean / "data" / table).glob("*.parquet")):
                target = planted / "data" / table / source.name
                try:
                    os.link(source, target)
                except OSError:
                    shutil.copyfile(source, target)
                self.shards[table].append((target, pq.ParquetFile(target).metadata.num_rows))
        self.cells: dict[Path, list[Edit]] = defaultdict(list)
        self.rows_edits: dict[Path, list[Edit]] = defaultdict(list)

    def rows(self, table: str) -> int:
        """Rows of ``table`` over all its shards."""
        return sum(n for _, n in self.shards[table])

    def locate(self, table: str, row: int) -> tuple[Path, int]:
        """Return the shard holding a row of ``table`` and the row in it (negative: from end)."""
        row %= self.rows(table)
        for path, count in self.shards[table]:
            if row < count:
                return path, row
            row -= count
        raise IndexError(row)

    def value(self, table: str, row: int, column: str) -> Any:
        """Return one cell, reading only its column."""
        path, local = self.locate(table, row)
        return pq.read_table(path, columns=[column])[column][local].as_py()

    def cell(self, table: str, row: int, column: str, change: Callable[[Any], Any]) -> None:
        """Replace one cell with ``change(old value)``."""
        path, local = self.locate(table, row)
        self.cells[path].append(lambda t: _set_cell(t, column, local, change))

    def edit(self, table: str, row: int, change: Callable[[pa.Table, int], pa.Table]) -> None:
        """Change the shard holding ``row`` as a whole, after its cell edits."""
        path, local = self.locate(table, row)
        self.rows_edits[path].append(lambda t: change(t, local))

    def write(self) -> None:
        """Rewrite each touched shard, and only those, one at a time."""
        for path in sorted(set(self.cells) | set(self.rows_edits)):
            data = pq.read_table(path)
            # Cell edits first: a dropped or duplicated row would shift the rows they name.
            for change in [*self.cells[path], *self.rows_edits[path]]:
                data = change(data)
            # The path is a hard link to the clean shard: writing through it would damage both.
            path.unlink()
            with pq.ParquetWriter(path, data.schema, **WRITER_OPTIONS) as writer:
                writer.write_table(data, row_group_size=ROW_GROUP_ROWS)


def _set_cell(table: pa.Table, column: str, row: int, change: Callable[[Any], Any]) -> pa.Table:
    field = table.schema.field(column)
    new = pa.array([change(table[column][row].as_py())], type=field.type)
    values = pa.concat_arrays(
        [
            table[column].slice(0, row).combine_chunks(),
            new,
            table[column].slice(row + 1).combine_chunks(),
        ]
    )
    return table.set_column(table.schema.get_field_index(column), field, values)


def _duplicate(table: pa.Table, row: int) -> pa.Table:
    return pa.concat_tables([table.slice(0, row + 1), table.slice(row)])


def _drop(table: pa.Table, row: int) -> pa.Table:
    return pa.concat_tables([table.slice(0, row), table.slice(row + 1)])


def _retype(column: str, kind: pa.DataType) -> Callable[[pa.Table, int], pa.Table]:
    def change(table: pa.Table, _row: int) -> pa.Table:
        field = table.schema.field(column).with_type(kind)
        changed = table.set_column(
            table.schema.get_field_index(column), field, table[column].cast(kind)
        )
        return changed.replace_schema_metadata(table.schema.metadata)

    return change


def _flag_documents(doc_ids: list[str], flag: str) -> Callable[[pa.Table, int], pa.Table]:
    def change(table: pa.Table, _row: int) -> pa.Table:
        field = table.schema.field("flags")
        mask = pc.is_in(table["doc_id"], pa.array(doc_ids, type=table.schema.field("doc_id").type))
        flagged = pc.if_else(mask, pa.scalar([flag], type=field.type), table["flags"])
        return table.set_column(table.schema.get_field_index("flags"), field, flagged)

    return change


def plant(clean: Path, planted: Path) -> list[Defect]:
    """Copy ``clean`` into ``planted`` with one defect of each kind; return the defects.

    The defects sit at the first, middle and last rows of their tables, each in a document
    of its own, so no defect can hide another from a check that reports a row once.
    """
    p = Planter(clean, planted)
    n_par, n_sec, n_doc = p.rows("paragraphs"), p.rows("sections"), p.rows("documents")
    defects: list[Defect] = []

    def planted_at(name: str, check: str, table: str, row: int) -> None:
        key = p.value(table, row, TABLE_KEY[table])
        defects.append(Defect(name, check, frozenset({key})))

    planted_at("negative char_start", "paragraphs.records", "paragraphs", 0)
    p.cell("paragraphs", 0, "char_start", lambda _: -1)
    planted_at("role index out of range", "paragraphs.records", "paragraphs", n_par // 2)
    p.cell("paragraphs", n_par // 2, "role", lambda _: len(Role))
    planted_at("untrimmed paragraph text", "paragraphs.records", "paragraphs", n_par // 5)
    p.cell("paragraphs", n_par // 5, "text", lambda text: f"{text} ")
    p.cell("paragraphs", n_par // 5, "char_end", lambda end: end + 1)
    planted_at("line break in language", "documents.language.no_newline", "documents", -1)
    p.cell("documents", -1, "language", lambda language: f"{language}\n")
    planted_at(
        "section label outside the label set", "sections.label.in_label_set", "sections", n_sec // 4
    )
    p.cell("sections", n_sec // 4, "label", lambda _: len(SectionLabel) + 50)
    shifted = (2 * n_par) // 3
    planted_at(
        "paragraph offsets off the document text",
        "paragraphs.offsets_slice_text",
        "paragraphs",
        shifted,
    )
    p.cell("paragraphs", shifted, "char_start", lambda start: start + 1)
    p.cell("paragraphs", shifted, "char_end", lambda end: end + 1)
    starts = pq.read_table(
        planted / "data" / "sections", columns=["paragraph_start", "paragraph_end"]
    )
    spans = pc.subtract(starts["paragraph_end"], starts["paragraph_start"]).to_numpy()
    section = n_sec // 2 + int((spans[n_sec // 2 :] >= 2).argmax())
    # The tiling check reports the document whose sections do not tile its paragraphs.
    uncovered = frozenset({p.value("sections", section, "doc_id")})
    defects.append(
        Defect("section not covering its paragraphs", "sections.tile_paragraphs", uncovered)
    )
    p.cell("sections", section, "paragraph_end", lambda end: end - 1)
    orphan = p.value("documents", n_doc // 4, "doc_id")
    defects.append(
        Defect(
            "paragraphs without a document",
            "paragraphs.doc_id_in_documents",
            frozenset({paragraph_id(orphan, 0)}),
        )
    )
    p.edit("documents", n_doc // 4, _drop)
    planted_at(
        "duplicated paragraph key", "paragraphs.doc_id+paragraph_index.unique", "paragraphs", -1
    )
    p.edit("paragraphs", -1, _duplicate)
    # Documents before the last two, which hold the language and duplicate defects.
    count = int(n_doc * SHARE_DOCUMENTS) + 1
    doc_ids = pq.read_table(planted / "data" / "documents", columns=["doc_id"])["doc_id"]
    lowercase = doc_ids.slice(n_doc - 2 - count, count).to_pylist()
    defects.append(
        Defect(
            "starts_lowercase in too many documents",
            "documents.share_starts_lowercase.max",
            frozenset(lowercase),
        )
    )
    for shard in range(len(p.shards["paragraphs"])):
        first = sum(n for _, n in p.shards["paragraphs"][:shard])
        p.edit(
            "paragraphs", first, _flag_documents(lowercase, ParagraphFlag.STARTS_LOWERCASE.value)
        )
    # A column no other planted defect's check reads: a wrong type stops the checks of its column.
    retyped, _ = p.locate("documents", 0)
    wrong_type = frozenset({f"{retyped.name}: n_sections"})
    defects.append(Defect("a column of the wrong type", "documents.schema", wrong_type))
    p.edit("documents", 0, _retype("n_sections", pa.int64()))
    p.write()
    return defects


def reported(defect: Defect, results: dict[str, Any]) -> bool:
    """Whether the failed check ``defect.check`` names one of the defect's keys."""
    for check in results["checks"]:
        if check["check"] != defect.check or check["success"]:
            continue
        keys = {str(s).split(": ")[0].split(" ")[0] for s in check["samples"]}
        for failure in check["details"].get("failures", []):
            keys.add(str(failure.get("row")))
            keys.add(f"{failure.get('shard')}: {failure.get('column')}")
        return bool(keys & defect.keys)
    return False


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
    # Children's CPU accumulates over runs (and any build workers): count this run's only.
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
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
        "cpu_seconds": usage.ru_utime + usage.ru_stime - before.ru_utime - before.ru_stime,
    }


def summarise(label: str, rows: dict[str, int], result: dict[str, float]) -> None:
    """Print the exit code, wall and CPU time, rows/s and peak memory of one validation."""
    print(f"{label}: exit {result['exit']:.0f}, {result['seconds']:.1f} s end to end")
    print(f"CPU time of the validation processes: {result['cpu_seconds']:.1f} s")
    print(f"paragraph rows/s: {rows['paragraphs'] / result['seconds']:,.0f}")
    print(f"all rows/s:       {sum(rows.values()) / result['seconds']:,.0f}")
    print(
        f"peak memory: tree RSS {result['tree_rss_mb']:,.0f} MB, "
        f"tree PSS {result['tree_pss_mb']:,.0f} MB, "
        f"largest process RSS so far {result['largest_process_rss_mb']:,.0f} MB"
    )


def check_planted(clean: Path, work: Path, workers: int | None, engine: str) -> bool:
    """Plant the defects in a copy of ``clean``, validate it and print what was caught."""
    started = time.perf_counter()
    defects = plant(clean, work / "planted")
    print(f"planted {len(defects)} defects in {time.perf_counter() - started:.1f} s")
    result = run_validation(work / "planted", work / "planted-report", workers, engine)
    rows = {
        t: sum(
            pq.ParquetFile(f).metadata.num_rows for f in (work / "planted" / "data" / t).iterdir()
        )
        for t in TABLE_MODELS
    }
    summarise("planted", rows, result)
    results = json.loads((work / "planted-report" / "results.json").read_text(encoding="utf-8"))
    caught = [reported(defect, results) for defect in defects]
    width = max(len(d.name) for d in defects)
    check_width = max(len(d.check) for d in defects)
    print(f"{'defect':<{width}} | {'expected check':<{check_width}} | caught")
    for defect, found in zip(defects, caught, strict=True):
        print(
            f"{defect.name:<{width}} | {defect.check:<{check_width}} | {'yes' if found else 'no'}"
        )
    print(f"caught {sum(caught)} of {len(defects)} planted defects")
    return all(caught)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="paragraph rows")
    parser.add_argument("--source", type=Path, help="dataset to repeat (default: build shared)")
    parser.add_argument("--dataset", type=Path, help="synthetic dataset folder (kept; reused)")
    parser.add_argument("--workers", type=int, help="validation workers (default: cores)")
    parser.add_argument("--engine", choices=VALIDATION_ENGINES, default="local")
    parser.add_argument(
        "--plant",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="then plant defects in a copy and check each is caught (default: on)",
    )
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
        print(f"rows: {rows} (shards: {shards}), cores: {os.cpu_count()}")
        summarise("clean", rows, result)
        all_caught = not args.plant or check_planted(dataset, work, args.workers, args.engine)
    return 0 if result["exit"] == 0 and all_caught else 1


if __name__ == "__main__":
    sys.exit(main())
