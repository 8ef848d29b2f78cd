"""Cross-table checks the expectation suites cannot express: they join the three tables.

Each check proves most rows right with Arrow and numpy over whole columns (a document's
paragraphs or sections, joined by a blank line, are its text; indexes run 0..n-1; sections
tile the paragraphs), and gives the rows it cannot prove to the plain Python rule, which
decides them and says why: the verdicts and findings are the rule's.

Every check runs on one unit (a ``doc_id`` range holding whole documents), so each is exact
over the dataset once the units' tallies are added up. A check runs only when the unit's
tables hold every column it reads (``CROSS_COLUMNS``): a column missing from a shard, or of
the wrong type, is not read at all, and the checks reading it are reported as not run.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

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
        pc.unique(docs.array("doc_id").drop_null())
        if "doc_id" in present["documents"]
        else pa.array([], type=pa.string())
    )
    for table in (paras, secs):
        if f"{table.name}.doc_id_in_documents" in tallies:
            _check_exists(table, ids, tallies[f"{table.name}.doc_id_in_documents"])
        if f"{table.name}.offsets_slice_text" in tallies:
            _check_slices(table, docs, tallies[f"{table.name}.offsets_slice_text"])
    if "sections.tile_paragraphs" in tallies:
        _check_tiling(secs, paras, ids, tallies["sections.tile_paragraphs"])
    for table, column, name in (
        (paras, "paragraph_index", "documents.n_paragraphs_agree"),
        (secs, "section_index", "documents.n_sections_agree"),
    ):
        if name in tallies:
            _check_count(docs, table, column, ids, tallies[name])
    if "documents.text_sha256_matches" in tallies:
        _check_hashes(docs, tallies["documents.text_sha256_matches"])
    return list(tallies.values())


def _report(tally: Tally, elements: int, bad: list[dict[str, Any]]) -> None:
    """Add ``elements`` checked and the ``bad`` findings (each with its row key) to a tally."""
    first = bad[:SAMPLE_LIMIT]
    tally.add(elements, len(bad), [str(f["row"]) for f in first], first)


def _bools(array: pa.Array, null: bool) -> np.ndarray:
    return np.asarray(array.fill_null(null).to_numpy(zero_copy_only=False), dtype=bool)


def _ints(table: PyTable, column: str, null: int = -1) -> np.ndarray:
    """A column of integers as int64, nulls as ``null``."""
    values = table.array(column).fill_null(null)
    return np.asarray(values.to_numpy(zero_copy_only=False), dtype=np.int64)


def _codes(table: PyTable, ids: pa.Array) -> np.ndarray:
    """Each row's document as a position in ``ids`` (-1: a null doc_id, or none of them)."""
    found = pc.index_in(table.array("doc_id"), value_set=ids, skip_nulls=True)
    return np.asarray(found.fill_null(-1).to_numpy(zero_copy_only=False), dtype=np.int64)


@dataclass(frozen=True)
class _Runs:
    """Runs of consecutive rows of one document: where each starts, each row's place in it."""

    first: np.ndarray
    run: np.ndarray
    place: np.ndarray
    code: np.ndarray

    def all(self, ok: np.ndarray) -> np.ndarray:
        """Per run, whether ``ok`` holds on each of its rows."""
        if len(ok) == 0:
            return np.zeros(0, bool)
        return np.asarray(np.logical_and.reduceat(ok, self.first), dtype=bool)

    def single(self, documents: int) -> np.ndarray:
        """Per document code, whether its rows form exactly one run."""
        codes = self.code[self.first]
        return np.asarray(np.bincount(codes[codes >= 0], minlength=documents) == 1, dtype=bool)


def _runs(codes: np.ndarray) -> _Runs:
    starts = np.ones(len(codes), bool)
    starts[1:] = codes[1:] != codes[:-1]
    first = np.flatnonzero(starts)
    run = np.cumsum(starts) - 1
    return _Runs(first, run, np.arange(len(codes)) - first[run], codes)


