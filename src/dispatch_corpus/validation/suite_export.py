"""Expectation suites derived from the models: what ``scripts/export_expectations.py`` writes.

Validation never calls this module: it runs the checked-in JSON files. The suites are
generated here so that their columns, value sets and regexes follow the models, and a test
fails when the checked-in files drift from what this module renders.
"""

from __future__ import annotations

import json
import types
from dataclasses import dataclass
from enum import Enum
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from dispatch_corpus.core.cues import CUES
from dispatch_corpus.models import TABLE_KEYS, TABLE_MODELS, Record
from dispatch_corpus.schema import columns
from dispatch_corpus.validation.shares import SHARE_COLUMNS

LIST_SEPARATOR = "|"
"""List columns reach Great Expectations as their elements joined by this character."""
DERIVED_COLUMNS: dict[str, dict[str, str]] = {
    "documents": {
        "lead_paragraphs": "number of paragraphs of the document whose role is lead",
        **{name: share.description for name, share in SHARE_COLUMNS.items()},
    },
}
"""Columns the validator adds to a table's batch, computed from the other tables."""

NO_LINE_BREAK_REGEX = "[\\n\\r\\x85\\u2028\\u2029]"
"""Line breaks a ``no_newline`` check rejects: ``\\n`` and those Java's ``$`` also stops at."""
END_OF_TEXT = "(?![\\s\\S])"
"""End of the text in both Python's and Java's regex syntax (``\\Z`` means different things)."""


@dataclass(frozen=True)
class ShareBound:
    """A bound on a per-document share column, met by at least ``mostly`` of the documents.

    ``measured`` is the share of documents meeting it on the shared corpus build.
    """

    column: str
    side: Literal["min", "max"]
    value: float
    mostly: float
    measured: str


SHARE_BOUNDS: tuple[ShareBound, ...] = (
    ShareBound("share_starts_lowercase", "max", 0.5, 0.98, "100%"),
    ShareBound(
        "share_body", "min", 0.2, 0.70, "84.7%; 0% of meduza_golunov_ru, >= 90.4% of others"
    ),
    ShareBound("share_body", "max", 0.9, 0.95, "100%"),
    ShareBound("share_statement", "max", 0.6, 0.95, "99.2%; lowest collection 98.8%"),
    ShareBound("share_dateline", "max", 0.2, 0.95, "99.5%; lowest collection 88.5%"),
    ShareBound("share_subheading", "max", 0.25, 0.95, "99.9%; lowest collection 98.8%"),
    ShareBound("share_boilerplate", "max", 0.25, 0.95, "99.2%; lowest collection 94.7%"),
    ShareBound("share_list_intro", "max", 0.2, 0.95, "100%"),
    ShareBound("share_list_item", "max", 0.5, 0.95, "100%"),
    ShareBound("section_share_body", "min", 0.1, 0.70, "87.8%; 0% of meduza_golunov_ru"),
    ShareBound("section_share_body", "max", 0.8, 0.95, "100%"),
    ShareBound("section_share_boilerplate", "max", 0.25, 0.95, "99.8%"),
)
"""Documented per-document share bounds (see the documents suite notes)."""
SHARE_MIN_ROWS = 200
"""Below this many documents (rows of the documents batch with a value) a share bound says
nothing: the check is skipped, not failed."""
# Why these bounds, and what the shared corpus build measured: in _NOTES below, which the suites
# carry.
SINGLE_BLOCK_MAX_SHARE = 0.25
ONE_LEAD_MIN_SHARE = 0.98
CUE_LANGUAGE_MIN_SHARE = 0.95

_GENERATED = (
    "Generated from dispatch_corpus.models by scripts/export_expectations.py; "
    "edit the generator, not this file."
)
_NOTES: dict[str, list[str]] = {
    "documents": [
        _GENERATED,
        "lead_paragraphs is derived by the validator from the paragraphs table: at most one "
        f"lead per document always; exactly one in at least {ONE_LEAD_MIN_SHARE:.0%} of "
        "documents (a document made only of headline, dateline, boilerplate or list items "
        "has none, see LABELING.md).",
        "Distribution checks count documents, not paragraphs or sections, so that one "
        "pathological document (say 60,000 one-word lines) weighs as much as any other. "
        "The validator derives per-document share columns: share_<role> and "
        "share_starts_lowercase are the document's paragraphs with that role or flag over "
        "its paragraphs in the paragraphs table; section_share_<label> the same over its "
        "sections. A document with no such rows has a null share and is left out.",
        "Share bounds, each met by at least 'mostly' of the documents; in brackets the share "
        "of documents meeting it on the shared corpus build (854 documents, labeler as of "
        "commit 8c14d17): "
        + "; ".join(
            f"{b.column} {'>=' if b.side == 'min' else '<='} {b.value:g} in >= "
            f"{b.mostly:.0%} ({b.measured})"
            for b in SHARE_BOUNDS
        )
        + ". Bounds are loose on purpose: they catch a broken splitter or labeler across "
        "many documents, not a drift of a few points, nor one odd document. A build of "
        "one odd collection can fall outside them (meduza_golunov_ru alone has no body "
        "paragraph: its dispatches are single blocks).",
        f"At least {CUE_LANGUAGE_MIN_SHARE:.0%} of documents are in a language with a cue "
        f"table ({', '.join(sorted(CUES))}); on the shared corpus build all of them are.",
        f"At most {SINGLE_BLOCK_MAX_SHARE:.0%} of documents are flagged single_block "
        "(shared corpus build: 9.4%; meduza_golunov_ru alone: 97.5%).",
        "flags reach Great Expectations as their elements joined by '|'.",
        f"Share checks (those with mostly) carry meta.min_rows = {SHARE_MIN_ROWS}: on fewer "
        "documents (with a value) they are skipped, not failed (a build of the seed alone "
        "has 1 document).",
    ],
    "paragraphs": [
        _GENERATED,
        "Role and starts_lowercase shares are checked per document, in the documents suite.",
        "role is the ClassLabel index in dispatch_corpus.models.Role order; role_name is its "
        "name, for readers without the Hugging Face features.",
        "flags reach Great Expectations as their elements joined by '|'.",
    ],
    "sections": [
        _GENERATED,
        "Label shares are checked per document, in the documents suite.",
        "label is the ClassLabel index in dispatch_corpus.models.SectionLabel order; "
        "label_name is its name, for readers without the Hugging Face features.",
    ],
}


