"""The README's test command collects every test file under tests/."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

TESTS = Path(__file__).resolve().parent


def test_every_test_file_is_collected() -> None:
    # pytest skips some folder names by default (build, dist, venv): a test folder named like
    # its src/ layer must not be one of them unseen.
    completed = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider"],
        cwd=TESTS.parent,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert completed.returncode == 0, completed.stdout[-2000:] + completed.stderr[-2000:]
    collected = {line.split("::")[0] for line in completed.stdout.splitlines() if "::" in line}
    files = {path.relative_to(TESTS.parent).as_posix() for path in TESTS.rglob("test_*.py")}
    assert files - collected == set()
