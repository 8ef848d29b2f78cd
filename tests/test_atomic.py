"""Atomic output: a killed build leaves the previous dataset intact and nothing half-written."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from dispatch_corpus.atomic import publish_dir, staging_dir
from dispatch_corpus.bench.generate import generate_corpus, load_sources
from dispatch_corpus.build import build_dataset

REPO_ROOT = Path(__file__).resolve().parents[1]


def _digest(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def slow_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A corpus big enough that a build takes a few seconds."""
    corpus = tmp_path_factory.mktemp("atomic") / "corpus"
    generate_corpus(load_sources([REPO_ROOT / "corpus"]), 2500, corpus)
    return corpus


def test_sigkill_mid_build_keeps_previous_output(slow_corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "build"
    build_dataset(slow_corpus, out)
    before = _digest(out)
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "dispatch_corpus.cli",
            "build",
            "--corpus",
            str(slow_corpus),
            "--out",
            str(out),
            "--workers",
            "1",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    staging = tmp_path / f".build.tmp-{process.pid}"
    deadline = time.monotonic() + 60
    while not (staging / "data").exists() and time.monotonic() < deadline:
        time.sleep(0.02)
    assert process.poll() is None, "the build finished before it could be killed"
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    assert _digest(out) == before
    build_dataset(slow_corpus, out)
    assert not staging.exists(), "a stale staging folder of a dead build is cleaned up"
    assert _digest(out) == before


def test_publish_dir_swaps_whole_folders(tmp_path: Path) -> None:
    target = tmp_path / "release"
    first = staging_dir(target)
    (first / "data").mkdir(parents=True)
    (first / "data" / "a.txt").write_text("old")
    publish_dir(first, target)
    second = staging_dir(target)
    second.mkdir()
    (second / "b.txt").write_text("new")
    publish_dir(second, target)
    assert _digest(target) == {"b.txt": hashlib.sha256(b"new").hexdigest()}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["release"]


def test_publish_dir_can_refuse_to_replace(tmp_path: Path) -> None:
    target = tmp_path / "v1"
    target.mkdir()
    staging = staging_dir(target)
    staging.mkdir()
    with pytest.raises(FileExistsError):
        publish_dir(staging, target, replace=False)
    assert staging.exists() and target.exists()
