from pathlib import Path
from typing import Any

from dispatch_corpus.build.driver import BuildSummary
from dispatch_corpus.dataset.examples import pick_examples
from dispatch_corpus.models import Role


def test_the_examples_are_the_median_document_and_its_first_paragraph_after_the_headline(
    shared_build: tuple[Path, BuildSummary], read_rows: Any
) -> None:
    out, _ = shared_build
    examples = pick_examples(out)
    documents = read_rows(out, "documents")
    sizes = sorted((row["n_chars"], row["doc_id"]) for row in documents)
    doc_id = sizes[(len(sizes) - 1) // 2][1]
    document = examples["documents"]
    assert document["doc_id"] == doc_id
    assert document["text"] == next(row["text"] for row in documents if row["doc_id"] == doc_id)
    paragraphs = [row for row in read_rows(out, "paragraphs") if row["doc_id"] == doc_id]
    headline = list(Role).index(Role.HEADLINE)
    expected = next(row for row in paragraphs if row["role"] != headline)
    assert examples["paragraphs"]["paragraph_id"] == expected["paragraph_id"]
    assert examples["paragraphs"]["role"] == list(Role)[expected["role"]].value
    section = examples["sections"]
    assert section["doc_id"] == doc_id
    assert section["paragraph_start"] <= expected["paragraph_index"] < section["paragraph_end"]
    # The same data gives the same rows.
    assert pick_examples(out) == examples


def test_one_document_is_its_own_example(seed_build: tuple[Path, BuildSummary]) -> None:
    out, _ = seed_build
    examples = pick_examples(out)
    assert set(examples) == {"documents", "paragraphs", "sections"}
    assert examples["paragraphs"]["doc_id"] == examples["documents"]["doc_id"]
