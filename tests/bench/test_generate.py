"""Benchmark corpus generation: reproducible and realistic enough to build."""

from __future__ import annotations

import hashlib
from pathlib import Path

from dispatch_corpus.bench.generate import generate_corpus, load_sources
from dispatch_corpus.build.driver import build_dataset
from dispatch_corpus.settings import BuildSettings

REPO_ROOT = Path(__file__).resolve().parents[2]


def _digest(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            digest.update(path.relative_to(folder).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def test_same_sources_and_size_give_the_same_corpus(tmp_path: Path) -> None:
    sources = load_sources([REPO_ROOT / "corpus", tmp_path / "missing"])
    size_a = generate_corpus(sources, 50, tmp_path / "a")
    size_b = generate_corpus(sources, 50, tmp_path / "b")
    assert size_a == size_b > 0
    assert _digest(tmp_path / "a") == _digest(tmp_path / "b")


def test_generated_corpus_builds_without_quarantine(tmp_path: Path) -> None:
    generate_corpus(load_sources([REPO_ROOT / "corpus"]), 40, tmp_path / "corpus")
    summary = build_dataset(tmp_path / "corpus", tmp_path / "out", BuildSettings(workers=1))
    assert summary.accepted == 40 and summary.quarantined == 0
