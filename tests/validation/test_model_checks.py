from __future__ import annotations

from pathlib import Path

import pyarrow.parquet as pq

from dispatch_corpus.validation.model_checks import check_rows_with_model, model_rows
from dispatch_corpus.validation.rows import PyTable
from validation.planting import set_value, shard


def test_class_label_indices_become_names_and_bad_ones_stay_integers(small_build: Path) -> None:
    data = pq.read_table(shard(small_build, "paragraphs"))
    data = set_value(set_value(data, "role", 0, -1), "role", 1, 9)
    rows = model_rows(PyTable("paragraphs", data), 0, 3)
    assert [r["role"] for r in rows[:2]] == [-1, 9]
    assert isinstance(rows[2]["role"], str)


def test_every_rejected_row_is_counted_and_sampled(small_build: Path) -> None:
    data = pq.read_table(shard(small_build, "sections"))
    data = set_value(data, "section_id", 0, "bad id")
    data = set_value(data, "paragraph_end", 3, 0)
    tally = check_rows_with_model(PyTable("sections", data))
    assert tally.element_count == data.num_rows
    assert tally.unexpected_count == 2
    assert tally.samples[0].split(": ")[1] == "section_id = 'bad id'"
    assert "paragraph_end must be above paragraph_start, not 0 <= " in tally.samples[1]
    bad_id, bad_end = tally.findings
    assert bad_id["row"] == tally.samples[0].split(": ")[0]
    assert (bad_id["column"], bad_id["actual"]) == ("section_id", "bad id")
    assert bad_id["expected"].startswith("String should match pattern")
    assert bad_end["error"].startswith("paragraph_end must be above paragraph_start, not 0")
