"""The models compiled to Arrow compute: which rows of a table its Pydantic model rejects.

Pydantic over row dicts checks about 35,000 rows a second per core; these checks read the
Arrow columns as they are. They are derived from the models when first used, so the models
stay the one source of truth:

- each field's storage kind and nullability (``schema.columns``) and its constraints, read
  from the field's metadata: ``ge``/``gt``/``le``/``lt``, ``min_length``/``max_length`` (code
  points), ``pattern`` (matched by RE2, which reads these patterns as Pydantic's Rust
  engine does: ``$`` only at the very end, classes as written), ``allow_inf_nan``, enum
  members (a ClassLabel index must name one, a class name must be one; a list of enum
  members must hold members only). A constraint of a kind not listed here stops the
  compilation instead of being skipped;
- each model's own rules (its ``model_validator``, which is code: ids, spans, a class name
  that agrees with its ClassLabel index) have their vectorised twin in ``ROW_RULES``; a
  model with a validator and no twin stops the compilation too.

A property test (tests/validation/test_compiled_checks.py) gives both random tables, valid
rows and rows broken one constraint at a time, and asserts they reject the same rows.
The rows rejected are then explained by Pydantic itself (``model_checks``).
"""

from __future__ import annotations

import sys
import types
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from enum import Enum
from functools import cache
from typing import Annotated, Any, Union, get_args, get_origin

import annotated_types
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from pydantic.fields import FieldInfo

from dispatch_corpus.models import (
    ClassLabelled,
    ClassName,
    Document,
    Float32,
    Int32,
    Paragraph,
    Record,
    Section,
)
from dispatch_corpus.schema import Column, columns
from dispatch_corpus.validation.rows import PyTable

_EPOCH = date(1970, 1, 1)
DATE_DAYS = ((date.min - _EPOCH).days, (date.max - _EPOCH).days)
"""The date32 values a Python ``date`` can hold (days from 1970-01-01): others cannot be
validated by the model at all, and are rejected."""
_MARKERS = (Int32, Float32, ClassLabelled, ClassName)
_BOUNDS: dict[type[Any], tuple[str, Callable[..., Any]]] = {
    annotated_types.Ge: ("ge", pc.greater_equal),
    annotated_types.Gt: ("gt", pc.greater),
    annotated_types.Le: ("le", pc.less_equal),
    annotated_types.Lt: ("lt", pc.less),
}

_BOUNDS_BY_KEY = dict(_BOUNDS.values())

Rows = np.ndarray
"""One boolean per row of a table: True where the row is rejected."""


@dataclass(frozen=True)
class FieldCheck:
    """What one field accepts, as read from the model."""

    column: Column
    bounds: tuple[tuple[str, Any], ...] = ()
    """``(ge|gt|le|lt, limit)`` pairs."""
    min_length: int | None = None
    max_length: int | None = None
    pattern: str | None = None
    finite: bool = False
    members: tuple[str, ...] | None = None
    """Values of the enum the items of a list must be (None: any string)."""


@dataclass(frozen=True)
class Rejection:
    """The rows one compiled check rejects, and what it checks."""

    check: str
    rows: Rows


def _flatten(annotation: Any) -> tuple[Any, list[Any]]:
    """Return the base type of a field annotation and every constraint object around it."""
    metadata: list[Any] = []
    if get_origin(annotation) in (Union, types.UnionType):
        (annotation,) = [a for a in get_args(annotation) if a is not type(None)]
    if get_origin(annotation) is Annotated:
        annotation, *metadata = get_args(annotation)
    flat: list[Any] = []
    for item in metadata:
        flat += item.metadata if isinstance(item, FieldInfo) else [item]
    return annotation, flat


