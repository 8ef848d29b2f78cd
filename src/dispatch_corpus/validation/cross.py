"""Cross-table checks the expectation suites cannot express: they join the three tables.

Every check runs on one unit (a ``doc_id`` range holding whole documents), so each is exact
over the dataset once the units' tallies are added up.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from dispatch_corpus.validation.results import Tally
from dispatch_corpus.validation.rows import PyTable, row_key

CROSS_CHECKS: dict[str, tuple[str, str]] = {
    "paragraphs.doc_id_in_documents": ("paragraphs", "every paragraph's doc_id is a document"),
    "sections.doc_id_in_documents": ("sections", "every section's doc_id is a document"),
    "documents.n_paragraphs_agree": (
        "documents",
        "n_paragraphs equals the document's paragraph rows, indexed 0..n-1",
    ),
    "documents.n_sections_agree": (
        "documents",
        "n_sections equals the document's section rows, indexed 0..n-1",
    ),
    "paragraphs.offsets_slice_text": (
        "paragraphs",
        "documents.text[char_start:char_end] == text",
    ),
    "sections.offsets_slice_text": ("sections", "documents.text[char_start:char_end] == text"),
    "sections.tile_paragraphs": (
        "sections",
        "a document's sections cover its paragraphs in order, without gap or overlap, and "
        "agree with their offsets and section_index",
    ),
    "documents.text_sha256_matches": ("documents", "text_sha256 is the sha256 of text"),
}
"""Name -> (table, description) of every cross-table check."""


@dataclass(frozen=True)
class _Span:
    start: object
    end: object
    section: object


def _tally(name: str) -> Tally:
    table, description = CROSS_CHECKS[name]
    return Tally(check=name, table=table, kind="cross", description=description)


def check_cross(docs: PyTable, paras: PyTable, secs: PyTable) -> list[Tally]:
    """Run every cross-table check on one unit.

    Args:
        docs: The unit's documents.
        paras: The unit's paragraphs.
        secs: The unit's sections.

    Returns:
        One tally per check of ``CROSS_CHECKS``, in that order.
    """
    tallies = {name: _tally(name) for name in CROSS_CHECKS}
    texts = {d: t for d, t in zip(docs["doc_id"], docs["text"], strict=True) if d is not None}
    spans = _check_paragraphs(paras, texts, tallies)
    _check_sections(secs, texts, spans, tallies)
    _check_counts(docs, paras, secs, tallies)
    _check_hashes(docs, tallies["documents.text_sha256_matches"])
    return list(tallies.values())


def _slices(text: object, start: object, end: object, part: object) -> bool:
    return (
        isinstance(text, str)
        and isinstance(start, int)
        and isinstance(end, int)
        and 0 <= start <= end
        and text[start:end] == part
    )


def _check_paragraphs(
    paras: PyTable, texts: dict[str, str], tallies: dict[str, Tally]
) -> dict[tuple[object, object], _Span]:
    exist = tallies["paragraphs.doc_id_in_documents"]
    sliced = tallies["paragraphs.offsets_slice_text"]
    missing: list[int] = []
    wrong: list[int] = []
    spans: dict[tuple[object, object], _Span] = {}
    rows = zip(
        paras["doc_id"],
        paras["paragraph_index"],
        paras["text"],
        paras["char_start"],
        paras["char_end"],
        paras["section_index"],
        strict=True,
    )
    for row, (doc_id, index, text, start, end, section) in enumerate(rows):
        spans[(doc_id, index)] = _Span(start, end, section)
        if doc_id not in texts:
            missing.append(row)
        elif not _slices(texts[doc_id], start, end, text):
            wrong.append(row)
    exist.add(len(paras), len(missing), [paras.key(r) for r in missing[:5]])
    sliced.add(len(paras) - len(missing), len(wrong), [paras.key(r) for r in wrong[:5]])
    return spans


def _check_sections(
    secs: PyTable,
    texts: dict[str, str],
    spans: dict[tuple[object, object], _Span],
    tallies: dict[str, Tally],
) -> None:
    exist = tallies["sections.doc_id_in_documents"]
    sliced = tallies["sections.offsets_slice_text"]
    missing: list[int] = []
    wrong: list[int] = []
    by_doc: dict[object, list[int]] = defaultdict(list)
    rows = zip(secs["doc_id"], secs["text"], secs["char_start"], secs["char_end"], strict=True)
    for row, (doc_id, text, start, end) in enumerate(rows):
        if doc_id not in texts:
            missing.append(row)
            continue
        by_doc[doc_id].append(row)
        if not _slices(texts[doc_id], start, end, text):
            wrong.append(row)
    exist.add(len(secs), len(missing), [secs.key(r) for r in missing[:5]])
    sliced.add(len(secs) - len(missing), len(wrong), [secs.key(r) for r in wrong[:5]])
    tile = tallies["sections.tile_paragraphs"]
    counts: dict[object, int] = defaultdict(int)
    for doc_id, _index in spans:
        counts[doc_id] += 1
    bad = [d for d, rows in by_doc.items() if not _tiles(secs, rows, d, spans, counts)]
    tile.add(len(by_doc), len(bad), [row_key("documents", d) for d in bad[:5]])


def _tiles(
    secs: PyTable,
    rows: list[int],
    doc_id: object,
    spans: dict[tuple[object, object], _Span],
    counts: dict[object, int],
) -> bool:
    """Whether one document's sections tile its paragraphs (checked on the paragraph rows)."""
    index, starts, ends = secs["section_index"], secs["paragraph_start"], secs["paragraph_end"]
    ordered = sorted(rows, key=lambda r: index[r] if isinstance(index[r], int) else -1)
    paragraphs = counts.get(doc_id, 0)
    expected_start = 0
    for position, row in enumerate(ordered):
        start, end = starts[row], ends[row]
        if index[row] != position or start != expected_start or not isinstance(end, int):
            return False
        if not expected_start < end <= paragraphs:
            return False
        members = [spans.get((doc_id, p)) for p in range(start, end)]
        if any(m is None or m.section != position for m in members):
            return False
        first, last = members[0], members[-1]
        if first is None or last is None:
            return False
        if (secs["char_start"][row], secs["char_end"][row]) != (first.start, last.end):
            return False
        expected_start = end
    return expected_start == paragraphs


