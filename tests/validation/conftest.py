"""Fixtures for validation tests: a small clean build, and copies of it to plant defects in."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from dispatch_corpus.build.driver import build_dataset

REPO_ROOT = Path(__file__).resolve().parents[2]
SHARED_CORPUS = REPO_ROOT / ".." / "shared" / "corpus"
SMALL_COLLECTION = "gum_enwikinews"
"""Shared collection added to the project's corpus for the small build (19 documents)."""


@pytest.fixture(scope="session")
def shared_corpus_dir() -> Path:
    """../shared/corpus, or skip when it is absent."""
    if not SHARED_CORPUS.is_dir():
        pytest.skip(f"shared corpus not found at {SHARED_CORPUS.resolve()}")
    return SHARED_CORPUS


@pytest.fixture(scope="session")
def small_build(tmp_path_factory: pytest.TempPathFactory, shared_corpus_dir: Path) -> Path:
    """A clean build of the project's corpus/ plus one small shared collection."""
    corpus = tmp_path_factory.mktemp("small_corpus")
    shutil.copytree(REPO_ROOT / "corpus", corpus, dirs_exist_ok=True)
    shutil.copytree(shared_corpus_dir / SMALL_COLLECTION, corpus / SMALL_COLLECTION)
    out = tmp_path_factory.mktemp("small_build") / "dataset"
    build_dataset(corpus, out)
    return out


@pytest.fixture
def dataset_copy(small_build: Path, tmp_path: Path) -> Path:
    """A private copy of the small build, free to damage."""
    target = tmp_path / "dataset"
    shutil.copytree(small_build, target)
    return target
