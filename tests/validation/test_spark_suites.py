"""On Spark the suites give the verdicts of the pandas (ge) and Arrow (local) engines, check by
check, failures included."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from dispatch_corpus.build.driver import build_dataset
from dispatch_corpus.settings import LOCAL_MASTER
from dispatch_corpus.validation import ValidationReport, run_validation
from dispatch_corpus.validation.runner import DEFAULT_SUITES_DIR

pytestmark = pytest.mark.spark

BROKEN: dict[str, list[tuple[str, int, Callable[[list[Any]], Any]]]] = {
    "documents": [
        ("doc_id", 0, lambda column: column[0] + "\n"),
        ("doc_id", 3, lambda column: column[3] + "\r"),
        ("doc_id", 4, lambda column: column[4] + "\u2028"),
        ("language", 1, lambda column: "xx"),
        ("text_sha256", 2, lambda column: "0" * 63),
    ],
    "paragraphs": [
        ("role", 0, lambda column: 42),
        ("char_end", 1, lambda column: 0),
        ("flags", 2, lambda column: ["not_a_flag"]),
        ("flags", 3, lambda column: ["starts_lowercase"]),
        ("flags", 4, lambda column: ["starts_lowercase"]),
        ("flags", 5, lambda column: ["starts_lowercase"]),
        ("flags", 6, lambda column: ["starts_lowercase"]),
        ("flags", 7, lambda column: ["starts_lowercase"]),
        ("flags", 8, lambda column: ["starts_lowercase"]),
        ("flags", 9, lambda column: ["starts_lowercase"]),
        ("flags", 10, lambda column: ["starts_lowercase"]),
    ],
    "sections": [
        ("label", 0, lambda column: 99),
        ("section_index", 1, lambda column: column[0]),
    ],
}
"""Damage done to a built dataset: (column, row, new value from the column's values).

Paragraph rows 3 to 10 start lowercase: with four paragraphs a document, two documents are
mostly lowercase, so the per-document share check fails on both engines alike."""


def _damage(root: Path) -> None:
    for table, changes in BROKEN.items():
        (shard,) = sorted((root / "data" / table).glob("train-*.parquet"))
        rows = pq.read_table(shard)
        for name, row, replace in changes:
            values = rows.column(name).to_pylist()
            values[row] = replace(values)
            position = rows.schema.get_field_index(name)
            field = rows.schema.field(name)
            rows = rows.set_column(position, field, pa.array(values, type=field.type))
        pq.write_table(rows, shard)


def _judged_suites(folder: Path) -> Path:
    """The checked-in suites with every share check judged on any number of documents."""
    shutil.copytree(DEFAULT_SUITES_DIR, folder)
    for path in folder.glob("*.json"):
        suite = json.loads(path.read_text(encoding="utf-8"))
        for item in suite["expectations"]:
            if "min_rows" in item["meta"]:
                item["meta"]["min_rows"] = 1
        path.write_text(json.dumps(suite), encoding="utf-8")
    return folder


def _verdicts(report: ValidationReport) -> list[dict[str, Any]]:
    """Every check's verdict and counts; samples and the findings in the details differ
    (Spark gives values, not row keys)."""
    verdicts = []
    for check in report.checks:
        verdict = {k: v for k, v in check.as_dict().items() if k != "samples"}
        verdict["details"] = {k: v for k, v in check.details.items() if k != "failures"}
        verdicts.append(verdict)
    return verdicts


def test_spark_suites_give_the_pandas_and_arrow_verdicts(
    make_corpus: Callable[[Mapping[str, bytes | str]], Path], tmp_path: Path
) -> None:
    corpus = make_corpus(
        {
            f"news/d{i:02d}.txt": (
                f"Harbour {i} reopens after storm\n\n"
                f"BREST, 3 March - The harbour number {i} reopened on Monday, officials said.\n\n"
                f'"We are back at sea," said captain {i}.\n\nBoats {i} left by noon.'
            )
            for i in range(12)
        }
    )
    out = tmp_path / "out"
    build_dataset(corpus, out)
    _damage(out)

    suites = _judged_suites(tmp_path / "suites")
    on_pandas = run_validation(out, tmp_path / "pandas", suites_dir=suites, workers=1, engine="ge")
    on_arrow = run_validation(out, tmp_path / "arrow", suites_dir=suites, workers=1)
    on_spark = run_validation(
        out,
        tmp_path / "spark",
        suites_dir=suites,
        workers=1,
        engine="spark",
        spark_master=LOCAL_MASTER,
    )

    assert _verdicts(on_spark) == _verdicts(on_pandas) == _verdicts(on_arrow)
    failed = {c.check for c in on_spark.failures if c.kind == "expectation"}
    unexpected = {c.check: c.unexpected_count for c in on_spark.checks}
    assert unexpected["documents.doc_id.no_newline"] == 3
    assert unexpected["documents.doc_id.pattern"] == 3
    assert {
        "documents.doc_id.no_newline",
        "documents.text_sha256.length",
        "paragraphs.role.in_label_set",
        "paragraphs.char_end.above_char_start",
        "paragraphs.flags.in_flag_set",
        "sections.label.in_label_set",
        "sections.doc_id+section_index.unique",
    } <= failed
    assert unexpected["documents.language.share_cue_languages"] == 1, "counted, within mostly"
    assert not [c.check for c in on_spark.checks if c.skipped]
    assert not [c.check for c in on_spark.checks if c.skipped], "min_rows lowered to 1"
    assert unexpected["documents.share_starts_lowercase.max"] == 2, (
        "paragraphs 3-10 flagged: 4 paragraphs a document, so 1/4, 4/4 and 3/4"
    )
    assert "documents.share_starts_lowercase.max" in failed


def test_on_spark_a_schema_failure_leaves_the_same_checks_not_run(
    make_corpus: Callable[[Mapping[str, bytes | str]], Path], tmp_path: Path
) -> None:
    corpus = make_corpus(
        {
            f"news/d{i:02d}.txt": f"Harbour {i} reopens\n\nThe harbour {i} reopened on Monday."
            for i in range(3)
        }
    )
    out = tmp_path / "out"
    build_dataset(corpus, out)
    (sections,) = sorted((out / "data" / "sections").glob("train-*.parquet"))
    pq.write_table(pq.read_table(sections).drop_columns(["label"]), sections)
    (paragraphs,) = sorted((out / "data" / "paragraphs").glob("train-*.parquet"))
    rows = pq.read_table(paragraphs)
    position = rows.schema.get_field_index("char_start")
    retyped = rows.set_column(position, "char_start", rows["char_start"].cast(pa.int64()))
    pq.write_table(retyped, paragraphs)

    on_pandas = run_validation(out, tmp_path / "pandas", workers=1, engine="ge")
    on_arrow = run_validation(out, tmp_path / "arrow", workers=1)
    on_spark = run_validation(
        out, tmp_path / "spark", workers=1, engine="spark", spark_master=LOCAL_MASTER
    )

    assert _verdicts(on_spark) == _verdicts(on_pandas) == _verdicts(on_arrow)
    assert {c.check for c in on_spark.failures} == {"sections.schema", "paragraphs.schema"}
    not_run = {c.check for c in on_spark.checks if "not_run" in c.details}
    assert {"sections.label.in_label_set", "paragraphs.char_start.range"} <= not_run
    assert "paragraphs.role.in_label_set" not in not_run
