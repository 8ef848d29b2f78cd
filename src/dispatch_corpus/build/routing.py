"""Staged rows, the corpus's clusters and splits, and the rows routed to each split (I/O layer).

A build cannot write a row before its document's split is known, and a split depends on every
document (a near-duplicate may come last). So the driver stages each chunk's rows as Arrow IPC,
in corpus order, while ``CorpusSketch`` keeps each document's signature and paragraph keys;
``CorpusSketch.settle`` then finds clusters, splits and repeated paragraphs, and
``route_tables`` reads the staged rows back and writes each to its split's shards.
"""

from __future__ import annotations

from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pyarrow as pa

from dispatch_corpus.build.chunks import AcceptedDocument
from dispatch_corpus.core.neardup import (
    NUM_PERM,
    REPEATED_TEXT_CLUSTERS,
    assign_splits,
    find_clusters,
)
from dispatch_corpus.dataset.layout import SPLITS
from dispatch_corpus.dataset.pins import Pins
from dispatch_corpus.dataset.writer import Shard, TableWriter
from dispatch_corpus.models import TABLE_MODELS, ParagraphFlag, Split

ROUTING_THREADS = 2
"""Tables routed at once: one per core of the 2-core machines it was measured on."""
_KEY_COLUMN = "paragraph_key"
"""Staged beside the paragraph rows (and dropped when routed): what repeated_text counts."""


class StagedRows:
    """Append each chunk's rows to one Arrow IPC file per table, in corpus order."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._writers: dict[str, pa.ipc.RecordBatchFileWriter] = {}

    def __enter__(self) -> StagedRows:
        return self

    def __exit__(self, *exc: object) -> None:
        for writer in self._writers.values():
            writer.close()

    def write(self, tables: dict[str, pa.Table], kept: list[AcceptedDocument]) -> None:
        """Append a chunk's rows, the paragraphs with their documents' paragraph keys.

        Args:
            tables: The chunk's kept rows, by table.
            kept: The chunk's kept documents, in the order of their rows.
        """
        for table, rows in tables.items():
            if table == "paragraphs":
                keys = np.concatenate([doc.paragraph_keys for doc in kept] or [_NO_KEYS])
                rows = rows.append_column(_KEY_COLUMN, pa.array(keys, pa.uint64()))
            if table not in self._writers:
                self._writers[table] = pa.ipc.new_file(self.folder / f"{table}.arrow", rows.schema)
            self._writers[table].write_table(rows)


_NO_KEYS = np.zeros(0, np.uint64)


@dataclass(frozen=True)
class Settled:
    """Each accepted document's cluster and split, and the repeated paragraph keys."""

    cluster_ids: list[str]
    split_codes: npt.NDArray[np.int8]
    """Index into ``SPLITS`` of each document's split, in corpus order."""
    paragraph_counts: npt.NDArray[np.int64]
    section_counts: npt.NDArray[np.int64]
    repeated_keys: npt.NDArray[np.uint64]
    """Paragraph keys of ``repeated_text``, sorted (``_flag_repeated`` searches them)."""
    cluster_sizes: Counter[int]
    """Number of clusters of each size (2 and more)."""


