"""Local engine: bounded chunks of dispatches processed by worker processes, in input order."""

from __future__ import annotations

import multiprocessing
from collections import deque
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field

import pyarrow as pa

from dispatch_corpus.corpus import CorpusScan, InputFile, read_input
from dispatch_corpus.metadata import Metadata
from dispatch_corpus.models import DocumentRecord, QuarantineRecord
from dispatch_corpus.pipeline import process_dispatch
from dispatch_corpus.tables import rows_to_table

CHUNK_DOCS = 64
"""Most dispatches handed to a worker at once."""
CHUNK_BYTES = 8 * 1024 * 1024
"""Most raw bytes handed to a worker at once (a chunk holds at least one dispatch)."""
CHUNKS_IN_FLIGHT_PER_WORKER = 2
"""Chunks submitted ahead per worker: bounds memory whatever the corpus size."""


@dataclass(frozen=True)
class Task:
    """One input to read and process, with its metadata and the size limit."""

    item: InputFile
    metadata: Metadata | None
    max_bytes: int


@dataclass(frozen=True)
class AcceptedDocument:
    """What deduplication needs to know of one accepted document."""

    doc_id: str
    text_sha256: str
    raw_sha256: str
    source_path: str


@dataclass
class ChunkResult:
    """What a chunk of tasks produced: Arrow tables of accepted rows and quarantine rows."""

    tables: dict[str, pa.Table] = field(default_factory=dict)
    quarantine: list[QuarantineRecord] = field(default_factory=list)
    accepted: list[AcceptedDocument] = field(default_factory=list)
    inputs: int = 0


def process_chunk(tasks: Sequence[Task]) -> ChunkResult:
    """Read and process a chunk of inputs, returning Arrow tables of the accepted records.

    Args:
        tasks: Inputs in corpus order.

    Returns:
        The chunk's tables (``documents``, ``paragraphs``, ``sections``), its quarantine rows,
        and the identity and hashes of each accepted document, in order.
    """
    records: list[DocumentRecord] = []
    result = ChunkResult(inputs=len(tasks))
    for task in tasks:
        read = read_input(task.item, task.metadata, task.max_bytes)
        outcome = read if isinstance(read, QuarantineRecord) else process_dispatch(read)
        if isinstance(outcome, QuarantineRecord):
            result.quarantine.append(outcome)
        else:
            records.append(outcome)
            doc = outcome.document
            result.accepted.append(
                AcceptedDocument(doc.doc_id, doc.text_sha256, doc.raw_sha256, task.item.source_path)
            )
    result.tables = {
        "documents": rows_to_table("documents", [r.document for r in records]),
        "paragraphs": rows_to_table("paragraphs", [p for r in records for p in r.paragraphs]),
        "sections": rows_to_table("sections", [s for r in records for s in r.sections]),
    }
    return result


def chunk_tasks(scan: CorpusScan, max_bytes: int) -> Iterator[list[Task]]:
    """Cut the inputs of a scan into chunks bounded in count and bytes, in order."""
    chunk: list[Task] = []
    size = 0
    for item in scan.inputs:
        task = Task(item, scan.metadata.get((item.collection, item.doc_id)), max_bytes)
        if chunk and (len(chunk) >= CHUNK_DOCS or size + item.size > CHUNK_BYTES):
            yield chunk
            chunk, size = [], 0
        chunk.append(task)
        size += min(item.size, max_bytes)
    if chunk:
        yield chunk


def run_chunks(scan: CorpusScan, max_bytes: int, workers: int) -> Iterator[ChunkResult]:
    """Process every input of a scan, yielding chunk results in corpus order.

    With one worker, or no more inputs than one chunk holds, the chunks run in this
    process; otherwise in ``workers`` spawned
    processes with a bounded number of chunks in flight. Either way the results, and so the
    written bytes, are the same.

    Args:
        scan: The corpus scan.
        max_bytes: Inputs above this size are quarantined unread.
        workers: Number of worker processes (1: in-process).

    Yields:
        One result per chunk, in order.
    """
    chunks = chunk_tasks(scan, max_bytes)
    if workers <= 1 or len(scan.inputs) <= CHUNK_DOCS:
        yield from map(process_chunk, chunks)
        return
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        in_flight: deque[Future[ChunkResult]] = deque()
        limit = workers * CHUNKS_IN_FLIGHT_PER_WORKER
        for chunk in chunks:
            in_flight.append(pool.submit(process_chunk, chunk))
            if len(in_flight) >= limit:
                yield in_flight.popleft().result()
        while in_flight:
            yield in_flight.popleft().result()
