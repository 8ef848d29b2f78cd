"""Load a gold folder and build its documents from a corpus folder (I/O layer)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from dispatch_corpus.core.label.roles import label_paragraphs
from dispatch_corpus.core.pipeline import process_dispatch
from dispatch_corpus.dataset.corpus import CorpusError, read_dispatches, scan_corpus
from dispatch_corpus.dataset.jsonfile import read_json_file
from dispatch_corpus.evaluation.cv import GoldLabels
from dispatch_corpus.evaluation.score import (
    Evaluation,
    GoldDocument,
    evaluate_documents,
    parse_gold,
)
from dispatch_corpus.models import DocumentRecord, QuarantineRecord

GOLD_SUFFIX = ".expected.json"
MAX_GOLD_BYTES = 64 * 1024 * 1024
"""Largest gold file read (one hand-labeled document: a few kilobytes)."""


def load_gold(gold_dir: Path) -> list[GoldDocument]:
    """Read every ``*.expected.json`` file of a folder, sorted by name.

    Args:
        gold_dir: The gold folder.

    Returns:
        The gold documents.

    Raises:
        CorpusError: When the folder is missing, empty, or holds a gold file that is
            unreadable, not strict JSON (see ``jsonfile``) or not of the gold shape.
    """
    if not gold_dir.is_dir():
        raise CorpusError(f"gold folder not found: {gold_dir}")
    documents = []
    # Sorted by name: the same folder gives the same order, whatever order the file system lists.
    for path in sorted(gold_dir.glob(f"*{GOLD_SUFFIX}")):
        data = read_json_file(path, error=CorpusError, max_bytes=MAX_GOLD_BYTES)
        if not isinstance(data, dict):
            raise CorpusError(f"{path}: not a gold file (not a JSON object)")
        try:
            documents.append(parse_gold(data))
        except KeyError as error:
            raise CorpusError(f"{path}: not a gold file (no {error.args[0]!r})") from error
        except (TypeError, ValueError, AttributeError, OverflowError) as error:
            raise CorpusError(f"{path}: not a gold file ({error})") from error
    if not documents:
        raise CorpusError(f"no *{GOLD_SUFFIX} files in {gold_dir}")
    return documents


def build_gold_records(
    gold: Sequence[GoldDocument], corpus_dir: Path, *, with_metadata: bool = True
) -> list[tuple[GoldDocument, DocumentRecord | None]]:
    """Build the record of each gold document from its raw file in a corpus folder.

    Args:
        gold: The gold documents.
        corpus_dir: Corpus folder holding ``<collection>/<doc_id>.txt`` for each of them.
        with_metadata: Use the ``metadata.jsonl`` sidecars; without them the build sees the
            raw text only (no title, language or date).

    Returns:
        Each gold document with its record (None when absent from the corpus or quarantined).
    """
    built = {
        label.record.document.doc_id: label.record
        for label in _build(gold, corpus_dir, with_metadata=with_metadata)
    }
    return [(g, built.get(g.doc_id)) for g in gold]


def build_gold_labels(gold: Sequence[GoldDocument], corpus_dir: Path) -> list[GoldLabels]:
    """Build each gold document and keep the evidence of each of its roles.

    Args:
        gold: The gold documents.
        corpus_dir: Corpus folder holding ``<collection>/<doc_id>.txt`` for each of them.

    Returns:
        The gold documents that were built, in gold order, each with its record and the
        labeled roles (evidence included) of its paragraphs.
    """
    by_id = {label.record.document.doc_id: label for label in _build(gold, corpus_dir)}
    return [by_id[g.doc_id] for g in gold if g.doc_id in by_id]


def _build(
    gold: Sequence[GoldDocument], corpus_dir: Path, *, with_metadata: bool = True
) -> list[GoldLabels]:
    wanted = {g.doc_id: g for g in gold}
    scan = scan_corpus(corpus_dir)
    # Only the gold's documents are read: the corpus folder may hold many more.
    scan.inputs = [item for item in scan.inputs if item.doc_id in wanted]
    built: list[GoldLabels] = []
    for item in read_dispatches(scan):
        # An unreadable input has no record: its gold document is listed as missing.
        if isinstance(item, QuarantineRecord):
            continue
        dispatch = item if with_metadata else replace(item, metadata=None)
        result = process_dispatch(dispatch)
        if isinstance(result, DocumentRecord):
            title = dispatch.metadata.title if dispatch.metadata else None
            texts = [p.text for p in result.paragraphs]
            # The record keeps the roles but not their evidence: labeling the same paragraphs again
            # gives the same roles, with the evidence calibration counts by.
            labeled = label_paragraphs(texts, result.document.language, title=title)
            built.append(GoldLabels(wanted[result.document.doc_id], result, tuple(labeled)))
    return built


def evaluate_gold(gold_dir: Path, corpus_dir: Path, *, with_metadata: bool = True) -> Evaluation:
    """Build the gold documents from the corpus and score them.

    Args:
        gold_dir: Folder of ``<doc_id>.expected.json`` files.
        corpus_dir: Corpus folder holding ``<collection>/<doc_id>.txt`` for each of them.
        with_metadata: Use the corpus metadata sidecars (see ``build_gold_records``).

    Returns:
        The evaluation; gold documents absent from the corpus are listed as missing.
    """
    gold = load_gold(gold_dir)
    return evaluate_documents(build_gold_records(gold, corpus_dir, with_metadata=with_metadata))