class CorpusSketch:
    """What the driver keeps of every accepted document: small, fixed-size summaries."""

    def __init__(self) -> None:
        self.doc_ids: list[str] = []
        self._signatures: list[npt.NDArray[np.uint32]] = []
        self._usable: list[bool] = []
        self._keys: list[npt.NDArray[np.uint64]] = []
        self._paragraphs: list[int] = []
        self._sections: list[int] = []

    def add(self, docs: list[AcceptedDocument]) -> None:
        """Keep the signature, paragraph keys and row counts of each document, in order."""
        for doc in docs:
            self.doc_ids.append(doc.doc_id)
            self._usable.append(doc.usable)
            self._signatures.append(doc.signature)
            # Repeats inside one document collapse with the (key, cluster) pairs of _repeated_keys.
            self._keys.append(doc.paragraph_keys)
            self._paragraphs.append(len(doc.paragraph_keys))
            self._sections.append(doc.n_sections)

    def settle(self, pins: Pins) -> Settled:
        """Cluster the documents, assign their splits and find the repeated paragraph keys.

        Args:
            pins: Splits of an earlier release, kept by the clusters holding their documents.

        Returns:
            Each document's cluster and split, and what routing the rows needs.
        """
        signatures = (
            np.stack(self._signatures) if self._signatures else np.zeros((0, NUM_PERM), np.uint32)
        )
        clusters = find_clusters(self.doc_ids, signatures, np.array(self._usable, dtype=bool))
        pinned = {doc_id: Split(split) for doc_id, split in pins.splits.items()}
        splits = assign_splits(self.doc_ids, clusters.cluster_ids, pinned)
        order = {split: i for i, split in enumerate(SPLITS)}
        sizes = Counter(Counter(clusters.cluster_ids).values())
        return Settled(
            cluster_ids=clusters.cluster_ids,
            split_codes=np.array([order[s.value] for s in splits], dtype=np.int8),
            paragraph_counts=np.array(self._paragraphs, dtype=np.int64),
            section_counts=np.array(self._sections, dtype=np.int64),
            repeated_keys=self._repeated_keys(clusters.cluster_ids),
            cluster_sizes=Counter({size: n for size, n in sizes.items() if size >= 2}),
        )

    def _repeated_keys(self, cluster_ids: list[str]) -> npt.NDArray[np.uint64]:
        """Return the sorted paragraph keys found in ``REPEATED_TEXT_CLUSTERS`` clusters or more."""
        number: dict[str, int] = {}
        codes = [number.setdefault(c, len(number)) for c in cluster_ids]
        keys = np.concatenate(self._keys or [_NO_KEYS])
        owners = np.repeat(np.array(codes, np.uint64), [len(k) for k in self._keys])
        # Only a key met at least REPEATED_TEXT_CLUSTERS times can be in that many clusters: the
        # (key, cluster) pairs below are counted among those few instead of every paragraph.
        seen, times = np.unique(keys, return_counts=True)
        again = np.isin(keys, seen[times >= REPEATED_TEXT_CLUSTERS], kind="sort")
        # One (key, cluster) pair per cluster holding the key, then clusters per key.
        pairs = np.unique(np.stack([keys[again], owners[again]], axis=1), axis=0)
        found, counts = np.unique(pairs[:, 0], return_counts=True)
        return np.asarray(found[counts >= REPEATED_TEXT_CLUSTERS], dtype=np.uint64)


def route_tables(root: Path, stage_dir: Path, settled: Settled) -> dict[str, list[Shard]]:
    """Write each staged table's rows to its documents' splits; return the shards by table.

    Args:
        root: The dataset folder being written.
        stage_dir: The folder of the staged rows (``StagedRows``).
        settled: Every document's cluster and split, and the repeated paragraph keys.

    Returns:
        Each table's shards, split by split.
    """
    # Two threads, one table each at a time (documents, then paragraphs, then sections as one
    # frees): the worker processes are done, and Parquet encoding and compression run outside
    # the GIL, so both cores write. At 80,000 documents routing took 5.6 s with three threads
    # and 6.7 s with two, but the driver peaked at 1,127 MB against 986 MB (545 MB with one):
    # each thread holds a row group of each split while it encodes it. Each table's writers
    # live in its own thread, so the bytes do not depend on which finishes first.
    with ThreadPoolExecutor(max_workers=ROUTING_THREADS) as pool:
        routed = {
            table: pool.submit(_route, root, stage_dir / f"{table}.arrow", table, settled)
            for table in TABLE_MODELS
        }
        return {table: routed[table].result() for table in TABLE_MODELS}


