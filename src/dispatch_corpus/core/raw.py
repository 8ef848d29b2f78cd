"""One raw input as the corpus reader hands it to the pipeline: bytes, origin and metadata.

It lives apart from ``pipeline`` so the reader (``dataset.corpus``) does not load the labeler.
"""

from __future__ import annotations

from dataclasses import dataclass

from dispatch_corpus.core.metadata import Metadata


@dataclass(frozen=True)
class RawDispatch:
    """One raw input: where it came from, its bytes and its metadata entry."""

    source_path: str
    collection: str
    doc_id: str
    raw: bytes
    metadata: Metadata | None = None
