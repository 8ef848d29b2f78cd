"""Run the long fuzzing campaign: the properties of tests/test_fuzz.py with many examples.

Usage: python scripts/fuzz.py [EXAMPLES]   (default 100000 per property)
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    examples = sys.argv[1] if len(sys.argv) > 1 else "100000"
    env = {**os.environ, "DISPATCH_FUZZ_EXAMPLES": examples}
    started = time.perf_counter()
    command = [
        sys.executable,
        "-m",
        "pytest",
        "-q",
        "-p",
        "no:cacheprovider",
        str(ROOT / "tests" / "test_fuzz.py"),
        "--hypothesis-show-statistics",
    ]
    code = subprocess.call(command, env=env, cwd=ROOT)
    print(
        f"fuzz campaign: {examples} examples per property, "
        f"{time.perf_counter() - started:.0f} s, exit {code}"
    )
    return code


if __name__ == "__main__":
    sys.exit(main())
