"""The benchmark recombines the corpus folders it is given, wherever it runs from."""

from __future__ import annotations

from pathlib import Path

import pytest

from dispatch_corpus.bench.run import run_benchmark
from dispatch_corpus.cli import main
from dispatch_corpus.errors import CannotRunError

REPO_ROOT = Path(__file__).resolve().parents[2]


def test_the_benchmark_recombines_the_given_sources(tmp_path: Path) -> None:
    result = run_benchmark(6, 1, [tmp_path / "missing", REPO_ROOT / "corpus"], work_dir=tmp_path)
    assert result.docs == 6
    assert result.paragraphs > 6
    assert result.validate_s is None
    assert result.cpu_s > 0
    assert result.baseline_cpu_s > 0
    figures = result.as_dict()
    assert figures["docs_per_cpu_s"] == round(6 / result.cpu_s, 1)
    assert figures["cpu_s/baseline"] == round(result.cpu_s / result.baseline_cpu_s, 2)


def test_no_source_dispatch_is_a_one_line_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(CannotRunError, match="no dispatch"):
        run_benchmark(3, 1, [tmp_path / "missing"], work_dir=tmp_path)
    monkeypatch.chdir(tmp_path)
    assert main(["bench", "--docs", "3"]) == 2
    (line,) = capsys.readouterr().err.splitlines()
    assert line.startswith("dispatch-corpus bench: error: no dispatch")
    assert "corpus" in line
