"""Pick one real row of each table to show on the card, the same rows for the same data.

The example document is the one of median length (ties broken by ``doc_id``): a typical
dispatch, not the shortest or an outlier. Its example paragraph is its first one after the
headline, and its example section the one holding that paragraph, so the three rows show
how the tables join.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from dispatch_corpus.dataset.reader import iter_rows, table_files
from dispatch_corpus.models import Role


def pick_examples(dataset_dir: Path) -> dict[str, dict[str, Any]]:
    """Return one row per table (ClassLabel columns as names); none without documents.

    Args:
        dataset_dir: A build or release folder.

    Returns:
        Table name -> row, with every column of the row.

    Raises:
        DatasetError: When a table cannot be read (see ``reader.iter_rows``).
    """
    files = table_files(dataset_dir)
    sizes = sorted(
        (row["n_chars"], row["doc_id"])
        for row in iter_rows(files["documents"], ["doc_id", "n_chars"])
    )
    if not sizes:
        return {}
    # The lower median: an existing row, never an average of two.
    doc_id = sizes[(len(sizes) - 1) // 2][1]
    examples = {"documents": _first(files["documents"], lambda row: row["doc_id"] == doc_id)}
    paragraphs = [row for row in iter_rows(files["paragraphs"]) if row["doc_id"] == doc_id]
    # A validated dataset gives every document a paragraph and a section; an unvalidated
    # build may not, and then shows fewer examples rather than failing.
    if not paragraphs:
        return examples
    paragraph = next(
        (row for row in paragraphs if row["role"] != Role.HEADLINE.value), paragraphs[0]
    )
    examples["paragraphs"] = paragraph
    section_index = paragraph["section_index"]
    section = next(
        (
            row
            for row in iter_rows(files["sections"])
            if row["doc_id"] == doc_id and row["section_index"] == section_index
        ),
        None,
    )
    if section is not None:
        examples["sections"] = section
    return examples


def _first(files: list[Path], match: Callable[[dict[str, Any]], bool]) -> dict[str, Any]:
    return next(row for row in iter_rows(files) if match(row))
