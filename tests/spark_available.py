"""Spark availability: tests marked ``spark`` are skipped, with the reason, when it is missing."""

from __future__ import annotations

import importlib.util
import os
import shutil
from pathlib import Path

import pytest


def spark_missing() -> str | None:
    """Say why Spark cannot run here: Spark starts JAVA_HOME's java if set, else PATH's."""
    if importlib.util.find_spec("pyspark") is None:
        return "pyspark not installed (uv sync --extra spark)"
    java_home = os.environ.get("JAVA_HOME")
    java = Path(java_home) / "bin" / "java" if java_home else shutil.which("java")
    if java is None or not Path(java).is_file():
        return "no Java runtime for Spark (java on PATH, or JAVA_HOME)"
    return None


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "spark: needs pyspark and a Java runtime")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    reason = spark_missing()
    if reason is None:
        return
    for item in items:
        if item.get_closest_marker("spark") is not None:
            item.add_marker(pytest.mark.skip(reason=reason))
