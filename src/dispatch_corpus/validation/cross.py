"""Cross-table checks the expectation suites cannot express: they join the three tables.

Every check runs on one unit (a ``doc_id`` range holding whole documents), so each is exact
over the dataset once the units' tallies are added up. A check runs only when the unit's
tables hold every column it reads (``CROSS_COLUMNS``): a column missing from a shard, or of
the wrong type, is not read at all, and the checks reading it are reported as not run.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
import pyarrow as pa

from dispatch_corpus.utils.values import shown, shown_pair
from dispatch_corpus.validation.results import SAMPLE_LIMIT, Tally
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

_SLICE = ("doc_id", "text", "char_start", "char_end")
CROSS_COLUMNS: dict[str, dict[str, tuple[str, ...]]] = {
    "paragraphs.doc_id_in_documents": {"paragraphs": ("doc_id",), "documents": ("doc_id",)},
    "sections.doc_id_in_documents": {"sections": ("doc_id",), "documents": ("doc_id",)},
    "documents.n_paragraphs_agree": {
        "documents": ("doc_id", "n_paragraphs"),
        "paragraphs": ("doc_id", "paragraph_index"),
    },
    "documents.n_sections_agree": {
        "documents": ("doc_id", "n_sections"),
        "sections": ("doc_id", "section_index"),
    },
    "paragraphs.offsets_slice_text": {"paragraphs": _SLICE, "documents": ("doc_id", "text")},
    "sections.offsets_slice_text": {"sections": _SLICE, "documents": ("doc_id", "text")},
    "sections.tile_paragraphs": {
        "sections": (
            "doc_id",
            "section_index",
            "paragraph_start",
            "paragraph_end",
            "char_start",
            "char_end",
        ),
        "paragraphs": ("doc_id", "paragraph_index", "section_index", "char_start", "char_end"),
        "documents": ("doc_id",),
    },
    "documents.text_sha256_matches": {"documents": ("doc_id", "text", "text_sha256")},
}
"""Name -> the columns of each table a cross-table check reads."""


@dataclass(frozen=True)
class _Span:
    start: object
    end: object
    section: object


def _tally(name: str) -> Tally:
    table, description = CROSS_CHECKS[name]
    return Tally(check=name, table=table, kind="cross", description=description)


def check_cross(docs: PyTable, paras: PyTable, secs: PyTable) -> list[Tally]:
    """Run every cross-table check whose columns the unit's tables hold.

    Args:
        docs: The unit's documents.
        paras: The unit's paragraphs.
        secs: The unit's sections.

    Returns:
        One tally per check run, in ``CROSS_CHECKS`` order; each failing row is sampled
        by key, with a finding naming the expected and the actual value.
    """
    tables = {t.name: t for t in (docs, paras, secs)}
    present = {name: set(t.arrow.column_names) for name, t in tables.items()}
    tallies = {
        name: _tally(name)
        for name in CROSS_CHECKS
        if all(set(cols) <= present[table] for table, cols in CROSS_COLUMNS[name].items())
    }
    ids = (
        {d for d in docs["doc_id"] if d is not None} if "doc_id" in present["documents"] else set()
    )
    texts = (
        {d: t for d, t in zip(docs["doc_id"], docs["text"], strict=True) if d is not None}
        if {"doc_id", "text"} <= present["documents"]
        else {}
    )
    for table in (paras, secs):
        if f"{table.name}.doc_id_in_documents" in tallies:
            _check_exists(table, ids, tallies[f"{table.name}.doc_id_in_documents"])
        if f"{table.name}.offsets_slice_text" in tallies:
            _check_slices(table, texts, tallies[f"{table.name}.offsets_slice_text"])
    if "sections.tile_paragraphs" in tallies:
        _check_tiling(secs, paras, ids, tallies["sections.tile_paragraphs"])
    for table, column, name in (
        (paras, "paragraph_index", "documents.n_paragraphs_agree"),
        (secs, "section_index", "documents.n_sections_agree"),
    ):
        if name in tallies:
            _check_count(docs, table, column, tallies[name])
    if "documents.text_sha256_matches" in tallies:
        _check_hashes(docs, tallies["documents.text_sha256_matches"])
    return list(tallies.values())


def _report(tally: Tally, elements: int, bad: list[dict[str, Any]]) -> None:
    """Add ``elements`` checked and the ``bad`` findings (each with its row key) to a tally."""
    first = bad[:SAMPLE_LIMIT]
    tally.add(elements, len(bad), [str(f["row"]) for f in first], first)


def _check_exists(table: PyTable, ids: set[object], tally: Tally) -> None:
    bad = [
        {
            "row": table.key(row),
            "column": "doc_id",
            "expected": "a doc_id of documents",
            "actual": shown(doc_id),
        }
        for row, doc_id in enumerate(table["doc_id"])
        if doc_id not in ids
    ]
    _report(tally, len(table), bad)


def _check_slices(table: PyTable, texts: dict[str, str], tally: Tally) -> None:
    bad = []
    checked = 0
    rows = zip(table["doc_id"], table["text"], table["char_start"], table["char_end"], strict=True)
    for row, (doc_id, text, start, end) in enumerate(rows):
        # A row without its document is the doc_id_in_documents check's finding, not this one's.
        if doc_id not in texts:
            continue
        checked += 1
        found = _slice(texts[doc_id], start, end)
        if found is None or found != text:
            expected, actual = shown_pair(text, found)
            bad.append(
                {
                    "row": table.key(row),
                    "char_start": shown(start),
                    "char_end": shown(end),
                    "expected": expected,
                    "actual": actual if found is not None else "offsets outside the text",
                }
            )
    _report(tally, checked, bad)


def _slice(text: object, start: object, end: object) -> str | None:
    """``text[start:end]``, or None when the offsets are not a span of a ``text``."""
    if not isinstance(text, str) or not isinstance(start, int) or not isinstance(end, int):
        return None
    return text[start:end] if 0 <= start <= end <= len(text) else None


def _check_tiling(secs: PyTable, paras: PyTable, ids: set[object], tally: Tally) -> None:
    spans: dict[tuple[object, object], _Span] = {}
    counts: dict[object, int] = defaultdict(int)
    rows = zip(
        paras["doc_id"],
        paras["paragraph_index"],
        paras["char_start"],
        paras["char_end"],
        paras["section_index"],
        strict=True,
    )
    for doc_id, index, start, end, section in rows:
        # Each paragraph index counted once: a repeated one is the key check's finding.
        if (doc_id, index) not in spans:
            counts[doc_id] += 1
        spans[(doc_id, index)] = _Span(start, end, section)
    by_doc: dict[object, list[int]] = defaultdict(list)
    for row, doc_id in enumerate(secs["doc_id"]):
        if doc_id in ids:
            by_doc[doc_id].append(row)
    bad = []
    for doc_id, members in by_doc.items():
        problem = _tiling_problem(secs, members, doc_id, spans, counts.get(doc_id, 0))
        if problem is not None:
            what, expected, actual = problem
            bad.append(
                {
                    "row": row_key("documents", doc_id),
                    "column": what,
                    "expected": shown(expected),
                    "actual": shown(actual),
                }
            )
    _report(tally, len(by_doc), bad)


def _tiling_problem(
    secs: PyTable,
    rows: list[int],
    doc_id: object,
    spans: dict[tuple[object, object], _Span],
    paragraphs: int,
) -> tuple[str, object, object] | None:
    """The first way one document's sections fail to tile its paragraphs, or None.

    Returns:
        ``(what, expected, actual)``: the section's column and the values it should and
        does hold.
    """
    index, starts, ends = secs["section_index"], secs["paragraph_start"], secs["paragraph_end"]
    # An index that is not an integer sorts first and fails the section_index test at once.
    ordered = sorted(rows, key=lambda r: index[r] if isinstance(index[r], int) else -1)
    expected_start = 0
    for position, row in enumerate(ordered):
        start, end = starts[row], ends[row]
        where = f"section {position}"
        if index[row] != position:
            return f"{where}: section_index", position, index[row]
        if start != expected_start:
            return f"{where}: paragraph_start", expected_start, start
        if not isinstance(end, int) or not expected_start < end <= paragraphs:
            return f"{where}: paragraph_end", f"{expected_start + 1} to {paragraphs}", end
        for number in range(start, end):
            member = spans.get((doc_id, number))
            if member is None:
                return f"{where}: paragraph {number}", "a paragraph row", None
            if member.section != position:
                return f"{where}: paragraph {number} section_index", position, member.section
        first, last = spans[(doc_id, start)], spans[(doc_id, end - 1)]
        offsets = (secs["char_start"][row], secs["char_end"][row])
        if offsets != (first.start, last.end):
            return f"{where}: char_start, char_end", [first.start, last.end], list(offsets)
        expected_start = end
    if expected_start != paragraphs:
        return "paragraphs covered", paragraphs, expected_start
    return None


def _check_count(docs: PyTable, table: PyTable, column: str, tally: Tally) -> None:
    indexes: dict[object, list[object]] = defaultdict(list)
    for doc_id, index in zip(table["doc_id"], table[column], strict=True):
        indexes[doc_id].append(index)
    expected_column = "n_paragraphs" if table.name == "paragraphs" else "n_sections"
    bad = []
    for row, (doc_id, count) in enumerate(zip(docs["doc_id"], docs[expected_column], strict=True)):
        found = sorted(indexes.get(doc_id, []), key=_order)
        if count != len(found) or found != list(range(len(found))):
            finding = {
                "row": docs.key(row),
                "column": expected_column,
                "expected": shown(count),
                "actual": len(found),
            }
            if count == len(found):
                finding |= {"expected": f"{column} 0 to {len(found) - 1}", "actual": shown(found)}
            bad.append(finding)
    _report(tally, len(docs), bad)


def _order(value: object) -> int:
    return value if isinstance(value, int) else -1


def _check_hashes(docs: PyTable, tally: Tally) -> None:
    bad = []
    hashes = docs["text_sha256"]
    for row, data in enumerate(_utf8_views(docs.arrow.column("text"))):
        digest = hashlib.sha256(data).hexdigest() if data is not None else None
        if digest is None or digest != hashes[row]:
            bad.append(
                {
                    "row": docs.key(row),
                    "column": "text_sha256",
                    "expected": digest if digest is not None else "the sha256 of a text (null)",
                    "actual": shown(hashes[row]),
                }
            )
    _report(tally, len(docs), bad)


def _utf8_views(column: pa.ChunkedArray) -> Iterator[memoryview | None]:
    """Yield the UTF-8 bytes of each string of a column without decoding them."""
    for chunk in column.chunks:
        validity, offsets_buffer, data_buffer = chunk.buffers()
        # string columns (not large_string) have 32-bit offsets; a sliced chunk starts at its own
        # offset in the buffers.
        offsets = np.frombuffer(offsets_buffer, dtype=np.int32)
        offsets = offsets[chunk.offset : chunk.offset + len(chunk) + 1].tolist()
        data = memoryview(data_buffer) if data_buffer is not None else memoryview(b"")
        valid = chunk.is_valid().to_numpy(zero_copy_only=False) if validity else None
        for i in range(len(chunk)):
            if valid is not None and not valid[i]:
                yield None
            else:
                yield data[offsets[i] : offsets[i + 1]]
