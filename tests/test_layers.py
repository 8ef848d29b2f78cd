"""The package's layers: imports run one way, and the light entry points stay light."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]


def test_the_import_contracts_hold() -> None:
    lint_imports = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    if lint_imports is None:
        pytest.skip("lint-imports is not installed (it comes with the dev extra)")
    done = subprocess.run(
        [lint_imports], cwd=REPO_ROOT, capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    assert "0 broken" in done.stdout


@pytest.mark.parametrize(
    ("module", "absent"),
    [
        (
            "dispatch_corpus.validation",
            ("dispatch_corpus.core.label", "dispatch_corpus.core.pipeline"),
        ),
        ("dispatch_corpus.core.pipeline", ("pyarrow", "datasets", "great_expectations", "pyspark")),
        (
            "dispatch_corpus.cli",
            ("pyarrow", "pandas", "great_expectations", "dispatch_corpus.core"),
        ),
    ],
)
def test_importing_a_module_loads_only_what_it_needs(module: str, absent: tuple[str, ...]) -> None:
    code = (
        f"import sys, {module}\n"
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] in {'dispatch_corpus', "
        "'pyarrow', 'pandas', 'datasets', 'great_expectations', 'pyspark'})\n"
        "print('\\n'.join(loaded))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True
    )
    loaded = done.stdout.split()
    assert module in loaded
    wrong = [m for m in loaded if any(m == a or m.startswith(a + ".") for a in absent)]
    assert wrong == []
