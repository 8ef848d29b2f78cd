"""Maintainer scripts are thin wrappers over the package: they run and exit like the CLI."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from dispatch_corpus.build.driver import build_dataset

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


def test_adversarial_survey_prints_cpu_and_memory_per_case(tmp_path: Path) -> None:
    report = tmp_path / "survey.json"
    done = _run(
        "scripts/adversarial.py",
        "--bytes",
        "20000",
        "--case",
        "titled:U2026",
        "--growth",
        "--json",
        str(report),
    )
    assert done.returncode == 0, done.stderr
    first, summary = done.stdout.strip().splitlines()
    assert "titled:U2026" in first and "2 paragraphs" in first and "peak" in first
    assert summary.startswith("1 cases in") and "0 not finished" in summary
    (result,) = json.loads(report.read_text(encoding="utf-8"))
    assert result["bytes"] <= 20000 and result["cpu_s"] >= 0 and result["growth"] > 0
