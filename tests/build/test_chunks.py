"""Local engine: chunking is bounded and the output does not depend on the worker count."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from dispatch_corpus.bench.generate import generate_corpus, load_sources
from dispatch_corpus.build.chunks import CHUNK_BYTES, CHUNK_DOCS, chunk_tasks
from dispatch_corpus.build.driver import build_dataset
from dispatch_corpus.dataset.corpus import scan_corpus
from dispatch_corpus.settings import DEFAULT_LABELER, BuildSettings

REPO_ROOT = Path(__file__).resolve().parents[2]
LABELER = replace(DEFAULT_LABELER, headline_max_chars=3, statement_speech_share=0.0)
"""Thresholds that change the labels of most documents."""


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("engine") / "corpus"
    generate_corpus(load_sources([REPO_ROOT / "corpus"]), 300, folder)
    return folder


def test_chunks_are_bounded_and_keep_order(corpus: Path) -> None:
    scan = scan_corpus(corpus)
    chunks = list(chunk_tasks(scan, BuildSettings(max_bytes=5_000_000)))
    assert all(0 < len(chunk.tasks) <= CHUNK_DOCS for chunk in chunks)
    assert all(c.size <= CHUNK_BYTES for c in chunks if len(c.tasks) > 1)
    assert {c.max_bytes for c in chunks} == {5_000_000}
    assert [t.item.doc_id for c in chunks for t in c.tasks] == [i.doc_id for i in scan.inputs]


def test_two_workers_write_the_same_bytes_as_one(corpus: Path, tmp_path: Path) -> None:
    one = build_dataset(corpus, tmp_path / "one", BuildSettings(workers=1))
    two = build_dataset(corpus, tmp_path / "two", BuildSettings(workers=2))
    assert one.accepted == two.accepted == 300
    for table, shards in one.shards.items():
        assert [s.path for s in shards] == [s.path for s in two.shards[table]]
        for shard in shards:
            assert (tmp_path / "one" / shard.path).read_bytes() == (
                tmp_path / "two" / shard.path
            ).read_bytes()


def test_every_chunk_carries_the_settings_that_decide_the_output(corpus: Path) -> None:
    chunks = list(chunk_tasks(scan_corpus(corpus), BuildSettings(max_bytes=9_000, labeler=LABELER)))
    assert len(chunks) > 1
    assert {(chunk.max_bytes, chunk.labeler) for chunk in chunks} == {(9_000, LABELER)}


def test_worker_processes_label_with_the_builds_labeler(corpus: Path, tmp_path: Path) -> None:
    builds = {
        "default": BuildSettings(workers=2),
        "one": BuildSettings(workers=1, labeler=LABELER),
        "two": BuildSettings(workers=2, labeler=LABELER),
    }
    data = {}
    for name, settings in builds.items():
        summary = build_dataset(corpus, tmp_path / name, settings)
        data[name] = {
            shard.path: (tmp_path / name / shard.path).read_bytes()
            for shards in summary.shards.values()
            for shard in shards
        }
    assert data["two"] == data["one"]
    paragraphs = [path for path in data["one"] if path.startswith("data/paragraphs/")]
    assert paragraphs
    assert all(data["one"][path] != data["default"][path] for path in paragraphs)