def _check_exists(table: PyTable, ids: pa.Array, tally: Tally) -> None:
    inside = _bools(pc.is_in(table.array("doc_id"), value_set=ids, skip_nulls=True), False)
    bad = [
        {
            "row": table.key(int(row)),
            "column": "doc_id",
            "expected": "a doc_id of documents",
            "actual": shown(table.array("doc_id")[int(row)].as_py()),
        }
        for row in np.flatnonzero(~inside)[:SAMPLE_LIMIT]
    ]
    tally.add(len(table), int((~inside).sum()), [str(f["row"]) for f in bad], bad)


def _check_slices(table: PyTable, docs: PyTable, tally: Tally) -> None:
    # Each row is sliced from the last document row of its doc_id, as a dict of them would.
    count = len(docs)
    backwards = docs.array("doc_id").take(pa.array(np.arange(count - 1, -1, -1)))
    found = _codes(table, backwards)
    checked = found >= 0
    document = np.where(checked, count - 1 - found, -1)
    suspects = np.flatnonzero(checked & ~_slices_proven(table, docs, document))
    bad = []
    if len(suspects):
        rows = table.take(suspects)
        texts = docs.take(document[suspects]).array("text").to_pylist()
        values = zip(rows["text"], rows["char_start"], rows["char_end"], texts, strict=True)
        for row, (text, start, end, whole) in enumerate(values):
            sliced = _slice(whole, start, end)
            if sliced is None or sliced != text:
                expected, actual = shown_pair(text, sliced)
                bad.append(
                    {
                        "row": rows.key(row),
                        "char_start": shown(start),
                        "char_end": shown(end),
                        "expected": expected,
                        "actual": actual if sliced is not None else "offsets outside the text",
                    }
                )
    _report(tally, int(checked.sum()), bad)


def _slices_proven(table: PyTable, docs: PyTable, document: np.ndarray) -> np.ndarray:
    """Rows whose offsets surely slice their text out of the document's.

    A run of rows of one document whose texts, joined by a blank line, are the document's
    text, each starting two characters after the previous one ends (the first at 0), is
    proven: each row's offsets then slice exactly its text.
    """
    if len(table) == 0 or len(docs) == 0:
        return np.zeros(len(table), bool)
    runs = _runs(document)
    start, end = _ints(table, "char_start"), _ints(table, "char_end")
    lengths = table.lengths("text")
    previous_end = np.concatenate([[0], end[:-1]])
    expected = np.where(runs.place == 0, 0, previous_end + 2)
    row_ok = (document >= 0) & (lengths >= 0) & (start == expected) & (end == start + lengths)
    row_ok &= _bools(table.array("char_start").is_valid(), False)
    row_ok &= _bools(table.array("char_end").is_valid(), False)
    run_ok = runs.all(row_ok) & _runs_join_to_their_texts(table, docs, document, runs)
    return np.asarray(run_ok[runs.run], dtype=bool)


def texts_in_documents(table: PyTable, docs: PyTable) -> np.ndarray:
    """Rows whose ``text`` is a piece of a document's text cut at blank lines.

    Proven: a run of rows of one ``doc_id`` whose texts, joined by a blank line, are the
    text of a document with that ``doc_id``, byte for byte. Each of those texts is then valid
    UTF-8 when the document's is: it is cut next to a line break, an ASCII byte that no
    character's encoding holds inside it.

    Args:
        table: Rows with ``doc_id`` and ``text`` (paragraphs or sections).
        docs: The documents of the same range, with ``doc_id`` and ``text``.

    Returns:
        One boolean per row of ``table``.
    """
    if len(table) == 0 or len(docs) == 0:
        return np.zeros(len(table), bool)
    document = _codes(table, docs.array("doc_id"))
    runs = _runs(document)
    run_ok = _runs_join_to_their_texts(table, docs, document, runs)
    return np.asarray(run_ok[runs.run], dtype=bool)