def _field_constraints(model: type[Record], name: str) -> dict[str, Any]:
    """Return the ``pattern``, ``min_length``, ``ge`` and ``le`` constraints of a field."""
    info = model.model_fields[name]
    metadata: list[Any] = list(info.metadata)
    annotation = info.annotation
    if get_origin(annotation) in (Union, types.UnionType):
        inner = [a for a in get_args(annotation) if a is not type(None)]
        annotation = inner[0]
    if get_origin(annotation) is Annotated:
        for extra in get_args(annotation)[1:]:
            metadata.extend(getattr(extra, "metadata", [extra]))
    found: dict[str, Any] = {}
    for item in metadata:
        for key in ("pattern", "min_length", "ge", "le"):
            value = getattr(item, key, None)
            if value is not None:
                found[key] = value
    return found


def _list_enum(model: type[Record], name: str) -> type[Enum]:
    """Return the enum of the elements of a ``list[Enum]`` field."""
    (element,) = get_args(model.model_fields[name].annotation)
    if not (isinstance(element, type) and issubclass(element, Enum)):
        raise TypeError(f"{model.__name__}.{name}: list elements are not an enum")
    return element


def _check(name: str, kind: str, notes: str = "", **kwargs: Any) -> dict[str, Any]:
    meta: dict[str, Any] = {"check": name}
    if notes:
        meta["notes"] = notes
    if "mostly" in kwargs:
        meta["min_rows"] = SHARE_MIN_ROWS
    return {"type": kind, "kwargs": kwargs, "meta": meta}


def _strict_end(pattern: str) -> str:
    """Return ``pattern`` with a final ``$`` matching only at the very end of the text."""
    if pattern.endswith("$") and not pattern.endswith("\\$"):
        return pattern[:-1] + END_OF_TEXT
    return pattern


def _flags_regex(values: list[str]) -> str:
    one = "(?:" + "|".join(values) + ")"
    return f"^(?:{one}(?:\\{LIST_SEPARATOR}{one})*)?$"


def _flag_regex(value: str) -> str:
    sep = f"\\{LIST_SEPARATOR}"
    # Whole elements only: the name must not match inside a longer flag's.
    return f"(?:^|{sep}){value}(?:{sep}|$)"


def _column_expectations(table: str) -> list[dict[str, Any]]:
    model = TABLE_MODELS[table]
    found: list[dict[str, Any]] = []
    for col in columns(model):
        name = col.name
        if not col.nullable:
            found.append(
                _check(f"{name}.not_null", "expect_column_values_to_not_be_null", column=name)
            )
        rules = _field_constraints(model, name)
        if "pattern" in rules:
            found.append(
                _check(
                    f"{name}.pattern",
                    "expect_column_values_to_match_regex",
                    "the model's pattern; its final '$' as a strict end of text, the same "
                    "in Python and Java",
                    column=name,
                    regex=_strict_end(rules["pattern"]),
                )
            )
            found.append(
                _check(
                    f"{name}.no_newline",
                    "expect_column_values_to_not_match_regex",
                    "no line break anywhere: neither \\n nor the breaks Java's '$' "
                    "also stops at (\\r, U+0085, U+2028, U+2029).",
                    column=name,
                    regex=NO_LINE_BREAK_REGEX,
                )
            )
        if "min_length" in rules:
            found.append(
                _check(
                    f"{name}.length",
                    "expect_column_value_lengths_to_be_between",
                    column=name,
                    min_value=rules["min_length"],
                )
            )
        if col.kind in ("int32", "float32"):
            found.append(
                _check(
                    f"{name}.range",
                    "expect_column_values_to_be_between",
                    column=name,
                    min_value=rules["ge"],
                    max_value=rules["le"],
                )
            )
        if col.kind == "class_label":
            found.append(
                _check(
                    f"{name}.in_label_set",
                    "expect_column_values_to_be_in_set",
                    f"ClassLabel indices of {', '.join(col.class_names)}",
                    column=name,
                    value_set=list(range(len(col.class_names))),
                )
            )
        if col.kind == "class_name":
            found.append(
                _check(
                    f"{name}.in_name_set",
                    "expect_column_values_to_be_in_set",
                    f"the class names of {col.source}, the same class in every row (record check)",
                    column=name,
                    value_set=list(col.class_names),
                )
            )
        if col.kind == "string_list":
            values = [e.value for e in _list_enum(model, name)]
            found.append(
                _check(
                    f"{name}.in_flag_set",
                    "expect_column_values_to_match_regex",
                    f"each element one of {', '.join(values)}",
                    column=name,
                    regex=_flags_regex(values),
                )
            )
    return found


