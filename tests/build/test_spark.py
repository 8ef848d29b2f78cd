"""The Spark engine (local[2]) builds the same dataset as the local engine, byte for byte."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from dispatch_corpus.build.chunks import CHUNK_DOCS
from dispatch_corpus.build.driver import BuildSummary, build_dataset
from dispatch_corpus.build.spark import WAVE_CHUNKS_PER_CORE, run_spark_chunks
from dispatch_corpus.dataset.corpus import scan_corpus
from dispatch_corpus.models import TABLE_MODELS
from dispatch_corpus.settings import LOCAL_MASTER, BuildSettings
from dispatch_corpus.utils.spark import SparkEngineError, spark_session

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

LOCAL_CORES = 2
"""Cores of ``LOCAL_MASTER``."""
MAX_BYTES = 4096


needs_spark = pytest.mark.spark


@pytest.fixture(scope="module")
def spark() -> Iterator[SparkSession]:
    """One local[2] session for the module: the builds reuse it instead of starting their own."""
    with spark_session(LOCAL_MASTER) as session:
        yield session


def _files(root: Path) -> dict[str, bytes]:
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def _assert_same_build(
    local: tuple[Path, BuildSummary],
    spark: tuple[Path, BuildSummary],
    read_rows: Callable[[Path, str], list[dict[str, Any]]],
) -> None:
    (local_out, local_summary), (spark_out, spark_summary) = local, spark
    for table in TABLE_MODELS:
        local_rows = read_rows(local_out, table)
        assert local_rows, table
        assert read_rows(spark_out, table) == local_rows, table
    assert _files(spark_out) == _files(local_out)
    for count in ("inputs", "accepted", "paragraphs", "sections", "quarantine_reasons", "clusters"):
        assert getattr(spark_summary, count) == getattr(local_summary, count), count


@needs_spark
def test_spark_build_of_shared_corpus_equals_local_build(
    spark: SparkSession,
    shared_corpus: Path,
    shared_build: tuple[Path, BuildSummary],
    tmp_path: Path,
    read_rows: Callable[[Path, str], list[dict[str, Any]]],
) -> None:
    out = tmp_path / "spark"
    summary = build_dataset(
        shared_corpus, out, BuildSettings(engine="spark", spark_master=LOCAL_MASTER)
    )
    _assert_same_build(shared_build, (out, summary), read_rows)


def _edge_corpus() -> dict[str, bytes | str]:
    """Enough dispatches for two Spark waves, with every kind of quarantine along the way."""
    count = CHUNK_DOCS * WAVE_CHUNKS_PER_CORE * LOCAL_CORES + CHUNK_DOCS
    files: dict[str, bytes | str] = {
        f"news/d{i:04d}.txt": (
            f"Harbour {i} reopens after storm\n\n"
            f"BREST, 3 March - The harbour number {i} reopened on Monday, officials said.\n\n"
            f"Boats {i} were back at sea by noon."
        )
        for i in range(count)
    }
    files[f"news/d{count - 1:04d}.txt"] = files["news/d0003.txt"]
    # Near-duplicates of one long story, in the first and the last wave: one cluster across
    # waves, whose split every member shares.
    story = " ".join(f"word{j}" for j in range(120))
    for i in (2, count - 2):
        files[f"news/d{i:04d}.txt"] = f"Story copy {i}\n\n{story}\n\nFiled as number {i}."
    files["news/d0000.txt"] = f"Story\n\n{story}"
    files["news/empty.txt"] = b""
    files["news/zeros.txt"] = b"\0" * 64
    files["news/blank.txt"] = "  \n\n \t \n"
    files["news/big.txt"] = "Big\n\n" + "word " * MAX_BYTES
    files["news/bad name.txt"] = "Bad name\n\nNever read."
    files["wire/d0001.txt"] = "Same id\n\nAnother collection."
    files["news/metadata.jsonl"] = (
        '{"id": "d0001", "title": "Given title", "date": "2024-03-04", "language": "en",'
        ' "license": "CC BY 4.0", "agency": "AFP"}\n'
    )
    return files


@needs_spark
def test_spark_build_matches_local_build_across_waves_and_quarantine(
    spark: SparkSession,
    make_corpus: Callable[[Mapping[str, bytes | str]], Path],
    tmp_path: Path,
    read_rows: Callable[[Path, str], list[dict[str, Any]]],
) -> None:
    corpus = make_corpus(_edge_corpus())
    local = build_dataset(corpus, tmp_path / "local", BuildSettings(max_bytes=MAX_BYTES))
    on_spark = build_dataset(
        corpus,
        tmp_path / "spark",
        BuildSettings(max_bytes=MAX_BYTES, engine="spark", spark_master=LOCAL_MASTER),
    )
    assert set(local.quarantine_reasons) >= {
        "duplicate_text",
        "empty",
        "binary",
        "whitespace_only",
        "too_large",
        "invalid_id",
        "duplicate_id",
    }
    _assert_same_build((tmp_path / "local", local), (tmp_path / "spark", on_spark), read_rows)
    assert on_spark.clusters == local.clusters and local.clusters[3] == 1
    copies = [
        row for row in read_rows(tmp_path / "spark", "documents") if row["cluster_id"] == "d0000"
    ]
    assert len(copies) == 3 and len({row["split"] for row in copies}) == 1
    assert spark.range(3).count() == 3, "the engine must not stop a session it did not start"


def test_missing_pyspark_is_a_clear_error(
    monkeypatch: pytest.MonkeyPatch, make_corpus: Callable[[Mapping[str, bytes | str]], Path]
) -> None:
    monkeypatch.setitem(sys.modules, "pyspark.sql", None)
    scan = scan_corpus(make_corpus({"news/d1.txt": "Title\n\nBody."}))
    with pytest.raises(SparkEngineError, match="uv sync --extra spark"):
        next(run_spark_chunks(scan, BuildSettings(max_bytes=MAX_BYTES)))


@needs_spark
def test_missing_java_is_a_clear_error(tmp_path: Path) -> None:
    script = tmp_path / "start.py"
    script.write_text(
        "from dispatch_corpus.utils.spark import SparkEngineError, spark_session\n"
        "try:\n"
        "    with spark_session():\n"
        "        pass\n"
        "except SparkEngineError as error:\n"
        "    print(error)\n",
        encoding="utf-8",
    )
    environment = os.environ | {"JAVA_HOME": str(tmp_path / "no-java")}
    done = subprocess.run(
        [sys.executable, str(script)], env=environment, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert "needs Java 17+" in done.stdout
