from __future__ import annotations

from pathlib import Path

import pyarrow.parquet as pq

from dispatch_corpus.validation.cross import CROSS_CHECKS, check_cross
from dispatch_corpus.validation.rows import PyTable
from validation.planting import shard


def _tables(dataset: Path) -> dict[str, PyTable]:
    return {
        name: PyTable(name, pq.read_table(shard(dataset, name)))
        for name in ("documents", "paragraphs", "sections")
    }


def _failed(tables: dict[str, PyTable]) -> dict[str, list[str]]:
    tallies = check_cross(tables["documents"], tables["paragraphs"], tables["sections"])
    assert [t.check for t in tallies] == list(CROSS_CHECKS)
    return {t.check: t.samples for t in tallies if t.unexpected_count}


def test_a_clean_build_passes_every_cross_check(small_build: Path) -> None:
    assert _failed(_tables(small_build)) == {}


def test_a_gap_between_sections_fails_the_tiling(small_build: Path) -> None:
    tables = _tables(small_build)
    sections = tables["sections"]
    row = next(
        i
        for i, (start, index) in enumerate(
            zip(sections["paragraph_start"], sections["section_index"], strict=True)
        )
        if index == 1
    )
    sections["paragraph_start"][row] += 1
    failed = _failed(tables)
    assert failed == {"sections.tile_paragraphs": [sections["doc_id"][row]]}


def test_a_wrong_section_count_names_the_document(small_build: Path) -> None:
    tables = _tables(small_build)
    tables["documents"]["n_sections"][0] += 1
    failed = _failed(tables)
    assert failed == {"documents.n_sections_agree": [tables["documents"]["doc_id"][0]]}


def test_a_section_text_that_is_not_the_slice_fails(small_build: Path) -> None:
    tables = _tables(small_build)
    sections = tables["sections"]
    sections["text"][2] = sections["text"][2] + " "
    failed = _failed(tables)
    assert failed == {"sections.offsets_slice_text": [sections.key(2)]}


def test_a_section_reaching_past_the_last_paragraph_fails_without_walking_it(
    small_build: Path,
) -> None:
    tables = _tables(small_build)
    sections = tables["sections"]
    sections["paragraph_end"][0] = 2**31 - 1
    failed = _failed(tables)
    assert failed == {"sections.tile_paragraphs": [sections["doc_id"][0]]}
