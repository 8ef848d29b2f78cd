"""Spark engine: the local engine's chunks of the pure core, processed by Spark ``mapInArrow``.

The driver scans the corpus and cuts it into the same chunks as the local engine. Chunks go to
Spark in waves (a few per core); each Spark task reads its inputs and runs ``process_chunk``;
the driver collects a wave's results and yields them in corpus order, so the build writes the
same bytes as with the local engine.
"""

from __future__ import annotations

import os
import pickle
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING

import pyarrow as pa

from dispatch_corpus.corpus import CorpusScan
from dispatch_corpus.engines.local import ChunkResult, Task, chunk_tasks, process_chunk

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

LOCAL_MASTER = "local[2]"
"""Default Spark master: two local cores."""
WAVE_CHUNKS_PER_CORE = 4
"""Chunks sent to Spark per job, per core: keeps every core busy while the driver writes."""
WAVE_BYTES = 128 * 1024 * 1024
"""Most raw input bytes per job: bounds what the driver collects at once."""
SPARK_CONF = {
    "spark.ui.enabled": "false",
    "spark.log.level": "ERROR",
    "spark.ui.showConsoleProgress": "false",
    "spark.sql.execution.arrow.pyspark.enabled": "true",
    "spark.sql.shuffle.partitions": "4",
    "spark.python.worker.reuse": "true",
}
"""Session settings the engine sets (a session that already exists keeps its own)."""
LOCAL_CONF = {"spark.driver.host": "127.0.0.1", "spark.driver.bindAddress": "127.0.0.1"}
"""Extra settings for ``local`` masters: no network name lookup, nothing listens outside."""
SPARK_EXTRA_HINT = "install the spark extra: uv sync --extra spark"
TASKS_SCHEMA = "chunk long, tasks binary"
RESULTS_SCHEMA = "chunk long, result binary"
_RESULTS_ARROW = pa.schema([("chunk", pa.int64()), ("result", pa.binary())])


class SparkUnavailableError(RuntimeError):
    """pyspark is not installed in this environment."""


def run_spark_chunks(
    scan: CorpusScan, max_bytes: int, master: str = LOCAL_MASTER
) -> Iterator[ChunkResult]:
    """Process every input of a scan on Spark, yielding chunk results in corpus order.

    Mirrors ``engines.local.run_chunks``: same chunks, same ``process_chunk``, same results,
    so the build writes the same bytes whichever engine ran.

    Args:
        scan: The corpus scan (paths must be readable from the Spark executors).
        max_bytes: Inputs above this size are quarantined unread.
        master: Spark master URL (``local[N]``, ``spark://host:port``, ``yarn``, ...).

    Yields:
        One result per chunk, in order.

    Raises:
        SparkUnavailableError: When pyspark is not installed.
    """
    with spark_session(master) as spark:
        per_wave = spark.sparkContext.defaultParallelism * WAVE_CHUNKS_PER_CORE
        first = 0
        for wave in _waves(chunk_tasks(scan, max_bytes), per_wave):
            yield from _run_wave(spark, wave, first)
            first += len(wave)


@contextmanager
def spark_session(master: str = LOCAL_MASTER) -> Iterator[SparkSession]:
    """Open a quiet Spark session on ``master``, stopping it on exit if this call started it.

    The Python workers run this interpreter unless ``PYSPARK_PYTHON`` says otherwise.

    Args:
        master: Spark master URL.

    Yields:
        The session.

    Raises:
        SparkUnavailableError: When pyspark is not installed.
    """
    try:
        from pyspark.sql import SparkSession
    except ImportError as error:
        raise SparkUnavailableError(f"pyspark is not installed; {SPARK_EXTRA_HINT}") from error
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    started = SparkSession.getActiveSession() is None
    builder = SparkSession.builder.master(master).appName("dispatch-corpus")
    conf = SPARK_CONF | (LOCAL_CONF if master.startswith("local") else {})
    for key, value in conf.items():
        builder = builder.config(key, value)
    spark = builder.getOrCreate()
    try:
        yield spark
    finally:
        if started:
            spark.stop()


def _waves(chunks: Iterator[list[Task]], per_wave: int) -> Iterator[list[list[Task]]]:
    """Group chunks into waves bounded in count and raw bytes, in order."""
    wave: list[list[Task]] = []
    size = 0
    for chunk in chunks:
        chunk_size = sum(min(task.item.size, task.max_bytes) for task in chunk)
        if wave and (len(wave) >= per_wave or size + chunk_size > WAVE_BYTES):
            yield wave
            wave, size = [], 0
        wave.append(chunk)
        size += chunk_size
    if wave:
        yield wave


def _run_wave(spark: SparkSession, wave: Sequence[list[Task]], first: int) -> Iterator[ChunkResult]:
    """Process a wave of chunks as one Spark job (one task per chunk), yielding in order."""
    rows = [(first + i, pickle.dumps(chunk)) for i, chunk in enumerate(wave)]
    tasks = spark.createDataFrame(spark.sparkContext.parallelize(rows, len(rows)), TASKS_SCHEMA)
    results = tasks.mapInArrow(process_task_batches, RESULTS_SCHEMA).toArrow()
    order = results["chunk"].to_pylist()
    payloads = results["result"].to_pylist()
    if sorted(order) != [row[0] for row in rows]:
        raise RuntimeError(f"Spark returned chunks {sorted(order)} for {len(rows)} sent")
    for _, payload in sorted(zip(order, payloads, strict=True)):
        result: ChunkResult = pickle.loads(payload)
        yield result


def process_task_batches(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
    """Run ``process_chunk`` on every pickled chunk of the incoming batches (a Spark task).

    Args:
        batches: Record batches of ``TASKS_SCHEMA``: chunk number, pickled list of tasks.

    Yields:
        One batch of ``RESULTS_SCHEMA`` per chunk: chunk number, pickled ``ChunkResult``.
    """
    for batch in batches:
        numbers = batch.column("chunk").to_pylist()
        for number, tasks in zip(numbers, batch.column("tasks").to_pylist(), strict=True):
            result = process_chunk(pickle.loads(tasks))
            payload = pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)
            yield pa.RecordBatch.from_pydict(
                {"chunk": [number], "result": [payload]}, schema=_RESULTS_ARROW
            )
