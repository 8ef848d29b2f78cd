from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from pydantic import TypeAdapter, ValidationError

from dispatch_corpus.models import (
    DOC_ID_PATTERN,
    TABLE_KEYS,
    TABLE_MODELS,
    DocId,
    DocumentFlag,
    ParagraphFlag,
)
from dispatch_corpus.schema import columns
from dispatch_corpus.validation.runner import DEFAULT_SUITES_DIR
from dispatch_corpus.validation.shares import SHARE_COLUMNS
from dispatch_corpus.validation.suite_export import (
    DERIVED_COLUMNS,
    END_OF_TEXT,
    SHARE_BOUNDS,
    SHARE_MIN_ROWS,
    render_suite,
)

REPO_SUITES_DIR = Path(__file__).resolve().parents[2] / "schemas" / "expectations"


def _checked_in(table: str) -> dict:
    return json.loads((DEFAULT_SUITES_DIR / f"{table}.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    "folder", [REPO_SUITES_DIR, DEFAULT_SUITES_DIR], ids=["schemas", "package"]
)
@pytest.mark.parametrize("table", list(TABLE_MODELS))
def test_checked_in_suites_are_what_the_generator_writes(table: str, folder: Path) -> None:
    path = folder / f"{table}.json"
    assert path.read_text(encoding="utf-8") == render_suite(table), (
        f"{path} drifted: run scripts/export_expectations.py"
    )


@pytest.mark.parametrize("table", list(TABLE_MODELS))
def test_suite_columns_are_model_columns(table: str) -> None:
    known = {c.name for c in columns(TABLE_MODELS[table])} | set(DERIVED_COLUMNS.get(table, {}))
    used = set()
    for item in _checked_in(table)["expectations"]:
        kwargs = item["kwargs"]
        used |= {kwargs[k] for k in ("column", "column_A", "column_B") if k in kwargs}
        used |= set(kwargs.get("column_list", []))
    assert used <= known
    not_null = {
        e["kwargs"]["column"]
        for e in _checked_in(table)["expectations"]
        if e["type"] == "expect_column_values_to_not_be_null"
    }
    assert not_null == {c.name for c in columns(TABLE_MODELS[table]) if not c.nullable}


@pytest.mark.parametrize("table", list(TABLE_MODELS))
def test_suite_value_sets_follow_the_class_labels(table: str) -> None:
    for col in columns(TABLE_MODELS[table]):
        if col.kind != "class_label":
            continue
        (item,) = [
            e
            for e in _checked_in(table)["expectations"]
            if e["meta"]["check"] == f"{col.name}.in_label_set"
        ]
        assert item["kwargs"]["value_set"] == list(range(len(col.class_names)))


@pytest.mark.parametrize(
    ("table", "flags"), [("documents", DocumentFlag), ("paragraphs", ParagraphFlag)]
)
def test_suite_flag_sets_follow_the_enums(table: str, flags: type) -> None:
    (item,) = [
        e for e in _checked_in(table)["expectations"] if e["meta"]["check"] == "flags.in_flag_set"
    ]
    regex = re.compile(item["kwargs"]["regex"])
    values = [f.value for f in flags]
    assert regex.search("|".join(values))
    assert regex.search("")
    assert not regex.search("|".join([*values, "unknown_flag"]))


def test_suite_keys_and_id_patterns_follow_the_models() -> None:
    for table, keys in TABLE_KEYS.items():
        kinds = {e["meta"]["check"]: e for e in _checked_in(table)["expectations"]}
        assert f"{'+'.join(keys)}.unique" in kinds
        regex = kinds["doc_id.pattern"]["kwargs"]["regex"]
        assert regex == DOC_ID_PATTERN.removesuffix("$") + END_OF_TEXT
        assert r"\d" not in json.dumps(_checked_in(table))


def test_suites_document_their_bounds() -> None:
    notes = " ".join(_checked_in("documents")["notes"])
    assert "shared corpus build" in notes
    for bound in SHARE_BOUNDS:
        assert bound.column in notes
    for table in ("paragraphs", "sections"):
        assert "per document" in " ".join(_checked_in(table)["notes"])


def test_every_share_check_is_per_document() -> None:
    for table in TABLE_MODELS:
        for item in _checked_in(table)["expectations"]:
            if "mostly" in item["kwargs"]:
                assert table == "documents", item["meta"]["check"]
                assert item["meta"]["min_rows"] == SHARE_MIN_ROWS
    checks = {e["meta"]["check"] for e in _checked_in("documents")["expectations"]}
    assert {f"{b.column}.{b.side}" for b in SHARE_BOUNDS} <= checks
    assert "share_starts_lowercase.max" in checks
    assert set(SHARE_COLUMNS) <= set(DERIVED_COLUMNS["documents"])


def test_the_package_ships_exactly_the_checked_in_suites() -> None:
    shipped = {item.name: item.read_bytes() for item in DEFAULT_SUITES_DIR.iterdir()}
    checked_in = {path.name: path.read_bytes() for path in REPO_SUITES_DIR.iterdir()}
    assert shipped == checked_in
    assert sorted(shipped) == sorted(f"{table}.json" for table in TABLE_MODELS)


@pytest.mark.parametrize("end", ["\n", "\r", "\x85", "\u2028", "\u2029", "\r\n"])
def test_patterns_and_no_newline_reject_a_final_line_break_like_the_model(end: str) -> None:
    kinds = {e["meta"]["check"]: e for e in _checked_in("documents")["expectations"]}
    pattern = re.compile(kinds["doc_id.pattern"]["kwargs"]["regex"])
    no_newline = re.compile(kinds["doc_id.no_newline"]["kwargs"]["regex"])
    assert pattern.search("reuters_0001")
    assert not no_newline.search("reuters_0001")
    assert not pattern.search("reuters_0001" + end)
    assert no_newline.search("reuters_0001" + end)
    assert no_newline.search("reuters" + end + "0001")
    model_doc_id = TypeAdapter(DocId)
    assert model_doc_id.validate_python("reuters_0001") == "reuters_0001"
    with pytest.raises(ValidationError):
        model_doc_id.validate_python("reuters_0001" + end)
