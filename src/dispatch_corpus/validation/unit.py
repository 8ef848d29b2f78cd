"""Validate one range of rows: narrow-column suites, or a unit with every other check."""

from __future__ import annotations

import gc
from collections import Counter
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from dispatch_corpus.models import TABLE_MODELS, Role
from dispatch_corpus.schema import columns
from dispatch_corpus.validation.cross import check_cross, texts_in_documents
from dispatch_corpus.validation.dataset import (
    Unit,
    UnitReader,
    ValidationInputError,
    rows_in_range,
)
from dispatch_corpus.validation.model_checks import check_rows_with_model
from dispatch_corpus.validation.results import Tally
from dispatch_corpus.validation.rows import PyTable
from dispatch_corpus.validation.shares import SHARE_COLUMNS, ShareCounter
from dispatch_corpus.validation.suites import SuiteEvaluator

# role is stored as its ClassLabel index: its position in the enum.
_LEAD = list(Role).index(Role.LEAD)


@dataclass(frozen=True)
class UnitOutcome:
    """The tallies of the checks run on one range of rows, and its rows per table."""

    tallies: tuple[Tally, ...]
    rows: dict[str, int]


def validate_narrow(reader: UnitReader, unit: Unit, runner: SuiteEvaluator) -> UnitOutcome:
    """Run the expectations on every column but the wide ones over one range of rows.

    Args:
        reader: Reads the range's rows, without the wide columns.
        unit: The ``doc_id`` range.
        runner: What runs the suites (the Arrow engine, or Great Expectations).

    Returns:
        One tally per expectation run (row counts are those of ``validate_unit``).
    """
    tables = {name: reader.read(name, unit) for name in TABLE_MODELS}
    return UnitOutcome(tuple(_run_suites(tables, runner, wide=False)), {})


def validate_unit(reader: UnitReader, unit: Unit, runner: SuiteEvaluator | None) -> UnitOutcome:
    """Run the wide-column expectations, record and cross-table checks on one unit.

    Args:
        reader: Reads the unit's rows from the dataset's shards.
        unit: The ``doc_id`` range to validate.
        runner: What runs the suites (the Arrow engine, or Great Expectations); None when
            the suites run elsewhere (on Spark, over whole tables).

    Returns:
        Tallies in a fixed order (suites, records, cross) and the unit's row counts.

    Raises:
        ValidationInputError: When a shard cannot be read.
    """
    # The rows a check cannot prove right become Python objects (all of them, in a badly broken
    # unit): with the collector on, those allocations set off collections that walk every live
    # object again.
    gc.disable()
    try:
        tables = {name: reader.read(name, unit) for name in TABLE_MODELS}
        _check_deferred_utf8(reader, tables)
        tallies = _run_suites(tables, runner, wide=True) if runner is not None else []
        merged: dict[str, Tally] = {}
        for low, high in unit.parts:
            part = {name: rows_in_range(t, low, high) for name, t in tables.items()}
            for tally in _check_part(part):
                if tally.check in merged:
                    merged[tally.check].merge(tally)
                else:
                    merged[tally.check] = tally
    finally:
        gc.enable()
    rows = {name: table.num_rows for name, table in tables.items()}
    return UnitOutcome((*tallies, *merged.values()), rows)


DEFERRED_UTF8 = {"paragraphs": frozenset({"text"}), "sections": frozenset({"text"})}
"""Columns whose UTF-8 check ``validate_unit`` makes (``UnitReader(defer_utf8=...)``).

They repeat the documents' text: checking only the rows not proven pieces of it
(``cross.texts_in_documents``) leaves a third of the text to check, not all of it.
"""


def _check_deferred_utf8(reader: UnitReader, tables: dict[str, pa.Table]) -> None:
    """Check the UTF-8 of the deferred text columns where the documents' text does not prove it."""
    docs = PyTable("documents", tables["documents"])
    whole = all(docs.has(column) for column in ("doc_id", "text"))
    for name in DEFERRED_UTF8:
        if not reader.deferred(name):
            continue
        rows = PyTable(name, tables[name])
        proven = (
            texts_in_documents(rows, docs)
            if whole and rows.has("doc_id") and rows.has("text")
            else np.zeros(len(rows), bool)
        )
        reader.check_utf8(name, tables[name], np.flatnonzero(~proven))


def _run_suites(tables: dict[str, pa.Table], runner: SuiteEvaluator, *, wide: bool) -> list[Tally]:
    derived = {} if wide else {"documents": _document_columns(tables, runner)}
    tallies: list[Tally] = []
    for name, table in tables.items():
        batch = runner.batch(name, table, derived.get(name))
        tallies += runner.run(name, batch, PyTable(name, table).key, wide=wide)
    return tallies


def _check_part(tables: dict[str, pa.Table]) -> list[Tally]:
    """Record checks of the tables read whole, and the cross-table checks they allow."""
    part = {name: PyTable(name, table) for name, table in tables.items()}
    tallies = [
        check_rows_with_model(rows)
        for name, rows in part.items()
        # A record check needs every column of its model; without one it is reported not run
        # (coverage).
        if all(c.name in rows.arrow.column_names for c in columns(TABLE_MODELS[name]))
    ]
    return tallies + check_cross(part["documents"], part["paragraphs"], part["sections"])


def _document_columns(tables: dict[str, pa.Table], runner: SuiteEvaluator) -> dict[str, pa.Array]:
    """The derived columns the documents suite reads, computed from the unit's tables."""
    found = {}
    shares = ShareCounter(tables)
    for name in runner.suites["documents"].derived_columns:
        if name == "lead_paragraphs":
            found[name] = _lead_counts(tables)
        elif name in SHARE_COLUMNS:
            found[name] = shares.share(name)
        else:
            raise ValidationInputError(f"suite documents: no form for derived column {name!r}")
    return found


def _lead_counts(tables: dict[str, pa.Table]) -> pa.Array:
    paragraphs = tables["paragraphs"]
    leads = paragraphs.filter(pc.equal(paragraphs["role"], _LEAD))
    counts = Counter(leads["doc_id"].to_pylist())
    ids = tables["documents"]["doc_id"].to_pylist()
    return pa.array([counts.get(doc_id, 0) for doc_id in ids], type=pa.int64())