def _route(root: Path, path: Path, table: str, settled: Settled) -> list[Shard]:
    """Read a table's staged rows back in order, write each to its document's split, and close."""
    writers = {split: TableWriter(root, table, split) for split in SPLITS}
    if table == "documents":
        codes = settled.split_codes
    else:
        per_doc = settled.paragraph_counts if table == "paragraphs" else settled.section_counts
        codes = np.repeat(settled.split_codes, per_doc)
    if path.exists():
        first = 0
        # Read batch by batch into memory that is freed after each: a memory map would keep
        # every staged page in the resident set until the end.
        with pa.OSFile(str(path)) as source:
            reader = pa.ipc.open_file(source)
            for index in range(reader.num_record_batches):
                batch = pa.Table.from_batches([reader.get_batch(index)])
                rows = batch.num_rows
                if table == "documents":
                    batch = _set_cluster_and_split(batch, settled, first)
                elif table == "paragraphs":
                    batch = _flag_repeated(batch, settled.repeated_keys)
                batch_codes = codes[first : first + rows]
                for code, split in enumerate(SPLITS):
                    mask = batch_codes == code
                    if mask.any():
                        writers[split].write_table(batch.filter(pa.array(mask)))
                first += rows
    return _close(writers)


def _close(writers: dict[str, TableWriter]) -> list[Shard]:
    """Close a table's writers, one per split; return its shards, split by split."""
    # An empty split gets no file: ``datasets`` cannot load a split without rows, and one
    # declared in the card would stop ``load_dataset(path, config)`` for every split. A table
    # without any row keeps one empty train shard, so it still has a file.
    rest = {split: writers[split].close(keep_empty=False) for split in SPLITS[1:]}
    first = writers[SPLITS[0]].close(keep_empty=not any(rest.values()))
    return [*first, *(shard for split in SPLITS[1:] for shard in rest[split])]


def _set_cluster_and_split(batch: pa.Table, settled: Settled, first: int) -> pa.Table:
    stop = first + batch.num_rows
    for name, values in (
        ("cluster_id", settled.cluster_ids[first:stop]),
        ("split", [SPLITS[code] for code in settled.split_codes[first:stop]]),
    ):
        index = batch.schema.get_field_index(name)
        batch = batch.set_column(index, batch.schema.field(index), pa.array(values, pa.string()))
    return batch


def _flag_repeated(batch: pa.Table, repeated: npt.NDArray[np.uint64]) -> pa.Table:
    keys = batch[_KEY_COLUMN].to_numpy()
    batch = batch.drop_columns([_KEY_COLUMN])
    if len(repeated) == 0:
        return batch
    # A binary search in the sorted keys: np.isin would sort them again for every batch.
    at = np.searchsorted(repeated, keys).clip(max=len(repeated) - 1)
    hit = repeated[at] == keys
    if not hit.any():
        return batch
    index = batch.schema.get_field_index("flags")
    # Appended: repeated_text follows starts_lowercase in ParagraphFlag, the stored order.
    flags = append_to_lists(batch["flags"].combine_chunks(), hit, ParagraphFlag.REPEATED_TEXT.value)
    return batch.set_column(index, batch.schema.field(index), flags)


def append_to_lists(lists: pa.ListArray, hit: npt.NDArray[np.bool_], value: str) -> pa.ListArray:
    """Return ``lists`` with ``value`` appended to the list of every row where ``hit`` is true."""
    # Array arithmetic, not a Python list per row: in a corpus of recombined paragraphs nearly
    # every row is hit.
    lengths = lists.value_lengths().to_numpy(zero_copy_only=False).astype(np.int64)
    values = lists.flatten()
    offsets = np.concatenate([[0], np.cumsum(lengths + hit)])
    rows_of_values = np.repeat(np.arange(len(lengths)), lengths)
    places = np.arange(len(values)) - (np.cumsum(lengths) - lengths)[rows_of_values]
    # Each new slot takes an old value, or the appended one (index len(values)) where none lands.
    take = np.full(int(offsets[-1]), len(values), dtype=np.int64)
    take[offsets[:-1][rows_of_values] + places] = np.arange(len(values))
    extended = pa.concat_arrays([values, pa.array([value], values.type)]).take(pa.array(take))
    return pa.ListArray.from_arrays(pa.array(offsets, pa.int32()), extended, type=lists.type)