@cache
def field_checks(model: type[Record]) -> tuple[FieldCheck, ...]:
    """Compile the fields of a row model.

    Raises:
        TypeError: When a field carries a constraint with no compiled form, or the model
            has its own validator with no twin in ``ROW_RULES``.
    """
    if model.__pydantic_decorators__.model_validators and model not in ROW_RULES:
        raise TypeError(f"{model.__name__}: model validator without a compiled twin")
    compiled = []
    stored = {c.name: c for c in columns(model)}
    for name, info in model.model_fields.items():
        base, inner = _flatten(info.annotation)
        found: dict[str, Any] = {"bounds": []}
        for item in [*info.metadata, *inner]:
            _read_constraint(model, name, item, found)
        members = None
        if get_origin(base) is list:
            (item_type,) = get_args(base)
            if isinstance(item_type, type) and issubclass(item_type, Enum):
                members = tuple(str(m.value) for m in item_type)
            elif item_type is not str:
                raise TypeError(f"{model.__name__}.{name}: no compiled form for {base!r}")
        compiled.append(
            FieldCheck(
                column=stored[name],
                bounds=tuple(found.pop("bounds")),
                members=members,
                **found,
            )
        )
    return tuple(compiled)


def _read_constraint(model: type[Record], name: str, item: Any, found: dict[str, Any]) -> None:
    if isinstance(item, _MARKERS):
        return
    if type(item) in _BOUNDS:
        key = _BOUNDS[type(item)][0]
        found["bounds"].append((key, getattr(item, key)))
    elif isinstance(item, annotated_types.MinLen):
        found["min_length"] = item.min_length
    elif isinstance(item, annotated_types.MaxLen):
        found["max_length"] = item.max_length
    else:
        # Pydantic keeps pattern and allow_inf_nan as attributes of its own metadata objects.
        settings = {k: v for k, v in getattr(item, "__dict__", {}).items() if v is not None}
        unknown = set(settings) - {"pattern", "allow_inf_nan"}
        if unknown or not settings:
            raise TypeError(f"{model.__name__}.{name}: no compiled form for {item!r}")
        if "pattern" in settings:
            found["pattern"] = settings["pattern"]
        if settings.get("allow_inf_nan") is False:
            found["finite"] = True


def rejections(rows: PyTable, model: type[Record]) -> list[Rejection]:
    """Return, per compiled check of ``model``, the rows of ``rows`` it rejects.

    Args:
        rows: One table's rows, holding every column of the model.
        model: The table's row model.

    Returns:
        One rejection per field (``<table>.<field>``) and one for the model's own rules
        (``<table>.<Model> rules``, evaluated where every field passes, as Pydantic runs a
        validator only on valid fields).
    """
    found = [
        Rejection(f"{rows.name}.{c.column.name}", _field_rejects(rows, c))
        for c in field_checks(model)
    ]
    fields_pass = (
        ~np.logical_or.reduce([r.rows for r in found]) if found else np.ones(len(rows), bool)
    )
    rule = ROW_RULES.get(model)
    if rule is not None:
        found.append(Rejection(f"{rows.name}.{model.__name__} rules", rule(rows) & fields_pass))
    return found


def rejected_rows(rows: PyTable, model: type[Record]) -> Rows:
    """Return whether the model rejects each row of ``rows`` (``rejections`` combined)."""
    found = rejections(rows, model)
    return np.logical_or.reduce([r.rows for r in found]) if found else np.zeros(len(rows), bool)


def _bools(array: pa.Array | pa.ChunkedArray, null: bool) -> Rows:
    return np.asarray(array.fill_null(null).to_numpy(zero_copy_only=False), dtype=bool)


