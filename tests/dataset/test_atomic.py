"""Atomic output: a killed build leaves the previous dataset intact and nothing half-written."""

from __future__ import annotations

import errno
import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from dispatch_corpus.bench.generate import generate_corpus, load_sources
from dispatch_corpus.build.driver import build_dataset
from dispatch_corpus.dataset import atomic
from dispatch_corpus.dataset.atomic import Staging, read_marker, remove_stale_staging, write_marker
from dispatch_corpus.dataset.layout import STAGING_MARKER

REPO_ROOT = Path(__file__).resolve().parents[2]
TreeState = Callable[[Path], dict[str, tuple[str, bytes | str]]]


def _digest(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _dead_pid() -> int:
    """The pid of a process that has ended."""
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def _staging_leftover(parent: Path, target: str, pid: int, suffix: str = "x") -> Path:
    """A staging folder as a killed run of process ``pid`` leaves it."""
    folder = parent / f".{target}.tmp-{pid}-{suffix}"
    (folder / "payload" / "data").mkdir(parents=True)
    (folder / "payload" / "data" / "part-00000.parquet").write_bytes(b"half written")
    write_marker(folder / STAGING_MARKER, "staging", {"target": target, "pid": pid})
    return folder


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
    deadline = time.monotonic() + 60
    staging: list[Path] = []
    while time.monotonic() < deadline:
        staging = [
            p
            for p in tmp_path.glob(f".build.tmp-{process.pid}-*")
            if (p / "payload" / "data").exists()
        ]
        if staging:
            break
        time.sleep(0.02)
    assert process.poll() is None, "the build finished before it could be killed"
    assert staging, "the build never made its staging folder"
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    assert _digest(out) == before
    build_dataset(slow_corpus, out)
    assert not staging[0].exists(), "a stale staging folder of a dead build is cleaned up"
    assert _digest(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["build"]


def test_publish_swaps_whole_folders(tmp_path: Path) -> None:
    target = tmp_path / "release"
    with Staging(target) as first:
        (first.path / "data").mkdir()
        (first.path / "data" / "a.txt").write_text("old")
        first.publish(replace=True)
    with Staging(target) as second:
        (second.path / "b.txt").write_text("new")
        second.publish(replace=True)
    assert _digest(target) == {"b.txt": hashlib.sha256(b"new").hexdigest()}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["release"]


def test_publish_without_exchange_still_replaces_in_one_rename(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(atomic, "_renameat2", lambda source, target, flags: errno.ENOSYS)
    target = tmp_path / "out"
    target.mkdir()
    (target / "old.txt").write_text("old")
    with Staging(target) as staging:
        (staging.path / "new.txt").write_text("new")
        staging.publish(replace=True)
    assert sorted(p.name for p in target.iterdir()) == ["new.txt"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


@pytest.mark.parametrize("exchange", [True, False], ids=["renameat2", "no-renameat2"])
def test_publish_can_refuse_to_replace(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, tree_state: TreeState, exchange: bool
) -> None:
    if not exchange:
        monkeypatch.setattr(atomic, "_renameat2", lambda source, target, flags: errno.ENOSYS)
    target = tmp_path / "v1"
    target.mkdir()
    (target / "kept.txt").write_text("the first release")
    before = tree_state(tmp_path)
    with Staging(target) as staging:
        (staging.path / "other.txt").write_text("another release")
        with pytest.raises(FileExistsError):
            staging.publish(replace=False)
    assert tree_state(tmp_path) == before


def test_the_staging_marker_never_reaches_the_published_folder(tmp_path: Path) -> None:
    target = tmp_path / "out"
    with Staging(target) as staging:
        assert list(staging.path.iterdir()) == []
        assert read_marker(staging.path.parent / STAGING_MARKER, "staging") is not None
        staging.publish(replace=True)
    assert list(target.iterdir()) == []


@pytest.mark.parametrize(
    "error",
    [
        RuntimeError("a worker failed"),
        KeyboardInterrupt(),
        OSError(errno.ENOSPC, "No space left on device"),
    ],
    ids=["exception", "keyboard-interrupt", "disk-full"],
)
def test_every_failure_removes_the_staging_folder_and_the_parents_it_made(
    tmp_path: Path, tree_state: TreeState, error: BaseException
) -> None:
    (tmp_path / "previous").mkdir()
    (tmp_path / "previous" / "kept.txt").write_text("earlier output")
    before = tree_state(tmp_path)
    with pytest.raises(type(error)), Staging(tmp_path / "new" / "deeper" / "out") as staging:
        (staging.path / "half.parquet").write_bytes(b"half")
        raise error
    with pytest.raises(type(error)), Staging(tmp_path / "previous") as staging:
        (staging.path / "half.parquet").write_bytes(b"half")
        raise error
    assert tree_state(tmp_path) == before


def test_a_full_disk_while_marking_the_staging_folder_leaves_nothing(
    tmp_path: Path, tree_state: TreeState, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full_disk(*args: object, **kwargs: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(atomic, "write_marker", full_disk)
    before = tree_state(tmp_path)
    with pytest.raises(OSError, match="No space left"), Staging(tmp_path / "a" / "out"):
        pass
    assert tree_state(tmp_path) == before


def test_a_folder_that_only_looks_like_a_staging_folder_is_never_removed(
    tmp_path: Path, tree_state: TreeState
) -> None:
    dead = _dead_pid()
    lookalikes = {
        f".build.tmp-{dead}": None,
        f".build.tmp-{dead}-abc": None,
        ".build.tmp-notapid": None,
        f".build.old-{dead}": None,
        f".build.tmp-{dead}-other": {"created_by": "someone-else", "kind": "staging"},
        f".build.tmp-{dead}-kind": {"created_by": "dispatch-corpus", "kind": "build"},
        f".build.tmp-{dead}-name": {
            "created_by": "dispatch-corpus",
            "kind": "staging",
            "target": "other",
            "pid": dead,
        },
        f".build.tmp-{dead}-nopid": {
            "created_by": "dispatch-corpus",
            "kind": "staging",
            "target": "build",
        },
    }
    for name, marker in lookalikes.items():
        (tmp_path / name).mkdir()
        (tmp_path / name / "thesis.tex").write_text("a user's work")
        if marker is not None:
            (tmp_path / name / STAGING_MARKER).write_text(json.dumps(marker))
    real = _staging_leftover(tmp_path, "elsewhere", dead)
    linked = tmp_path / f".build.tmp-{dead}-link"
    linked.symlink_to(real)
    marker_link = tmp_path / f".build.tmp-{dead}-markerlink"
    marker_link.mkdir()
    (marker_link / STAGING_MARKER).symlink_to(real / STAGING_MARKER)
    before = tree_state(tmp_path)
    with Staging(tmp_path / "build") as staging:
        staging.publish(replace=True)
    after = tree_state(tmp_path)
    assert after == {**before, "build": ("folder", b"")}


def test_stale_staging_folders_of_dead_runs_are_removed_and_live_ones_kept(
    tmp_path: Path,
) -> None:
    dead = _dead_pid()
    stale = _staging_leftover(tmp_path, "build", dead)
    mine = _staging_leftover(tmp_path, "build", os.getpid(), "reused-pid")
    live_process = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        live = _staging_leftover(tmp_path, "build", live_process.pid)
        assert set(remove_stale_staging(tmp_path / "build")) == {stale, mine}
        assert not stale.exists() and not mine.exists()
        assert live.exists(), "the staging folder of a running build is left alone"
    finally:
        live_process.kill()
        live_process.wait()


def test_an_open_staging_folder_is_not_stale_for_its_own_process(tmp_path: Path) -> None:
    with Staging(tmp_path / "out") as staging:
        assert remove_stale_staging(tmp_path / "out") == []
        assert staging.path.is_dir()
