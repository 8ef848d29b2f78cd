from __future__ import annotations

import hashlib
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dispatch_corpus.validation.cross import (
    CROSS_CHECKS,
    _count_findings,
    _tiling_findings,
    check_cross,
    texts_in_documents,
)
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


def _findings(tables: dict[str, PyTable]) -> dict[str, list[dict[str, object]]]:
    tallies = check_cross(tables["documents"], tables["paragraphs"], tables["sections"])
    return {t.check: t.findings for t in tallies if t.unexpected_count}


def test_a_wrong_count_names_the_stored_and_the_counted_value(small_build: Path) -> None:
    tables = _tables(small_build)
    stored = tables["documents"]["n_paragraphs"][0]
    tables["documents"]["n_paragraphs"][0] += 2
    (finding,) = _findings(tables)["documents.n_paragraphs_agree"]
    assert finding == {
        "row": tables["documents"]["doc_id"][0],
        "column": "n_paragraphs",
        "expected": stored + 2,
        "actual": stored,
    }


def test_a_gap_names_the_section_and_the_paragraph_it_should_start_at(small_build: Path) -> None:
    tables = _tables(small_build)
    sections = tables["sections"]
    row = sections["section_index"].index(1)
    start = sections["paragraph_start"][row]
    sections["paragraph_start"][row] += 1
    (finding,) = _findings(tables)["sections.tile_paragraphs"]
    assert finding["column"] == "section 1: paragraph_start"
    assert (finding["expected"], finding["actual"]) == (start, start + 1)


def test_a_slice_and_a_hash_that_differ_show_both_sides(small_build: Path) -> None:
    tables = _tables(small_build)
    tables["paragraphs"]["text"][0] = "Not the text"
    tables["documents"]["text_sha256"][1] = "0" * 64
    found = _findings(tables)
    (sliced,) = found["paragraphs.offsets_slice_text"]
    assert sliced["expected"] == "Not the text"
    assert sliced["actual"] != "Not the text"
    assert isinstance(sliced["char_start"], int)
    (digest,) = found["documents.text_sha256_matches"]
    assert digest["actual"] == "0" * 64
    assert (
        digest["expected"]
        == hashlib.sha256(tables["documents"]["text"][1].encode("utf-8")).hexdigest()
    )


def test_checks_run_only_on_the_columns_present(small_build: Path) -> None:
    tables = _tables(small_build)
    paragraphs = tables["paragraphs"].arrow.drop_columns(["char_end"])
    tallies = check_cross(
        tables["documents"], PyTable("paragraphs", paragraphs), tables["sections"]
    )
    ran = [t.check for t in tallies]
    assert "paragraphs.offsets_slice_text" not in ran
    assert "sections.tile_paragraphs" not in ran
    assert "paragraphs.doc_id_in_documents" in ran
    assert all(t.unexpected_count == 0 for t in tallies)


_DAMAGE = st.lists(
    st.tuples(
        st.sampled_from(
            [
                ("paragraphs", "paragraph_index"),
                ("paragraphs", "section_index"),
                ("paragraphs", "char_start"),
                ("paragraphs", "char_end"),
                ("paragraphs", "doc_id"),
                ("sections", "section_index"),
                ("sections", "paragraph_start"),
                ("sections", "paragraph_end"),
                ("sections", "char_end"),
                ("sections", "doc_id"),
                ("documents", "n_paragraphs"),
                ("documents", "n_sections"),
            ]
        ),
        st.integers(0, 10**6),
        st.sampled_from([None, -1, 0, 1, 2, 3, 2**31 - 1, "x", "d"]),
    ),
    max_size=4,
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(damage=_DAMAGE)
def test_proofs_and_the_plain_rules_find_the_same_rows(small_build: Path, damage: list) -> None:
    tables = _tables(small_build)
    for (table, column), row, value in damage:
        values = tables[table][column]
        is_text = column == "doc_id"
        if is_text == isinstance(value, str) or value is None:
            values[row % len(values)] = (
                value if not is_text else (values[0] if value == "d" else value)
            )
    docs, paras, secs = tables["documents"], tables["paragraphs"], tables["sections"]
    found = {t.check: t for t in check_cross(docs, paras, secs)}
    ids = {d for d in docs["doc_id"] if d is not None}
    tiling = _tiling_findings(secs, paras, ids)
    assert found["sections.tile_paragraphs"].unexpected_count == len(tiling)
    assert found["sections.tile_paragraphs"].findings == tiling[:5]
    for table, column, name in (
        (paras, "paragraph_index", "documents.n_paragraphs_agree"),
        (secs, "section_index", "documents.n_sections_agree"),
    ):
        counted = _count_findings(docs, table, column, name.split(".")[1].removesuffix("_agree"))
        assert found[name].unexpected_count == len(counted)
        assert found[name].findings == counted[:5]


def test_texts_in_documents_proves_the_pieces_of_a_clean_build(small_build: Path) -> None:
    tables = _tables(small_build)
    for name in ("paragraphs", "sections"):
        assert texts_in_documents(tables[name], tables["documents"]).all(), name


def test_texts_in_documents_leaves_out_the_run_of_a_changed_or_orphan_row(
    small_build: Path,
) -> None:
    docs = pq.read_table(shard(small_build, "documents"))
    paras = pq.read_table(shard(small_build, "paragraphs"))
    texts = paras["text"].to_pylist()
    ids = paras["doc_id"].to_pylist()
    texts[3] = texts[3] + " "
    changed = paras.set_column(paras.schema.get_field_index("text"), "text", pa.array(texts))
    proven = texts_in_documents(PyTable("paragraphs", changed), PyTable("documents", docs))
    assert proven.tolist() == [doc_id != ids[3] for doc_id in ids], "the whole run, only it"
    orphan = docs.filter(pc.not_equal(docs["doc_id"], ids[0]))
    proven = texts_in_documents(PyTable("paragraphs", paras), PyTable("documents", orphan))
    assert proven.tolist() == [doc_id != ids[0] for doc_id in ids]