def _field_rejects(rows: PyTable, check: FieldCheck) -> Rows:
    column = check.column
    values = rows.array(column.name)
    # A null is rejected unless the field is optional; the other checks read non-null values.
    bad = np.zeros(len(rows), bool) if column.nullable else _bools(values.is_null(), False)
    if column.kind in ("int32", "float32"):
        numbers = values.cast(pa.float64()) if column.kind == "float32" else values
        if check.finite:
            bad |= ~_bools(pc.is_finite(numbers), True)
        for key, limit in check.bounds:
            bad |= ~_bools(_BOUNDS_BY_KEY[key](numbers, limit), True)
    elif column.kind == "class_label":
        inside = pc.and_(pc.greater_equal(values, 0), pc.less(values, len(column.class_names)))
        bad |= ~_bools(inside, True)
    elif column.kind == "class_name":
        bad |= ~_bools(pc.is_in(values, value_set=pa.array(column.class_names)), True)
    elif column.kind == "date32":
        days = values.cast(pa.int32())
        inside = pc.and_(pc.greater_equal(days, DATE_DAYS[0]), pc.less_equal(days, DATE_DAYS[1]))
        bad |= ~_bools(inside, True)
    elif column.kind == "string":
        bad |= _string_rejects(rows, check)
    elif column.kind == "string_list":
        bad |= _list_rejects(values, check)
    return bad


def _string_rejects(rows: PyTable, check: FieldCheck) -> Rows:
    name = check.column.name
    bad = np.zeros(len(rows), bool)
    if check.min_length is not None or check.max_length is not None:
        lengths = rows.lengths(name)
        valid = lengths >= 0
        if check.min_length is not None:
            bad |= valid & (lengths < check.min_length)
        if check.max_length is not None:
            bad |= valid & (lengths > check.max_length)
    if check.pattern is not None:
        bad |= ~_bools(pc.match_substring_regex(rows.array(name), check.pattern), True)
    return bad


def _list_rejects(values: pa.Array, check: FieldCheck) -> Rows:
    """Rows whose list holds a null, or (for a list of enum members) a value not a member."""
    items = pc.list_flatten(values)
    parents = np.asarray(pc.list_parent_indices(values).to_numpy(zero_copy_only=False))
    wrong = _bools(items.is_null(), False)
    if check.members is not None:
        wrong |= ~_bools(pc.is_in(items, value_set=pa.array(check.members)), False)
    bad = np.zeros(len(values), bool)
    bad[parents[wrong]] = True
    return bad


def _equal(left: pa.Array, right: pa.Array) -> Rows:
    """Where both sides are non-null and equal."""
    return _bools(pc.equal(left, right), False)


def _ids_match(rows: PyTable, id_column: str, index: str, letter: str) -> Rows:
    """Where ``id_column`` is ``<doc_id>/<letter><index, at least 4 digits>``."""
    digits = pc.utf8_lpad(pc.cast(rows.array(index), pa.string()), width=4, padding="0")
    built = pc.binary_join_element_wise(rows.array("doc_id"), digits, f"/{letter}")
    return _equal(rows.array(id_column), built)


def _span_matches(rows: PyTable) -> Rows:
    """Where ``char_end - char_start`` is the length of ``text`` in code points."""
    start = np.asarray(rows.array("char_start").fill_null(0).to_numpy(), dtype=np.int64)
    end = np.asarray(rows.array("char_end").fill_null(0).to_numpy(), dtype=np.int64)
    return np.asarray((end - start) == rows.lengths("text"), dtype=bool)


@cache
def _space_encodings() -> dict[int, np.ndarray]:
    """The UTF-8 bytes of each character ``str.strip`` removes, by length, as integers.

    ``str.split()`` cuts at those characters (``Py_UNICODE_ISSPACE``, as ``str.isspace``):
    split over every character in order, the ones missing between its pieces are exactly
    they.
    """
    codes = np.arange(sys.maxunicode + 1, dtype=np.uint32)
    # Surrogates (no character, so no space) cannot be decoded.
    every = codes[(codes < 0xD800) | (codes > 0xDFFF)].tobytes().decode("utf-32-le")
    spaces: list[int] = []
    expected = 0
    for piece in every.split():
        spaces += range(expected, ord(piece[0]))
        expected = ord(piece[-1]) + 1
    spaces += range(expected, sys.maxunicode + 1)
    found: dict[int, list[int]] = {}
    for code in spaces:
        encoded = chr(code).encode("utf-8")
        found.setdefault(len(encoded), []).append(int.from_bytes(encoded, "big"))
    return {size: np.array(sorted(codes), dtype=np.int64) for size, codes in found.items()}