def _runs_join_to_their_texts(
    table: PyTable, docs: PyTable, document: np.ndarray, runs: _Runs
) -> np.ndarray:
    """Per run of rows: whether their texts joined by a blank line are their document's text."""
    offsets = pa.array(np.concatenate([runs.first, [len(table)]]), type=pa.int32())
    joined = pc.binary_join(pa.ListArray.from_arrays(offsets, table.array("text")), "\n\n")
    owners = document[runs.first]
    texts = docs.array("text")
    # Rows in document order (a build's) need no copy of the documents' texts.
    if not np.array_equal(owners, np.arange(len(docs))):
        texts = texts.take(pa.array(np.where(owners >= 0, owners, 0)))
    return np.asarray(_bools(pc.equal(joined, texts), False) & (owners >= 0), dtype=bool)


def _slice(text: object, start: object, end: object) -> str | None:
    """``text[start:end]``, or None when the offsets are not a span of a ``text``."""
    if not isinstance(text, str) or not isinstance(start, int) or not isinstance(end, int):
        return None
    return text[start:end] if 0 <= start <= end <= len(text) else None


def _check_tiling(secs: PyTable, paras: PyTable, ids: pa.Array, tally: Tally) -> None:
    codes = _codes(secs, ids)
    checked = np.unique(codes[codes >= 0])
    suspects = np.setdiff1d(checked, np.flatnonzero(_tilings_proven(secs, paras, ids, codes)))
    bad: list[dict[str, Any]] = []
    if len(suspects):
        wanted = ids.take(pa.array(suspects))
        bad = _tiling_findings(
            secs.take(np.flatnonzero(np.isin(codes, suspects))),
            paras.take(np.flatnonzero(np.isin(_codes(paras, ids), suspects))),
            set(wanted.to_pylist()),
        )
    _report(tally, len(checked), bad)


def _tilings_proven(secs: PyTable, paras: PyTable, ids: pa.Array, codes: np.ndarray) -> np.ndarray:
    """Per document of ``ids``, whether its sections surely tile its paragraphs.

    Proven: the document's sections are one run of rows indexed 0..k-1, each starting where
    the previous one ends (the first at 0) and ending after it starts, the last at the
    paragraph count; its paragraphs one run indexed 0..n-1, each in the section whose range
    holds it; each section's offsets those of its first and last paragraph.
    """
    documents = len(ids)
    if documents == 0 or len(secs) == 0:
        return np.zeros(documents, bool)
    pcodes = _codes(paras, ids)
    sruns, pruns = _runs(codes), _runs(pcodes)
    first_para, last_para = _ints(secs, "paragraph_start"), _ints(secs, "paragraph_end")
    previous = np.concatenate([[0], last_para[:-1]])
    row_ok = (codes >= 0) & (_ints(secs, "section_index") == sruns.place)
    row_ok &= first_para == np.where(sruns.place == 0, 0, previous)
    row_ok &= last_para > first_para
    for column in ("char_start", "char_end"):
        row_ok &= _bools(secs.array(column).is_valid(), False)
    paras_ok = (pcodes >= 0) & (_ints(paras, "paragraph_index") == pruns.place)
    for column in ("section_index", "char_start", "char_end"):
        paras_ok &= _bools(paras.array(column).is_valid(), False)
    ok = np.zeros(documents, bool)
    count = np.zeros(documents, np.int64)
    base = np.zeros(documents, np.int64)
    if len(paras):
        pfirst = pruns.first
        pcode = pcodes[pfirst]
        valid = pcode >= 0
        single = pruns.single(documents)
        count[pcode[valid]] = np.diff(np.concatenate([pfirst, [len(paras)]]))[valid]
        base[pcode[valid]] = pfirst[valid]
        para_doc_ok = np.zeros(documents, bool)
        para_doc_ok[pcode[valid]] = pruns.all(paras_ok)[valid]
        ok = para_doc_ok & single
    scode = codes[sruns.first]
    svalid = scode >= 0
    last_row = np.concatenate([sruns.first[1:], [len(secs)]]) - 1
    sec_ok = np.zeros(documents, bool)
    sec_ok[scode[svalid]] = (sruns.all(row_ok) & (last_para[last_row] == count[scode]))[svalid]
    ok &= sec_ok & sruns.single(documents)
    # Offsets and paragraph membership, read only where the ranges above hold.
    rows = np.flatnonzero(ok[np.where(codes >= 0, codes, 0)] & (codes >= 0))
    if len(rows) == 0:
        return ok
    doc = codes[rows]
    low, high = base[doc] + first_para[rows], base[doc] + last_para[rows]
    para_start, para_end = _ints(paras, "char_start"), _ints(paras, "char_end")
    agree = (_ints(secs, "char_start")[rows] == para_start[low]) & (
        _ints(secs, "char_end")[rows] == para_end[high - 1]
    )
    sizes = high - low
    members = np.repeat(low, sizes) + (
        np.arange(sizes.sum()) - np.repeat(np.cumsum(sizes) - sizes, sizes)
    )
    member_ok = _ints(paras, "section_index")[members] == np.repeat(sruns.place[rows], sizes)
    wrong = np.concatenate([doc[~agree], np.repeat(doc, sizes)[~member_ok]])
    ok[wrong] = False
    return ok


