"""Local engine: chunks of dispatches processed by worker processes, yielded in input order."""

from __future__ import annotations

import multiprocessing
from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor

from dispatch_corpus.build.chunks import CHUNK_DOCS, ChunkResult, chunk_tasks, process_chunk
from dispatch_corpus.dataset.corpus import CorpusScan
from dispatch_corpus.settings import BuildSettings

CHUNKS_IN_FLIGHT_PER_WORKER = 2
"""Chunks submitted ahead per worker: bounds memory whatever the corpus size."""


def run_chunks(scan: CorpusScan, settings: BuildSettings) -> Iterator[ChunkResult]:
    """Process every input of a scan, yielding chunk results in corpus order.

    With one worker, or no more inputs than one chunk holds, the chunks run in this
    process; otherwise in ``workers`` spawned
    processes with a bounded number of chunks in flight. Either way the results, and so the
    written bytes, are the same.

    Args:
        scan: The corpus scan.
        settings: The build's settings: ``max_bytes`` and ``labeler`` (carried by each chunk)
            and ``workers`` (1: in-process).

    Yields:
        One result per chunk, in order.
    """
    chunks = chunk_tasks(scan, settings)
    workers = settings.workers
    # Too few inputs to share out: a spawned worker starts a fresh interpreter and imports
    # the core before its first chunk.
    if workers <= 1 or len(scan.inputs) <= CHUNK_DOCS:
        yield from map(process_chunk, chunks)
        return
    # spawn, not fork: this process already runs threads here, and a forked child of a
    # threaded process can deadlock on a lock copied mid-use.
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        in_flight: deque[Future[ChunkResult]] = deque()
        limit = workers * CHUNKS_IN_FLIGHT_PER_WORKER
        for chunk in chunks:
            in_flight.append(pool.submit(process_chunk, chunk))
            # Oldest first, whichever finishes first: results come back in corpus order.
            if len(in_flight) >= limit:
                yield in_flight.popleft().result()
        while in_flight:
            yield in_flight.popleft().result()
