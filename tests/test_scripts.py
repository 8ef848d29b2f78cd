"""Maintainer scripts are thin wrappers over the package: they run and exit like the CLI."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from dispatch_corpus.build import build_dataset

REPO_ROOT = Path(__file__).resolve().parents[1]


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args], capture_output=True, text=True, cwd=REPO_ROOT, check=False
    )


def test_validate_script_validates_a_build(tmp_path: Path) -> None:
    build_dataset(REPO_ROOT / "corpus", tmp_path / "build")
    done = _run("scripts/validate.py", str(tmp_path / "build"), "--report-dir", str(tmp_path / "r"))
    assert done.returncode == 0, done.stderr
    assert "all checks pass" in done.stdout
    assert (tmp_path / "r" / "index.html").is_file()


def test_validate_script_exits_two_with_one_line_on_a_missing_folder(tmp_path: Path) -> None:
    done = _run("scripts/validate.py", str(tmp_path / "missing"))
    assert done.returncode == 2
    assert len(done.stderr.strip().splitlines()) == 1
    assert "Traceback" not in done.stderr