def _check_counts(docs: PyTable, paras: PyTable, secs: PyTable, tallies: dict[str, Tally]) -> None:
    for table, column, name in (
        (paras, "paragraph_index", "documents.n_paragraphs_agree"),
        (secs, "section_index", "documents.n_sections_agree"),
    ):
        indexes: dict[object, list[object]] = defaultdict(list)
        for doc_id, index in zip(table["doc_id"], table[column], strict=True):
            indexes[doc_id].append(index)
        expected_column = "n_paragraphs" if table is paras else "n_sections"
        bad = []
        for row, (doc_id, count) in enumerate(
            zip(docs["doc_id"], docs[expected_column], strict=True)
        ):
            found = indexes.get(doc_id, [])
            if count != len(found) or sorted(found, key=_order) != list(range(len(found))):
                bad.append(row)
        tallies[name].add(len(docs), len(bad), [docs.key(r) for r in bad[:5]])


def _order(value: object) -> int:
    return value if isinstance(value, int) else -1


def _check_hashes(docs: PyTable, tally: Tally) -> None:
    bad = []
    hashes = docs["text_sha256"]
    for row, data in enumerate(_utf8_views(docs.arrow.column("text"))):
        if data is None or hashlib.sha256(data).hexdigest() != hashes[row]:
            bad.append(row)
    tally.add(len(docs), len(bad), [docs.key(r) for r in bad[:5]])


def _utf8_views(column: pa.ChunkedArray) -> Iterator[memoryview | None]:
    """Yield the UTF-8 bytes of each string of a column without decoding them."""
    for chunk in column.chunks:
        validity, offsets_buffer, data_buffer = chunk.buffers()
        offsets = np.frombuffer(offsets_buffer, dtype=np.int32)
        offsets = offsets[chunk.offset : chunk.offset + len(chunk) + 1].tolist()
        data = memoryview(data_buffer) if data_buffer is not None else memoryview(b"")
        valid = chunk.is_valid().to_numpy(zero_copy_only=False) if validity else None
        for i in range(len(chunk)):
            if valid is not None and not valid[i]:
                yield None
            else:
                yield data[offsets[i] : offsets[i + 1]]