def _tiling_findings(secs: PyTable, paras: PyTable, ids: set[object]) -> list[dict[str, Any]]:
    """The plain rule: each document's first tiling problem, in order of its first section."""
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
    return bad


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


def _check_count(docs: PyTable, table: PyTable, column: str, ids: pa.Array, tally: Tally) -> None:
    expected_column = "n_paragraphs" if table.name == "paragraphs" else "n_sections"
    codes = _codes(table, ids)
    doc_codes = _codes(docs, ids)
    runs = _runs(codes)
    # One spare slot: rows of documents with a null doc_id point at it, and are never proven.
    found = np.bincount(codes[codes >= 0], minlength=len(ids) + 1)
    perfect = np.zeros(len(ids) + 1, bool)
    if len(table):
        owners = codes[runs.first]
        valid = owners >= 0
        indexed = runs.all(_ints(table, column) == runs.place)
        perfect[owners[valid]] = indexed[valid]
        perfect &= runs.single(len(ids) + 1)
    stored = _ints(docs, expected_column, null=-2)
    known = doc_codes >= 0
    mine = np.where(known, doc_codes, len(ids))
    proven = known & (stored == found[mine]) & ((found[mine] == 0) | perfect[mine])
    suspects = np.flatnonzero(~proven)
    bad: list[dict[str, Any]] = []
    if len(suspects):
        part = docs.take(suspects)
        wanted = set(part["doc_id"])
        inside = _bools(
            pc.is_in(
                table.array("doc_id"),
                value_set=ids.take(
                    pa.array(np.unique(doc_codes[suspects][doc_codes[suspects] >= 0]))
                ),
            ),
            False,
        )
        if None in wanted:
            inside |= _bools(table.array("doc_id").is_null(), False)
        bad = _count_findings(part, table.take(np.flatnonzero(inside)), column, expected_column)
    _report(tally, len(docs), bad)


def _count_findings(
    docs: PyTable, table: PyTable, column: str, expected_column: str
) -> list[dict[str, Any]]:
    """The plain rule: documents whose count or indexes disagree with the table's rows."""
    indexes: dict[object, list[object]] = defaultdict(list)
    for doc_id, index in zip(table["doc_id"], table[column], strict=True):
        indexes[doc_id].append(index)
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
    return bad


def _order(value: object) -> int:
    return value if isinstance(value, int) else -1


def _check_hashes(docs: PyTable, tally: Tally) -> None:
    digests = docs.digests("text")
    wrong = np.flatnonzero(~_bools(pc.equal(digests, docs.array("text_sha256")), False))
    bad = []
    for row in wrong[:SAMPLE_LIMIT]:
        digest = digests[int(row)].as_py()
        bad.append(
            {
                "row": docs.key(int(row)),
                "column": "text_sha256",
                "expected": digest if digest is not None else "the sha256 of a text (null)",
                "actual": shown(docs.array("text_sha256")[int(row)].as_py()),
            }
        )
    tally.add(len(docs), len(wrong), [str(f["row"]) for f in bad], bad)
