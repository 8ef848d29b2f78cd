from __future__ import annotations

from pathlib import Path

import pyarrow.parquet as pq

from dispatch_corpus.models import TABLE_MODELS
from dispatch_corpus.validation.coverage import expectation_needs, plan_checks
from dispatch_corpus.validation.dataset import check_schemas, find_tables
from dispatch_corpus.validation.runner import DEFAULT_SUITES_DIR
from dispatch_corpus.validation.suites import load_suites
from validation.planting import shard


def test_every_check_runs_on_a_dataset_of_the_model_schema(small_build: Path) -> None:
    suites = load_suites(DEFAULT_SUITES_DIR)
    runnable, not_run = plan_checks(suites, check_schemas(find_tables(small_build)))
    assert not_run == []
    assert runnable == suites


def test_a_missing_column_stops_exactly_the_checks_that_read_it(dataset_copy: Path) -> None:
    path = shard(dataset_copy, "paragraphs")
    pq.write_table(pq.read_table(path).drop_columns(["section_index"]), path)
    suites = load_suites(DEFAULT_SUITES_DIR)
    runnable, not_run = plan_checks(suites, check_schemas(find_tables(dataset_copy)))
    stopped = {c.check for c in not_run}
    assert stopped == {
        "paragraphs.records",
        "paragraphs.section_index.not_null",
        "paragraphs.section_index.range",
        "sections.tile_paragraphs",
    }
    reason = f"not run: paragraphs.section_index is missing from {path.name}"
    assert all(c.details["not_run"] == reason and c.status == "skip" for c in not_run)
    assert all(set(c.details) <= {"not_run", "kwargs"} for c in not_run)
    kept = {e.check for suite in runnable.values() for e in suite.expectations}
    every = {e.check for suite in suites.values() for e in suite.expectations}
    assert kept == every - stopped


def test_an_unreadable_doc_id_stops_every_check_of_its_table(dataset_copy: Path) -> None:
    path = shard(dataset_copy, "sections")
    data = pq.read_table(path)
    pq.write_table(data.drop_columns(["doc_id"]), path)
    schema = check_schemas(find_tables(dataset_copy))
    assert schema.usable["sections"] == frozenset()
    assert schema.usable["documents"] == {c for c in TABLE_MODELS["documents"].model_fields}
    label = schema.reason("sections", "label")
    assert label == (
        f"sections.doc_id is missing from {path.name}: rows of sections cannot be read by "
        "doc_id range"
    )
    runnable, not_run = plan_checks(
        load_suites(DEFAULT_SUITES_DIR), check_schemas(find_tables(dataset_copy))
    )
    assert runnable["sections"].expectations == ()
    assert "documents.section_share_body.min" in {c.check for c in not_run}
    assert "documents.share_body.min" not in {c.check for c in not_run}


def test_a_derived_column_needs_the_columns_it_is_made_of() -> None:
    suites = load_suites(DEFAULT_SUITES_DIR)
    lead = next(e for e in suites["documents"].expectations if "lead_paragraphs" in e.check)
    assert expectation_needs("documents", lead) == {
        "documents": ("doc_id",),
        "paragraphs": ("doc_id", "role"),
    }
    text = next(e for e in suites["paragraphs"].expectations if e.check == "paragraphs.text.length")
    assert expectation_needs("paragraphs", text) == {"paragraphs": ("doc_id", "text")}
