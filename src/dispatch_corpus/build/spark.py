"""Spark engine: the local engine's chunks of the pure core, processed by Spark ``mapInArrow``.

The driver cuts the scan into the same chunks as the local engine and sends them to Spark in
waves, one Spark job per wave and one task per chunk. Each task reads its inputs and runs
``process_chunk``; the driver collects the wave's results (pickled ``ChunkResult``, as the
local worker processes return them) and yields them in corpus order, so the build writes the
same bytes whichever engine ran.
"""

from __future__ import annotations

import pickle
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

import pyarrow as pa

from dispatch_corpus.build.chunks import Chunk, ChunkResult, chunk_tasks, process_chunk
from dispatch_corpus.dataset.corpus import CorpusScan
from dispatch_corpus.settings import BuildSettings
from dispatch_corpus.utils.spark import SparkEngineError, spark_session, without_pandas_notice

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

WAVE_CHUNKS_PER_CORE = 4
"""Chunks per Spark job, per core: enough tasks per job that no core idles for long."""
WAVE_BYTES = 128 * 1024 * 1024
"""Most raw input bytes per job. The driver holds one job's results at once, about twice the
raw bytes: this keeps them well under Spark's default ``spark.driver.maxResultSize`` (1 GiB)."""
_TASKS_SCHEMA = "chunk long, tasks binary"
_RESULTS_SCHEMA = "chunk long, result binary"
_RESULTS_ARROW = pa.schema([("chunk", pa.int64()), ("result", pa.binary())])


def run_spark_chunks(scan: CorpusScan, settings: BuildSettings) -> Iterator[ChunkResult]:
    """Process every input of a scan on Spark, yielding chunk results in corpus order.

    Mirrors ``local.run_chunks``: same chunks, same ``process_chunk``, same results,
    so the build writes the same bytes whichever engine ran.

    Args:
        scan: The corpus scan (paths must be readable from the Spark executors).
        settings: The build's settings: ``max_bytes`` and ``labeler`` (carried by each chunk)
            and ``spark_master`` (``local[N]``, ``spark://host:port``, ``yarn``, ...).

    Yields:
        One result per chunk, in order.

    Raises:
        SparkEngineError: When pyspark is not installed, Spark cannot start, or Spark
            loses chunks.
    """
    # Every entry was refused by the scan: nothing to process, so Spark is not started.
    if not scan.inputs:
        return
    with spark_session(settings.spark_master) as spark:
        per_wave = spark.sparkContext.defaultParallelism * WAVE_CHUNKS_PER_CORE
        first = 0
        for wave in _waves(chunk_tasks(scan, settings), per_wave):
            yield from _run_wave(spark, wave, first)
            first += len(wave)


def _waves(chunks: Iterator[Chunk], per_wave: int) -> Iterator[list[Chunk]]:
    """Group chunks into waves bounded in count and raw bytes, in order."""
    wave: list[Chunk] = []
    size = 0
    for chunk in chunks:
        if wave and (len(wave) >= per_wave or size + chunk.size > WAVE_BYTES):
            yield wave
            wave, size = [], 0
        wave.append(chunk)
        size += chunk.size
    if wave:
        yield wave


def _run_wave(spark: SparkSession, wave: Sequence[Chunk], first: int) -> Iterator[ChunkResult]:
    """Process a wave of chunks as one Spark job (one task per chunk), yielding in order."""
    rows = [(first + i, pickle.dumps(chunk)) for i, chunk in enumerate(wave)]
    # As many slices as rows: one task per chunk, spread over the cores.
    tasks = spark.createDataFrame(spark.sparkContext.parallelize(rows, len(rows)), _TASKS_SCHEMA)
    with without_pandas_notice():
        results = tasks.mapInArrow(_process_task_batches, _RESULTS_SCHEMA).toArrow()
    payloads = dict(zip(results["chunk"].to_pylist(), results["result"].to_pylist(), strict=True))
    numbers = [number for number, _ in rows]
    # A lost chunk shows in the numbers; a chunk returned twice only in the row count, as
    # the dict keeps one of its copies.
    if sorted(payloads) != numbers or results.num_rows != len(rows):
        raise SparkEngineError(f"Spark returned chunks {sorted(payloads)}, expected {numbers}")
    for number in numbers:
        result: ChunkResult = pickle.loads(payloads[number])
        yield result


def _process_task_batches(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
    """Run ``process_chunk`` on each pickled chunk of the batches (the body of a Spark task).

    Input rows are ``(chunk, pickled Chunk)``; each chunk gives one output row
    ``(chunk, pickled ChunkResult)``: the same objects the local engine's worker processes
    send back, so both engines hand the build identical results.
    """
    for batch in batches:
        numbers = batch.column("chunk").to_pylist()
        for number, tasks in zip(numbers, batch.column("tasks").to_pylist(), strict=True):
            result = process_chunk(pickle.loads(tasks))
            payload = pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)
            yield pa.RecordBatch.from_pydict(
                {"chunk": [number], "result": [payload]}, schema=_RESULTS_ARROW
            )