def _key_expectation(table: str) -> dict[str, Any]:
    keys = list(TABLE_KEYS[table])
    name = "+".join(keys) + ".unique"
    if len(keys) == 1:
        return _check(name, "expect_column_values_to_be_unique", column=keys[0])
    return _check(name, "expect_compound_columns_to_be_unique", column_list=keys)


def _share_expectations() -> list[dict[str, Any]]:
    found = []
    for bound in SHARE_BOUNDS:
        words = "at least" if bound.side == "min" else "at most"
        limit = {"min_value" if bound.side == "min" else "max_value": bound.value}
        found.append(
            _check(
                f"{bound.column}.{bound.side}",
                "expect_column_values_to_be_between",
                f"{bound.column} {words} {bound.value:g} in at least {bound.mostly:.0%} of "
                f"documents (shared corpus build: {bound.measured})",
                column=bound.column,
                mostly=bound.mostly,
                **limit,
            )
        )
    return found


def _table_expectations(table: str) -> list[dict[str, Any]]:
    found = [
        _check("row_count", "expect_table_row_count_to_be_between", min_value=1),
        _key_expectation(table),
        *_column_expectations(table),
    ]
    if table in ("paragraphs", "sections"):
        found.append(
            _check(
                "char_end.above_char_start",
                "expect_column_pair_values_a_to_be_greater_than_b",
                column_A="char_end",
                column_B="char_start",
            )
        )
    if table == "documents":
        found += [
            _check(
                "dateline_end.above_dateline_start",
                "expect_column_pair_values_a_to_be_greater_than_b",
                column_A="dateline_end",
                column_B="dateline_start",
                # Most documents have no dateline; a half-null pair is the record check's finding
                # (Document refuses offsets without a dateline).
                ignore_row_if="either_value_is_missing",
            ),
            _check(
                "text_sha256.length",
                "expect_column_value_lengths_to_equal",
                column="text_sha256",
                value=64,
            ),
            _check(
                "lead_paragraphs.at_most_one",
                "expect_column_values_to_be_between",
                column="lead_paragraphs",
                min_value=0,
                max_value=1,
            ),
            _check(
                "lead_paragraphs.exactly_one",
                "expect_column_values_to_be_between",
                f"exactly one lead in at least {ONE_LEAD_MIN_SHARE:.0%} of documents",
                column="lead_paragraphs",
                min_value=1,
                max_value=1,
                mostly=ONE_LEAD_MIN_SHARE,
            ),
            _check(
                "language.share_cue_languages",
                "expect_column_values_to_be_in_set",
                f"at least {CUE_LANGUAGE_MIN_SHARE:.0%} in a language with a cue table",
                column="language",
                value_set=sorted(CUES),
                mostly=CUE_LANGUAGE_MIN_SHARE,
            ),
            _check(
                "flags.share_single_block_max",
                "expect_column_values_to_not_match_regex",
                f"at most {SINGLE_BLOCK_MAX_SHARE:.0%} of documents are single_block",
                column="flags",
                regex=_flag_regex("single_block"),
                mostly=round(1 - SINGLE_BLOCK_MAX_SHARE, 6),
            ),
            *_share_expectations(),
        ]
    if table == "sections":
        found.append(
            _check(
                "paragraph_end.above_paragraph_start",
                "expect_column_pair_values_a_to_be_greater_than_b",
                column_A="paragraph_end",
                column_B="paragraph_start",
            )
        )
    return found


def suite_dict(table: str) -> dict[str, Any]:
    """Return the expectation suite of one table in Great Expectations' JSON form.

    Args:
        table: ``documents``, ``paragraphs`` or ``sections``.

    Returns:
        The suite: ``name``, ``expectations`` (each with a unique ``meta.check`` name),
        ``meta`` (derived columns, list separator) and ``notes`` (documented bounds).
    """
    return {
        "name": table,
        "expectations": _table_expectations(table),
        "meta": {
            "table": table,
            "list_separator": LIST_SEPARATOR,
            "derived_columns": DERIVED_COLUMNS.get(table, {}),
        },
        "notes": _NOTES[table],
    }


def render_suite(table: str) -> str:
    """Return the checked-in text of ``schemas/expectations/<table>.json``."""
    return json.dumps(suite_dict(table), indent=2, ensure_ascii=False) + "\n"
