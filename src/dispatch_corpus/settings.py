"""Defaults the command line shows before any work starts.

This module imports nothing heavy: ``dispatch-corpus --help`` builds its parser from these
values without loading pyarrow, pandas, Great Expectations or Spark.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

Engine = Literal["local", "spark"]
"""Where the build's pure core runs: local processes, or Spark."""
ENGINES: tuple[Engine, ...] = ("local", "spark")
ValidationEngine = Literal["local", "ge", "spark"]
"""What runs the expectation suites: ``local`` evaluates them with Arrow compute in-process
or in worker processes (no Great Expectations), ``ge`` with Great Expectations' pandas
engine, ``spark`` with Great Expectations' Spark engine. A build validates on the engine it
was built with: a local build with ``local``, a Spark build with ``spark``."""
VALIDATION_ENGINES: tuple[ValidationEngine, ...] = ("local", "ge", "spark")
LOCAL_MASTER = "local[2]"
"""Default Spark master: two local cores."""
DEFAULT_MAX_BYTES = 5 * 1024 * 1024
"""Inputs larger than this are quarantined as ``too_large`` without being read whole."""
DEFAULT_CV_FOLDS = 5
"""Folds of ``evaluate --cv`` and ``release --gold``: five hold out ~15 gold documents each."""
DEFAULT_REPORT_DIR = Path("reports") / "validation"
"""Validation report folder, relative to the dataset folder, when none is given."""


@dataclass(frozen=True)
class BuildSettings:
    """How one build runs, set once by the caller and read by the driver and the engines.

    Only ``max_bytes`` decides the output bytes: the engine, the master and the number of
    workers change where the work runs, never what is written (tests compare the bytes).
    """

    max_bytes: int = DEFAULT_MAX_BYTES
    workers: int = 1
    engine: Engine = "local"
    spark_master: str = LOCAL_MASTER

    def recorded(self) -> dict[str, Any]:
        """Return the settings that decide the output, as ``BUILD.json`` records them."""
        return {"max_bytes": self.max_bytes}


DEFAULT_BUILD = BuildSettings()
"""One local worker process, inputs up to ``DEFAULT_MAX_BYTES``."""


def default_workers() -> int:
    """Return the number of usable cores."""
    # The cores this process may run on (taskset, cpusets), not all the machine has.
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