def untrimmed(texts: pa.Array) -> Rows:
    """Where a text starts or ends with a character ``str.strip`` removes, or holds a line break.

    Read on the UTF-8 bytes (valid, as read): a character's encoding found whole at the start
    or the end of a string is its first or last character, since no encoding starts inside
    another.
    """
    # RE2 finds a literal with memchr, many times faster than match_substring's search.
    bad = _bools(pc.match_substring_regex(texts, "\n"), False)
    data, offsets = _bytes(texts)
    starts, ends = offsets[:-1], offsets[1:]
    lengths = ends - starts
    valid = _bools(texts.is_valid(), False)
    for size, codes in _space_encodings().items():
        fits = valid & (lengths >= size)
        if not fits.any():
            continue
        head = np.zeros(len(texts), dtype=np.int64)
        tail = np.zeros(len(texts), dtype=np.int64)
        for k in range(size):
            head = head << 8 | data[np.where(fits, starts + k, 0)].astype(np.int64)
            tail = tail << 8 | data[np.where(fits, ends - size + k, 0)].astype(np.int64)
        bad |= fits & (np.isin(head, codes) | np.isin(tail, codes))
    return bad


def _document_rules(rows: PyTable) -> Rows:
    """``Document._check_consistency``: rows it rejects (read where the fields are valid)."""
    chars = np.asarray(rows.array("n_chars").fill_null(-2).to_numpy(), dtype=np.int64)
    bad = np.asarray(rows.lengths("text") != chars, dtype=bool)
    bad |= ~_equal(rows.array("text_sha256"), rows.digests("text"))
    for count in ("n_paragraphs", "n_sections"):
        bad |= _bools(pc.less(rows.array(count), 1), False)
    dateline = rows.array("dateline")
    start, end = rows.array("dateline_start"), rows.array("dateline_end")
    has_line = _bools(dateline.is_valid(), False)
    has_span = _bools(start.is_valid(), False) & _bools(end.is_valid(), False)
    no_span = _bools(start.is_null(), False) & _bools(end.is_null(), False)
    bad |= ~has_line & ~no_span
    bad |= has_line & ~has_span
    slices = has_line & has_span
    if slices.any():
        where = np.flatnonzero(slices)
        part = rows.take(where)
        sliced = slice_texts(
            part.array("text"), part.array("dateline_start"), part.array("dateline_end")
        )
        bad[where] |= ~_equal(sliced, part.array("dateline"))
    bad |= _repeated_items(rows.array("flags"))
    bad |= _bools(pc.greater(rows.array("cluster_id"), rows.array("doc_id")), False)
    return bad


def _names_match(rows: PyTable, model: type[Record]) -> Rows:
    """Where every ``class_name`` column names the class its ClassLabel column holds."""
    match = np.ones(len(rows), bool)
    for column in columns(model):
        if column.kind == "class_name" and column.source is not None:
            # Out-of-range indices become null (the field check's finding) instead of raising.
            index = rows.array(column.source)
            inside = pc.and_(pc.greater_equal(index, 0), pc.less(index, len(column.class_names)))
            named = pc.take(pa.array(column.class_names), pc.if_else(inside, index, None))
            match &= _equal(named, rows.array(column.name))
    return match


def _paragraph_rules(rows: PyTable) -> Rows:
    """``Paragraph._check_consistency``: rows it rejects (read where the fields are valid)."""
    bad = ~_ids_match(rows, "paragraph_id", "paragraph_index", "p")
    bad |= ~_names_match(rows, Paragraph)
    bad |= ~_span_matches(rows)
    bad |= untrimmed(rows.array("text"))
    return bad


def _section_rules(rows: PyTable) -> Rows:
    """``Section._check_consistency``: rows it rejects (read where the fields are valid)."""
    bad = ~_ids_match(rows, "section_id", "section_index", "s")
    bad |= ~_names_match(rows, Section)
    bad |= _bools(pc.less_equal(rows.array("paragraph_end"), rows.array("paragraph_start")), False)
    bad |= ~_span_matches(rows)
    return bad


