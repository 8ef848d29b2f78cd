"""The unit of work both engines share: a chunk of dispatches, read and processed in order.

The local engine's worker processes and the Spark engine's tasks run the same
``process_chunk`` on the same chunks (``chunk_tasks``) and return the same ``ChunkResult``,
so the build writes the same bytes whichever engine ran.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
import pyarrow as pa

from dispatch_corpus.core.metadata import Metadata
from dispatch_corpus.core.neardup import sketch_documents
from dispatch_corpus.core.pipeline import process_dispatch
from dispatch_corpus.dataset.corpus import CorpusScan, InputFile, read_input
from dispatch_corpus.dataset.writer import rows_to_table
from dispatch_corpus.models import DocumentRecord, QuarantineRecord
from dispatch_corpus.settings import BuildSettings, LabelerSettings

CHUNK_DOCS = 64
"""Most dispatches handed to a worker at once."""
CHUNK_BYTES = 8 * 1024 * 1024
"""Most raw bytes handed to a worker at once (a chunk holds at least one dispatch)."""


@dataclass(frozen=True)
class Task:
    """One input to read and process, with its metadata."""

    item: InputFile
    metadata: Metadata | None


@dataclass(frozen=True)
class Chunk:
    """Inputs in corpus order, with the build settings that decide what they become.

    The settings travel with the chunk (to a worker process or a Spark task) so that every
    engine reads and labels the inputs under the build's own settings.
    """

    tasks: tuple[Task, ...]
    max_bytes: int
    """Inputs larger than this are quarantined unread (``BuildSettings.max_bytes``)."""
    labeler: LabelerSettings
    """The labeler's thresholds (``BuildSettings.labeler``)."""

    @property
    def size(self) -> int:
        """Raw bytes the chunk reads: inputs above the limit are not read."""
        return sum(min(task.item.size, self.max_bytes) for task in self.tasks)


# Sent back beside the tables, so the driver deduplicates, clusters and counts paragraphs
# without reading text from Arrow.
@dataclass(frozen=True)
class AcceptedDocument:
    """What deduplication, clustering and ``repeated_text`` need to know of one document."""

    doc_id: str
    text_sha256: str
    raw_sha256: str
    source_path: str
    signature: npt.NDArray[np.uint32]
    """MinHash signature of its text's word shingles."""
    usable: bool
    """Whether it has words enough to be compared (``neardup.MIN_WORDS``)."""
    paragraph_keys: npt.NDArray[np.uint64]
    """``neardup.paragraph_key`` of each of its paragraphs, in order."""
    n_sections: int


@dataclass
class ChunkResult:
    """What a chunk of tasks produced: Arrow tables of accepted rows and quarantine rows."""

    tables: dict[str, pa.Table] = field(default_factory=dict)
    quarantine: list[QuarantineRecord] = field(default_factory=list)
    accepted: list[AcceptedDocument] = field(default_factory=list)
    inputs: int = 0


def process_chunk(chunk: Chunk) -> ChunkResult:
    """Read and process a chunk of inputs, returning Arrow tables of the accepted records.

    Args:
        chunk: Inputs in corpus order, their size limit and the labeler's settings.

    Returns:
        The chunk's tables (``documents``, ``paragraphs``, ``sections``), its quarantine rows,
        and the identity, hashes and MinHash signature of each accepted document, in order.
    """
    records: list[DocumentRecord] = []
    sources: list[str] = []
    result = ChunkResult(inputs=len(chunk.tasks))
    for task in chunk.tasks:
        read = read_input(task.item, task.metadata, chunk.max_bytes)
        outcome = (
            read if isinstance(read, QuarantineRecord) else process_dispatch(read, chunk.labeler)
        )
        if isinstance(outcome, QuarantineRecord):
            result.quarantine.append(outcome)
        else:
            records.append(outcome)
            sources.append(task.item.source_path)
    # One batch per chunk: rensa hashes the words and signs the documents in one call each.
    sketch = sketch_documents([[p.text for p in r.paragraphs] for r in records])
    for i, (record, source) in enumerate(zip(records, sources, strict=True)):
        doc = record.document
        result.accepted.append(
            AcceptedDocument(
                doc.doc_id,
                doc.text_sha256,
                doc.raw_sha256,
                source,
                sketch.signatures[i],
                bool(sketch.usable[i]),
                np.array(sketch.paragraph_keys[i], dtype=np.uint64),
                doc.n_sections,
            )
        )
    # Arrow conversion runs here, in the worker: the parent only compresses and writes.
    result.tables = {
        "documents": rows_to_table("documents", [r.document for r in records]),
        "paragraphs": rows_to_table("paragraphs", [p for r in records for p in r.paragraphs]),
        "sections": rows_to_table("sections", [s for r in records for s in r.sections]),
    }
    return result


def chunk_tasks(scan: CorpusScan, settings: BuildSettings) -> Iterator[Chunk]:
    """Cut the inputs of a scan into chunks bounded in count and bytes, in order.

    Args:
        scan: The corpus scan.
        settings: The build's settings; each chunk carries those that decide the output.

    Yields:
        The chunks, in corpus order.
    """
    max_bytes, labeler = settings.max_bytes, settings.labeler
    tasks: list[Task] = []
    size = 0
    for item in scan.inputs:
        if tasks and (len(tasks) >= CHUNK_DOCS or size + item.size > CHUNK_BYTES):
            yield Chunk(tuple(tasks), max_bytes, labeler)
            tasks, size = [], 0
        tasks.append(Task(item, scan.metadata.get((item.collection, item.doc_id))))
        size += min(item.size, max_bytes)
    if tasks:
        yield Chunk(tuple(tasks), max_bytes, labeler)
