from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from dispatch_corpus.build.driver import BuildSummary
from dispatch_corpus.models import Role
from dispatch_corpus.release.card_clients import (
    duckdb_snippet,
    polars_snippet,
    render_other_clients,
)

REPO = Path(__file__).resolve().parents[2]


def _expected_counts(dataset: Path) -> list[tuple[str, int]]:
    """Paragraphs per role name, from the ClassLabel indices and the enum's order."""
    names = [role.value for role in Role]
    roles = Counter[str]()
    for shard in sorted((dataset / "data" / "paragraphs").glob("*.parquet")):
        roles.update(names[i] for i in pq.read_table(shard, columns=["role"])["role"].to_pylist())
    return sorted(roles.items(), key=lambda item: (-item[1], item[0]))


def _run(code: str, cwd: Path) -> tuple[list[tuple[str, int]], str]:
    """Run a snippet as written in a fresh interpreter; return its ``counts`` rows and stdout."""
    dump = (
        "\nimport json as _json, sys as _sys\n"
        "_rows = counts.rows() if hasattr(counts, 'rows') else counts.fetchall()\n"
        "_sys.stderr.write(_json.dumps(_rows))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code + dump],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
    return [tuple(row) for row in json.loads(done.stderr.splitlines()[-1])], done.stdout


@pytest.mark.parametrize("snippet", [polars_snippet, duckdb_snippet])
def test_each_snippet_counts_paragraphs_by_role_name_as_the_class_indices_say(
    snippet: object, seed_build: tuple[Path, BuildSummary]
) -> None:
    dataset, _ = seed_build
    assert callable(snippet)
    expected = _expected_counts(dataset)
    rows, printed = _run(snippet("."), dataset)
    assert rows == expected
    assert len(expected) >= 3
    for name, count in expected:
        line = next(line for line in printed.splitlines() if f" {name} " in line)
        assert f" {count} " in line, printed


def test_the_card_section_shows_both_snippets_from_the_release_folder() -> None:
    section = render_other_clients()
    assert section.startswith("### Reading without `datasets`\n")
    assert f"```python\n{polars_snippet('.')}```" in section
    assert f"```python\n{duckdb_snippet('.')}```" in section
    assert "role_name" in section and "label_name" in section


def test_readme_shows_both_snippets_on_the_quick_start_build() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert f"```python\n{polars_snippet('build')}```" in readme
    assert f"```python\n{duckdb_snippet('build')}```" in readme


def test_the_class_order_is_in_the_parquet_key_value_metadata_duckdb_reads(
    seed_build: tuple[Path, BuildSummary],
) -> None:
    import duckdb

    dataset, _ = seed_build
    (shard,) = sorted((dataset / "data" / "paragraphs").glob("*.parquet"))
    rows = duckdb.sql(f"SELECT key, value FROM parquet_kv_metadata('{shard}')").fetchall()
    metadata = {bytes(key).decode(): bytes(value) for key, value in rows}
    features = json.loads(metadata["huggingface"])["info"]["features"]
    assert features["role"]["names"] == [role.value for role in Role]
    assert features["role_name"] == {"dtype": "string", "_type": "Value"}