ROW_RULES: dict[type[Record], Callable[[PyTable], Rows]] = {
    Document: _document_rules,
    Paragraph: _paragraph_rules,
    Section: _section_rules,
}
"""The vectorised twin of each model's own validator."""


def _repeated_items(values: pa.Array) -> Rows:
    """Rows whose list holds one value twice."""
    items = pc.list_flatten(values)
    parents = np.asarray(pc.list_parent_indices(values).to_numpy(zero_copy_only=False))
    bad = np.zeros(len(values), bool)
    if len(items) == 0:
        return bad
    # A null item is the field check's finding: as code -1 it still pairs with its row.
    codes = pc.dictionary_encode(items).indices.fill_null(-1).to_numpy(zero_copy_only=False)
    pairs = parents * (len(items) + 1) + np.asarray(codes, dtype=np.int64) + 1
    pairs.sort()
    repeated = pairs[1:][pairs[1:] == pairs[:-1]]
    bad[repeated // (len(items) + 1)] = True
    return bad


def slice_texts(texts: pa.Array, starts: pa.Array, ends: pa.Array) -> pa.Array:
    """Return ``text[start:end]`` of each row, with Python's slicing of non-negative bounds.

    Args:
        texts: Strings (null gives null).
        starts: Code-point offsets (negative ones count as 0; null gives null).
        ends: Code-point offsets, clipped to the text as Python clips them.

    Returns:
        One string per row.
    """
    valid = _bools(pc.and_(pc.and_(texts.is_valid(), starts.is_valid()), ends.is_valid()), False)
    out: list[str | None] = [None] * len(texts)
    where = np.flatnonzero(valid)
    if len(where) == 0:
        return pa.array(out, type=pa.string())
    # Only the prefix up to the largest end is needed: offsets are bounded by each text.
    first = np.asarray(starts.take(where).to_numpy(zero_copy_only=False), dtype=np.int64).clip(0)
    last = np.asarray(ends.take(where).to_numpy(zero_copy_only=False), dtype=np.int64).clip(0)
    prefix = pc.utf8_slice_codeunits(texts.take(where), 0, int(last.max()))
    data, offsets = _bytes(prefix)
    starts_cp = (data & 0xC0) != 0x80
    boundaries = np.flatnonzero(starts_cp)
    row_first = np.searchsorted(boundaries, offsets[:-1])
    row_count = np.searchsorted(boundaries, offsets[1:]) - row_first
    result = pa.array(
        [
            _cut(data, offsets, boundaries, row_first, row_count, i, int(a), int(b))
            for i, (a, b) in enumerate(zip(first, last, strict=True))
        ],
        type=pa.string(),
    )
    for position, value in zip(where, result.to_pylist(), strict=True):
        out[position] = value
    return pa.array(out, type=pa.string())


def _bytes(strings: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """The data buffer (uint8) and the offsets (int64, from the first) of a string array."""
    _, offsets_buffer, data_buffer = strings.buffers()
    offsets = np.frombuffer(offsets_buffer, dtype=np.int32)[
        strings.offset : strings.offset + len(strings) + 1
    ]
    data = (
        np.frombuffer(data_buffer, dtype=np.uint8)
        if data_buffer is not None
        else np.zeros(0, np.uint8)
    )
    return data, offsets.astype(np.int64)


def _cut(
    data: np.ndarray,
    offsets: np.ndarray,
    boundaries: np.ndarray,
    row_first: np.ndarray,
    row_count: np.ndarray,
    row: int,
    start: int,
    end: int,
) -> str:
    count = int(row_count[row])
    start, end = min(start, count), min(end, count)
    if start >= end:
        return ""
    begin = int(boundaries[row_first[row] + start])
    stop = int(boundaries[row_first[row] + end]) if end < count else int(offsets[row + 1])
    return bytes(data[begin:stop]).decode("utf-8")
